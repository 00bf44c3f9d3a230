package dev.deliverycheck.wire.apache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A real Apache Kafka 4.4 child process: serves, survives kill -9 with its data, and leaves nothing behind. */
class ApacheKafkaBrokerTest {

    @Test
    void killNineAndRestartKeepAcknowledgedRecordsAndCloseCleansUp() throws Exception {
        Path dir;
        try (ApacheKafkaBroker broker = ApacheKafkaBroker.start()) {
            dir = broker.directory();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer())) {
                assertThat(producer.send(new ProducerRecord<>("t", 0, "k", "acked")).get(30, TimeUnit.SECONDS).offset()).isZero();
            }

            broker.kill();
            assertThat(broker.running()).isFalse();
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", broker.port()), 1000))
                    .isInstanceOf(IOException.class);

            broker.restart();
            assertThat(broker.running()).isTrue();
            assertThat(readAll(broker.bootstrap())).containsExactly("acked");
        }
        assertThat(Files.exists(dir)).as("temp dir deleted").isFalse();
    }

    @Test
    void aMissingClasspathFileIsOneClearMessage() {
        assertThatThrownBy(() -> KafkaBrokerClasspath.read(Path.of("/nonexistent/kafka-broker.classpath")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mvn -B package");
    }

    private static List<String> readAll(String bootstrap) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("t", 0);
            consumer.assign(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            java.util.ArrayList<String> values = new java.util.ArrayList<>();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }
}
