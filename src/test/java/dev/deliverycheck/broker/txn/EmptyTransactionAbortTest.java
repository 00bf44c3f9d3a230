package dev.deliverycheck.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.env.testkit.CapturingTransport;
import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
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
 * KIP-890 part 2 (transaction version 2): a transaction whose partitions no leader added yet (its
 * only batch never arrived) is still aborted with an epoch bump, so that batch, should it arrive
 * late, is refused by its old epoch instead of opening the next transaction. Without the bump per
 * transaction (version 1) such an abort finds no transaction, as before.
 */
class EmptyTransactionAbortTest {
    private static final ClusterMetadata CLUSTER = ClusterMetadata.of(1, "t", 2);
    private static final String TX = "tx";
    private static final int PRODUCER = 100;

    private final SimulatedDisk disk = new SimulatedDisk();
    private final CapturingTransport transport = new CapturingTransport();
    private int correlationIds;

    private TransactionCoordinator coordinator(boolean bumpEpochPerTxn) {
        return new TransactionCoordinator(CLUSTER.coordinatorFor(TX), CLUSTER,
                new TransactionCoordinator.Settings(900_000, 30_000, 100, true, bumpEpochPerTxn), disk,
                () -> 1_000L, transport, e -> { }, () -> ++correlationIds);
    }

    private long init(TransactionCoordinator c) {
        c.handleInitProducerId(PRODUCER, new InitProducerIdRequest(1, TX, 60_000));
        return transport.drain(InitProducerIdResponse.class).get(0).producerId();
    }

    private EndTxnResponse end(TransactionCoordinator c, long pid, int epoch, boolean commit) {
        c.handleEndTxn(PRODUCER, new EndTxnRequest(2, TX, pid, (short) epoch, commit));
        return transport.drain(EndTxnResponse.class).get(0);
    }

    @Test
    void anAbortOfATransactionNoPartitionWasAddedToBumpsTheEpoch() {
        TransactionCoordinator c = coordinator(true);
        long pid = init(c);
        assertThat(end(c, pid, 0, true)).as("a commit of nothing").isEqualTo(new EndTxnResponse(2, Errors.INVALID_TXN_STATE));
        assertThat(end(c, pid, 0, false)).isEqualTo(new EndTxnResponse(2, Errors.NONE, pid, (short) 1));
        assertThat(c.transaction(TX).state()).as("no markers to write").isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(c.transaction(TX).epoch()).isEqualTo((short) 1);
        assertThat(end(c, pid, 0, false)).as("a retry gets the first answer")
                .isEqualTo(new EndTxnResponse(2, Errors.NONE, pid, (short) 1));
        c.handleAddPartitions(0, new AddPartitionsToTxnRequest(3, TX, pid, (short) 0,
                List.of(new TopicPartition("t", 0)), false));
        assertThat(transport.drain(AddPartitionsToTxnResponse.class)).extracting(AddPartitionsToTxnResponse::error)
                .as("the leader of a late batch of the aborted transaction").containsExactly(Errors.PRODUCER_FENCED);
        assertThat(end(c, pid, 1, false)).as("and again from CompleteAbort")
                .isEqualTo(new EndTxnResponse(2, Errors.NONE, pid, (short) 2));
    }

    @Test
    void withoutTheBumpPerTransactionSuchAnAbortFindsNoTransaction() {
        TransactionCoordinator c = coordinator(false);
        long pid = init(c);
        assertThat(end(c, pid, 0, false).error()).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(c.transaction(TX).state()).isEqualTo(TransactionState.EMPTY);
    }
}
