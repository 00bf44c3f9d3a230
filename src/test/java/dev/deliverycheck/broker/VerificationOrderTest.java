package dev.deliverycheck.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * KIP-890 verification must not reorder a producer's batches: while an earlier batch to a
 * partition waits for the coordinator's verdict, a later one waits behind it even if the
 * partition has meanwhile got an ongoing transaction. (The bench's transactions run failed
 * commits with OUT_OF_ORDER_SEQUENCE_NUMBER before this held.)
 */
class VerificationOrderTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);

    @Test
    void aLaterBatchWaitsBehindAnEarlierOneStillBeingVerified() {
        Cluster c = new Cluster(1, 1, BrokerConfig.DEFAULT);
        TxnClient t = new TxnClient(c, 100, "tx-order");
        assertThat(t.init()).isEqualTo(Errors.NONE);
        assertThat(t.add(P0)).isEqualTo(Errors.NONE);
        Broker leader = c.leader(P0);

        leader.receive(t.id, t.produceRequest(P0, 1));   // seq 0: needs verification
        leader.receive(t.id, t.produceRequest(P0, 2));   // seq 1: arrives while seq 0 is being verified
        // Only the first verdict comes back; seq 0 is appended and the partition's transaction is open.
        c.deliverFirst(e -> e.message() instanceof AddPartitionsToTxnRequest);
        c.deliverFirst(e -> e.message() instanceof AddPartitionsToTxnResponse);
        leader.receive(t.id, t.produceRequest(P0, 3));   // seq 2: must not overtake seq 1
        c.deliverAll();

        assertThat(c.responses(t.id, ProduceResponse.class))
                .extracting(r -> r.results().get(P0).error())
                .containsOnly(Errors.NONE)
                .hasSize(3);
        assertThat(c.read(P0, IsolationLevel.READ_UNCOMMITTED)).containsExactly(1L, 2L, 3L);
    }
}
