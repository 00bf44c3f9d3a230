package dev.deliverycheck.wire.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.check.Mode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Java client against deliverycheck's own wire broker, run as a child process ({@link OurBrokerProcess}),
 * through the fault proxy: the shared {@link RealClientScenarios}, and the child process's own contract.
 */
class OurBrokerRunTest extends RealClientScenarios {
    private static OurBrokerProcess broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = OurBrokerProcess.start(1);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
            assertThat(broker.running()).isFalse();
            assertThat(broker.dataDir().getParent()).as("the temporary directory is deleted").doesNotExist();
        }
    }

    @Override
    Target target() {
        return Target.started(broker);
    }

    @Test
    void aServingBrokerPrintsItsTwoLinesAndNoLoggingNotice() throws Exception {
        // Requests make kafka-clients' message classes touch SLF4J, which without a binding prints a three-line notice.
        Target.started(broker).requireReachable();
        assertThat(Files.readAllLines(broker.output())).as("the broker's output").hasSize(2)
                .anySatisfy(l -> assertThat(l).isEqualTo("port=" + broker.port()))
                .noneSatisfy(l -> assertThat(l).startsWith("SLF4J"));
    }

    @Test
    void aKilledBrokerRestartsOnTheSameDataAndPort() throws Exception {
        int port = broker.port();
        broker.kill();
        assertThat(broker.running()).isFalse();
        broker.restart();
        assertThat(broker.running()).isTrue();
        assertThat(broker.port()).isEqualTo(port);
        assertThat(Files.isDirectory(broker.dataDir())).isTrue();
        Target.started(broker).requireReachable();
    }

    /**
     * The wait before a run's reads tells an open transaction from an ended one: while the producer's transaction
     * is open it does not return (it fails once its bound passes); after the commit it returns, the markers written.
     */
    @Test
    void theReadsWaitUntilNoTransactionIsOpenOnTheRunsTopic() throws Exception {
        Target target = target();
        RealRun run = new RealRun(target, ProducerSettings.preset(Mode.EXACTLY_ONCE));
        String topic = "dc-open-txn";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> conf = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrap(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "open-txn", ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(conf)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 1, null, new byte[] {1})).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> run.awaitNoOpenTransaction(topic, 2, Duration.ofSeconds(1)))
                    .isInstanceOf(RealRun.TargetFailure.class).hasMessageContaining("a transaction on " + topic + " is still open");
            producer.commitTransaction();
            run.awaitNoOpenTransaction(topic, 2, RealRun.SETTLE_TIMEOUT);
        }
    }
}
