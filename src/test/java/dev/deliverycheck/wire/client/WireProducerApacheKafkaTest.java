package dev.deliverycheck.wire.client;


import dev.deliverycheck.wire.apache.ApacheKafkaBroker;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deliverycheck's producer on the wire against one real Apache Kafka 4.4 broker child process (started once for the
 * class; a fresh KRaft store finalizes {@code transaction.version=2}): the producer reads the feature from
 * ApiVersions, sends no AddPartitionsToTxn, lets the partition leader add each partition (Produce v12), ends every
 * transaction with EndTxn v5 and continues with the epoch the answer returns; a real read_committed consumer sees
 * exactly the committed records.
 */
class WireProducerApacheKafkaTest {
    private static final String TOPIC = "wire-producer-tv2";
    private static ApacheKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ApacheKafkaBroker.start();
        PipelineDriver.createTopic(broker.bootstrap(), TOPIC, 2);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void ourProducerSpeaksTransactionVersion2ToApacheKafka() throws Exception {
        TransactionRounds rounds = TransactionRounds.run(new InetSocketAddress("127.0.0.1", broker.port()), TOPIC,
                "tx-apache");

        rounds.assertTransactionVersion2Flow();
        rounds.assertReads(broker.bootstrap());
    }
}
