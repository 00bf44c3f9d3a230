package dev.deliverycheck.wire.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.event.ProducerAddPartitions;
import dev.deliverycheck.sim.SimulatedDisk;
import dev.deliverycheck.wire.WireBroker;
import dev.deliverycheck.wire.WireServer;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * deliverycheck's producer on the wire follows the {@code transaction.version} the broker finalizes, as Kafka's
 * client does: against deliverycheck's wire broker (in-process, loopback; {@code deliverycheck broker
 * --transaction-version 1|2}) it commits and aborts {@link TransactionRounds#ROUNDS} transactions in a row in either
 * flow, and the proxy in front of the broker shows which flow it spoke.
 */
class WireProducerTransactionVersionTest {
    private static final String TOPIC = "t";

    private WireBroker broker;
    private WireServer server;

    private InetSocketAddress start(int transactionVersion) throws Exception {
        broker = new WireBroker(new SimulatedDisk(), BrokerConfig.DEFAULT, 1, transactionVersion, EventSink.NONE);
        broker.createTopic(TOPIC, 2);
        server = new WireServer(broker, 0);
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void transactionVersion2SendsNoAddPartitionsAndTakesTheEpochEachEndTxnReturns() throws Exception {
        InetSocketAddress address = start(2);
        TransactionRounds rounds = TransactionRounds.run(address, TOPIC, "tx-v2");

        rounds.assertTransactionVersion2Flow();
        rounds.assertReads("127.0.0.1:" + server.port());
    }

    @Test
    void transactionVersion1AddsItsPartitionsAndKeepsItsEpoch() throws Exception {
        InetSocketAddress address = start(1);
        TransactionRounds rounds = TransactionRounds.run(address, TOPIC, "tx-v1");

        assertThat(rounds.requestVersions()).contains("AddPartitionsToTxn v3", "Produce v11", "EndTxn v4")
                .doesNotContain("Produce v12", "EndTxn v5");
        // one AddPartitionsToTxn per transaction: the two partitions of a round are added together or one by one
        assertThat(rounds.events(ProducerAddPartitions.class)).hasSizeBetween(TransactionRounds.ROUNDS,
                2 * TransactionRounds.ROUNDS);
        rounds.assertEveryTransactionEnded();
        short epoch = rounds.initProducerId().producerEpoch();
        assertThat(rounds.endTxnEpochs()).hasSize(TransactionRounds.ROUNDS).containsOnly(epoch);
        assertThat(rounds.endTxnAnswers()).isEmpty();
        rounds.assertReads("127.0.0.1:" + server.port());
    }
}
