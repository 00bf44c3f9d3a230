package dev.deliverycheck.broker;

import static dev.deliverycheck.broker.Cluster.tp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.txn.TransactionMetadata;
import dev.deliverycheck.broker.txn.TransactionState;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.CoordinatorAddPartitions;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.protocol.WriteTxnMarkersRequest;
import org.junit.jupiter.api.Test;

/**
 * Transaction version 2 at the broker (KIP-890 part 2): the client sends no AddPartitionsToTxn; the
 * leader adds the partition at the coordinator before the first transactional append of a producer
 * epoch to it -- also while the producer's previous transaction (an older epoch) is still open on
 * the partition because its marker has not arrived yet.
 */
class LeaderAddsPartitionTest {
    private static final TopicPartition P0 = tp(0);

    private static Errors send(Cluster c, ProduceRequest r) {
        c.leader(P0).receive(100, r);
        c.deliverAll();
        ProduceResponse answer = c.lastResponse(100, ProduceResponse.class);
        assertThat(answer.correlationId()).isEqualTo(r.correlationId());
        return answer.results().get(P0).error();
    }

    private static TransactionMetadata txn(Cluster c, TxnClient t) {
        return c.brokers[t.coordinator].transaction(t.transactionalId).orElseThrow();
    }

    @Test
    void theFirstTransactionalProduceAddsItsPartition() {
        Cluster c = new Cluster(2, 4, BrokerConfig.DEFAULT.withAddPartitionsOnProduce(true));
        TxnClient t = new TxnClient(c, 100, "tx-1");
        t.init();
        assertThat(t.produce(P0, 1)).isEqualTo(Errors.NONE);
        assertThat(txn(c, t).state()).isEqualTo(TransactionState.ONGOING);
        assertThat(txn(c, t).partitions()).containsExactly(P0);
        assertThat(c.events(CoordinatorAddPartitions.class)).hasSize(1);
    }

    /**
     * Found by the explorer (exactly-once seed 580) once the producer followed version 2: the leader
     * took "an open transaction of this producer here" as verified whatever its epoch, so the next
     * transaction's batch was appended without its partition ever being added, and the previous
     * transaction's late marker (carrying the bumped epoch) would have decided it.
     */
    @Test
    void aBatchOfTheNextEpochIsAddedEvenWhileTheLastTransactionsMarkerIsOnItsWay() {
        Cluster c = new Cluster(2, 4, BrokerConfig.DEFAULT.withAddPartitionsOnProduce(true));
        TxnClient t = new TxnClient(c, 100, "tx-1");
        t.init();
        assertThat(t.produce(P0, 1)).isEqualTo(Errors.NONE);
        t.sendEnd(true);
        c.deliverAllExcept(e -> e.message() instanceof WriteTxnMarkersRequest);
        assertThat(t.takeEndAnswer()).isEqualTo(Errors.NONE);
        assertThat(t.epoch).isEqualTo((short) 1);
        assertThat(txn(c, t).state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        int appends = c.events(BrokerAppend.class).size();

        ProduceRequest next = t.produceRequest(P0, 2);
        assertThat(send(c, next)).as("the coordinator is still writing the last decision")
                .isEqualTo(Errors.NOT_ENOUGH_REPLICAS);
        assertThat(c.events(BrokerAppend.class)).as("not appended").hasSize(appends);

        c.clock.advanceBy(BrokerConfig.DEFAULT.requestTimeoutMs());
        c.deliverAll();
        c.clock.advanceBy(BrokerConfig.DEFAULT.retryBackoffMs());
        c.deliverAll();
        assertThat(txn(c, t).state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(send(c, next)).as("the retry").isEqualTo(Errors.NONE);
        assertThat(txn(c, t).state()).isEqualTo(TransactionState.ONGOING);
        assertThat(txn(c, t).epoch()).isEqualTo((short) 1);
        assertThat(txn(c, t).partitions()).containsExactly(P0);
    }
}
