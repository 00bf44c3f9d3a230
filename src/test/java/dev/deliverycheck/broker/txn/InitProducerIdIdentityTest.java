package dev.deliverycheck.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.env.testkit.CapturingTransport;
import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.sim.SimulatedDisk;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * KIP-360: an InitProducerId carrying the producer id and epoch the producer holds. The live
 * instance re-initialising keeps its producer id and gets the next epoch; a retry of that request
 * (its answer lost) gets the same answer, not a second bump; an older identity is fenced and changes
 * nothing; a new instance (no identity) still fences everyone.
 */
class InitProducerIdIdentityTest {
    private static final ClusterMetadata CLUSTER = ClusterMetadata.of(3, "t", 6);
    private static final String TX = "tx";
    private static final int PRODUCER = 100;

    private final SimulatedDisk disk = new SimulatedDisk();
    private final CapturingTransport transport = new CapturingTransport();
    private int correlationIds;

    private TransactionCoordinator coordinator() {
        return coordinator(true);
    }

    private TransactionCoordinator coordinator(boolean fencing) {
        return new TransactionCoordinator(CLUSTER.coordinatorFor(TX), CLUSTER,
                new TransactionCoordinator.Settings(900_000, 30_000, 100, fencing, true), disk,
                () -> 1_000L, transport, e -> { }, () -> ++correlationIds);
    }

    private InitProducerIdResponse init(TransactionCoordinator c, long pid, short epoch) {
        c.handleInitProducerId(PRODUCER, new InitProducerIdRequest(1, TX, 60_000, pid, epoch));
        return transport.drain(InitProducerIdResponse.class).get(0);
    }

    private InitProducerIdResponse initNew(TransactionCoordinator c) {
        c.handleInitProducerId(PRODUCER, new InitProducerIdRequest(1, TX, 60_000));
        return transport.drain(InitProducerIdResponse.class).get(0);
    }

    private static InitProducerIdResponse ok(long pid, int epoch) {
        return new InitProducerIdResponse(1, Errors.NONE, pid, (short) epoch);
    }

    private static InitProducerIdResponse fenced() {
        return new InitProducerIdResponse(1, Errors.PRODUCER_FENCED, -1, (short) -1);
    }

    @Test
    void aReInitialisationKeepsTheProducerIdAndItsRetryDoesNotBumpTwice() {
        TransactionCoordinator c = coordinator();
        InitProducerIdResponse first = initNew(c);
        long pid = first.producerId();
        assertThat(first).isEqualTo(ok(pid, 0));
        assertThat(init(c, pid, (short) 0)).isEqualTo(ok(pid, 1));
        assertThat(init(c, pid, (short) 0)).as("a retry, its answer lost: same answer").isEqualTo(ok(pid, 1));
        assertThat(c.transaction(TX).epoch()).isEqualTo((short) 1);
        assertThat(init(c, pid, (short) 1)).isEqualTo(ok(pid, 2));
        assertThat(c.transaction(TX).producerId()).isEqualTo(pid);
    }

    @Test
    void anOlderIdentityIsFencedAndChangesNothing() {
        TransactionCoordinator c = coordinator();
        long pid = initNew(c).producerId();
        init(c, pid, (short) 0);
        init(c, pid, (short) 1);
        assertThat(init(c, pid, (short) 0)).as("neither current nor the one just bumped").isEqualTo(fenced());
        assertThat(init(c, pid + 99, (short) 2)).as("another producer id").isEqualTo(fenced());
        assertThat(c.transaction(TX).epoch()).isEqualTo((short) 2);
        assertThat(init(c, pid, (short) 1)).as("the live instance's retry still works").isEqualTo(ok(pid, 2));
        assertThat(initNew(c)).as("a new instance fences all").isEqualTo(ok(pid, 3));
        assertThat(init(c, pid, (short) 2)).isEqualTo(fenced());
    }

    @Test
    void duringATransactionAnOlderIdentityCannotAbortItButTheCurrentOneFencesAsANewInstanceWould() {
        TransactionCoordinator c = coordinator();
        long pid = initNew(c).producerId();
        c.handleAddPartitions(PRODUCER, new AddPartitionsToTxnRequest(2, TX, pid, (short) 0,
                List.of(new TopicPartition("t", 0)), false));
        assertThat(init(c, pid, (short) -2)).isEqualTo(fenced());
        assertThat(c.transaction(TX).state()).isEqualTo(TransactionState.ONGOING);
        assertThat(init(c, pid, (short) 0).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(c.transaction(TX).state()).isEqualTo(TransactionState.PREPARE_ABORT);
    }

    @Test
    void theRetryIsRememberedAcrossACoordinatorRestart() {
        TransactionCoordinator c = coordinator();
        long pid = initNew(c).producerId();
        init(c, pid, (short) 0);
        TransactionCoordinator restarted = coordinator();
        assertThat(init(restarted, pid, (short) 0)).isEqualTo(ok(pid, 1));
        c.handleEndTxn(PRODUCER, new EndTxnRequest(3, TX, pid, (short) 0, true));
        restarted.handleEndTxn(PRODUCER, new EndTxnRequest(3, TX, pid, (short) 0, true));
        assertThat(transport.drain(EndTxnResponse.class)).extracting(EndTxnResponse::error)
                .containsOnly(Errors.PRODUCER_FENCED);
    }

    @Test
    void withoutFencingAnOlderIdentityIsNotRefused() {
        // the no-fencing flaw (negative tests only) fences nobody, by InitProducerId either
        TransactionCoordinator c = coordinator(false);
        long pid = initNew(c).producerId();
        assertThat(init(c, pid, (short) 0)).isEqualTo(ok(pid, 1));
        assertThat(init(c, pid + 99, (short) 7).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void onlyAnEmptyTransactionRemembersTheIdentityThatReInitialisedIt() {
        TransactionMetadata ongoing = TransactionMetadata.fresh(TX, 5, (short) 0, 60_000)
                .transition(TransactionState.ONGOING, (short) 0, java.util.Set.of(new TopicPartition("t", 0)), 1L);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ongoing.withInitializingProducer(5, (short) 0))
                .isInstanceOf(IllegalStateException.class);
        TransactionMetadata empty = TransactionMetadata.fresh(TX, 5, (short) 1, 60_000).withInitializingProducer(5, (short) 0);
        assertThat(empty.lastInitRetry()).isTrue();
        assertThat(TransactionMetadata.fresh(TX, 5, (short) 1, 60_000).lastInitRetry()).isFalse();
    }
}
