package dev.deliverycheck.broker;

import static dev.deliverycheck.broker.Cluster.tp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.txn.TransactionMetadata;
import dev.deliverycheck.broker.txn.TransactionState;
import dev.deliverycheck.event.CoordinatorComplete;
import dev.deliverycheck.event.CoordinatorTimeoutAbort;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.protocol.WriteTxnMarkersRequest;
import dev.deliverycheck.protocol.WriteTxnMarkersResponse;
import org.junit.jupiter.api.Test;

/** Recovery from each crash point of the two-phase commit, on the coordinator and on a partition leader. */
class CoordinatorCrashRecoveryTest {
    static final TopicPartition P0 = tp(0);
    static final TopicPartition P1 = tp(1);
    static final IsolationLevel RC = IsolationLevel.READ_COMMITTED;

    private Cluster c;
    private TxnClient t;

    /** Two brokers; a transaction over P0 (broker 0) and P1 (broker 1) with data written. */
    private void openTransaction() {
        c = new Cluster(2, 2, BrokerConfig.DEFAULT);
        t = new TxnClient(c, 100, "tx-1");
        t.timeoutMs = 10_000;
        assertThat(t.init()).isEqualTo(Errors.NONE);
        t.add(P0, P1);
        t.produce(P0, 1, 2);
        t.produce(P1, 3);
    }

    private TransactionMetadata txn() {
        return c.brokers[t.coordinator].transaction("tx-1").orElseThrow();
    }

    @Test
    void crashBeforePrepareLeavesTheTransactionOpenUntilItTimesOut() {
        openTransaction();
        c.crashAndRestart(t.coordinator);
        assertThat(txn().state()).isEqualTo(TransactionState.ONGOING);
        assertThat(txn().partitions()).containsExactly(P0, P1);
        assertThat(c.read(P0, RC)).isEmpty();

        c.clock.advanceTo(txn().deadline());
        c.deliverAll();

        assertThat(c.events(CoordinatorTimeoutAbort.class)).hasSize(1);
        assertThat(txn().state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(c.read(P0, RC)).isEmpty();
        assertThat(c.read(P1, RC)).isEmpty();
        assertThat(c.leader(P0).lastStableOffset(P0)).isEqualTo(c.leader(P0).logEndOffset(P0));
    }

    @Test
    void crashAfterPrepareBeforeMarkersCompletesTheDecisionOnRestart() {
        openTransaction();
        t.sendEnd(true);
        c.deliverAllExcept(e -> e.message() instanceof WriteTxnMarkersRequest);
        assertThat(t.cluster.lastResponse(100, dev.deliverycheck.protocol.EndTxnResponse.class).error())
                .isEqualTo(Errors.NONE);
        assertThat(c.events(CoordinatorWriteMarker.class)).isEmpty();

        c.crashAndRestart(t.coordinator);
        assertThat(txn().state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(c.brokers[t.coordinator].nextWakeupMs()).isLessThanOrEqualTo(c.clock.milliseconds());
        c.deliverAll();

        assertThat(txn().state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(c.read(P0, RC)).containsExactly(1L, 2L);
        assertThat(c.read(P1, RC)).containsExactly(3L);
    }

    @Test
    void crashAfterMarkersBeforeCompleteWritesTheMarkersAgainAndCompletes() {
        openTransaction();
        t.sendEnd(false);
        c.deliverAllExcept(e -> e.message() instanceof WriteTxnMarkersResponse);
        assertThat(c.events(CoordinatorWriteMarker.class)).hasSize(2);
        assertThat(txn().state()).isEqualTo(TransactionState.PREPARE_ABORT);

        c.crashAndRestart(t.coordinator);
        c.deliverAll();

        assertThat(txn().state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(c.events(CoordinatorComplete.class)).singleElement()
                .satisfies(e -> assertThat(e.commit()).isFalse());
        assertThat(c.events(CoordinatorWriteMarker.class)).hasSize(4);
        assertThat(c.read(P0, RC)).isEmpty();
        assertThat(c.read(P1, RC)).isEmpty();
        // the producer's EndTxn retry, still with the old epoch, gets the recovered decision's answer:
        // success and the epoch the abort bumped (KIP-890 part 2)
        short before = t.epoch;
        assertThat(t.end(false)).isEqualTo(Errors.NONE);
        assertThat(t.epoch).isEqualTo((short) (before + 1));
        assertThat(c.events(CoordinatorComplete.class)).as("decided once").hasSize(1);
        t.add(P0);
        assertThat(t.produce(P0, 4)).isEqualTo(Errors.NONE);
        assertThat(t.end(true)).isEqualTo(Errors.NONE);
        assertThat(c.read(P0, RC)).containsExactly(4L);
    }

    @Test
    void aLeaderCrashThatLosesAnUnflushedMarkerIsRepairedByTheResend() {
        openTransaction();
        int other = 1 - t.coordinator;
        TopicPartition otherPartition = c.metadata.leaderFor(P0) == other ? P0 : P1;
        t.sendEnd(true);
        // deliver the EndTxn and the markers, but crash the other leader before it polls (flushes)
        for (int i = 0; i < 3; i++) {
            while (!c.network.isEmpty()) {
                Cluster.Envelope e = c.network.poll();
                if (e.to() >= 100) {
                    c.inbox.add(e);
                } else {
                    c.brokers[e.to()].receive(e.from(), e.message());
                }
            }
            c.brokers[t.coordinator].poll();
        }
        assertThat(c.leader(otherPartition).highWatermark(otherPartition))
                .isLessThan(c.leader(otherPartition).logEndOffset(otherPartition));
        c.crashAndRestart(other);
        c.deliverAll();
        assertThat(txn().state()).isEqualTo(TransactionState.PREPARE_COMMIT);

        c.clock.advanceBy(BrokerConfig.DEFAULT.requestTimeoutMs());
        c.deliverAll();
        c.clock.advanceBy(BrokerConfig.DEFAULT.retryBackoffMs());
        c.deliverAll();
        assertThat(txn().state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(c.read(P0, RC)).containsExactly(1L, 2L);
        assertThat(c.read(P1, RC)).containsExactly(3L);
    }

    @Test
    void theFencedEpochSurvivesACoordinatorCrash() {
        openTransaction();
        TxnClient fresh = new TxnClient(c, 101, "tx-1");
        assertThat(fresh.init()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        c.crashAndRestart(t.coordinator);
        c.deliverAll();
        assertThat(fresh.init()).isEqualTo(Errors.NONE);
        assertThat(fresh.epoch).isEqualTo((short) 2);
        assertThat(t.end(true)).isEqualTo(Errors.PRODUCER_FENCED);
    }
}
