package dev.deliverycheck.producer.internals;

import static dev.deliverycheck.producer.internals.TransactionManager.State.READY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.ProducerAddPartitions;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.producer.testkit.RecordingEvents;
import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The transactional producer under the cluster's {@code transaction.version} 2 (KIP-890 part 2,
 * Kafka 4.0's default) and, as the switch it stays, 1: Kafka's {@code TransactionManager} with
 * {@code isTransactionV2Enabled}.
 */
class TransactionManagerV2Test {
    private static final ClusterMetadata V1 = ClusterMetadata.of(3, "t", 4);
    private static final ClusterMetadata V2 = V1.withTransactionVersion(2);
    private static final IntPredicate ANY_BROKER = broker -> true;
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private final RecordingEvents recorded = new RecordingEvents();
    private final TestBatches batches = new TestBatches();

    private TransactionManager initialised(ClusterMetadata cluster, long pid, short epoch) {
        TransactionManager tm = new TransactionManager("tx-1", 60000, 100, cluster, new ProducerEvents(100, recorded));
        CompletableFuture<Void> init = tm.initializeTransactions();
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), new InitProducerIdResponse(1, Errors.NONE, pid, epoch), 0);
        assertThat(init).isCompleted();
        return tm;
    }

    private ProducerBatch batch(TopicPartition tp, int records) {
        return batches.of(tp, records);
    }

    /** Writes one acknowledged batch of {@code records} to {@code tp}; returns it. */
    private ProducerBatch write(TransactionManager tm, TopicPartition tp, int records) {
        tm.maybeAddPartition(tp);
        ProducerBatch b = batch(tp, records);
        assertThat(tm.sequenceHandler().shouldStopDrain(b, tp)).as("drained at once: nothing to wait for").isFalse();
        tm.sequenceHandler().stampSequence(b);
        tm.sequenceHandler().handleCompletedBatch(b, 0);
        return b;
    }

    @Test
    void underVersion2NoAddPartitionsToTxnIsSentAndAPartitionIsWritableAtOnce() {
        TransactionManager tm = initialised(V2, 5, (short) 0);
        assertThat(tm.isTransactionV2Enabled()).isTrue();
        tm.beginTransaction();
        tm.maybeAddPartition(P0);
        tm.maybeAddPartition(P1);
        assertThat(tm.isPartitionAdded(P0)).isTrue();
        assertThat(tm.isPartitionPendingAdd(P0)).isFalse();
        assertThat(tm.isSendToPartitionAllowed(P1)).isTrue();
        assertThat(tm.sequenceHandler().shouldStopDrain(batch(P0, 1), P0)).isFalse();
        assertThat(tm.hasPendingRequests()).isFalse();
        assertThat(tm.requestHandler().nextRequest(true, 0, ANY_BROKER)).as("no AddPartitionsToTxn").isNull();
        assertThat(recorded.of(ProducerAddPartitions.class)).isEmpty();
    }

    @Test
    void underVersion2ATransactionThatWroteEndsWithEndTxnAndAdoptsTheEpochOfItsAnswer() {
        TransactionManager tm = initialised(V2, 5, (short) 0);
        tm.beginTransaction();
        write(tm, P0, 3);
        write(tm, P1, 2);
        CompletableFuture<Void> commit = tm.beginCommit();
        TxnRequest end = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        assertThat(end.kind()).as("the first request of the transaction is its EndTxn").isEqualTo(TxnRequest.Kind.END_TXN);
        assertThat(tm.requestHandler().buildRequest(end, 7)).isEqualTo(new EndTxnRequest(7, "tx-1", 5, (short) 0, true));
        tm.requestHandler().handleResponse(end, new EndTxnResponse(7, Errors.NONE, 5, (short) 1), 0);
        assertThat(commit).isCompleted();
        assertThat(tm.state()).isEqualTo(READY);
        assertThat(tm.producerIdAndEpoch()).isEqualTo(new ProducerIdAndEpoch(5, (short) 1));

        tm.beginTransaction();
        assertThat(tm.isPartitionAdded(P0)).as("partitions are per transaction").isFalse();
        ProducerBatch next = write(tm, P0, 1);
        assertThat(next.producerEpoch()).isEqualTo((short) 1);
        assertThat(next.baseSequence()).as("the new epoch starts at sequence 0").isZero();
        tm.beginAbort();
        assertThat(tm.requestHandler().buildRequest(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), 8))
                .as("the next EndTxn carries the epoch the last answer handed out")
                .isEqualTo(new EndTxnRequest(8, "tx-1", 5, (short) 1, false));
        assertThat(recorded.of(ProducerEndTxn.class)).hasSize(2);
        assertThat(recorded.of(ProducerAddPartitions.class)).isEmpty();
    }

    @Test
    void underVersion2EpochExhaustionMovesToTheNewProducerIdTheEndTxnAnswerHandsOut() {
        TransactionManager tm = initialised(V2, 5, (short) (Short.MAX_VALUE - 1));
        tm.beginTransaction();
        write(tm, P0, 2);
        CompletableFuture<Void> commit = tm.beginCommit();
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), new EndTxnResponse(4, Errors.NONE, 1005, (short) 0), 0);
        assertThat(commit).isCompleted();
        assertThat(tm.producerIdAndEpoch()).isEqualTo(new ProducerIdAndEpoch(1005, (short) 0));
        tm.beginTransaction();
        ProducerBatch next = write(tm, P0, 1);
        assertThat(next.producerId()).isEqualTo(1005);
        assertThat(next.producerEpoch()).isZero();
        assertThat(next.baseSequence()).isZero();
    }

    @Test
    void underVersion2ATransactionThatWroteNothingEndsWithoutARequest() {
        TransactionManager tm = initialised(V2, 5, (short) 0);
        tm.beginTransaction();
        CompletableFuture<Void> commit = tm.beginCommit();
        assertThat(tm.requestHandler().nextRequest(false, 0, ANY_BROKER)).isNull();
        assertThat(commit).isCompleted();
    }

    /** The switch: version 1 keeps the client's AddPartitionsToTxn before the first batch. */
    @Test
    void underVersion1ThePartitionWaitsForAddPartitionsToTxn() {
        TransactionManager tm = initialised(V1, 5, (short) 0);
        assertThat(tm.isTransactionV2Enabled()).isFalse();
        tm.beginTransaction();
        tm.maybeAddPartition(P0);
        assertThat(tm.sequenceHandler().shouldStopDrain(batch(P0, 1), P0)).isTrue();
        TxnRequest add = tm.requestHandler().nextRequest(true, 0, ANY_BROKER);
        assertThat(tm.requestHandler().buildRequest(add, 3)).isInstanceOf(AddPartitionsToTxnRequest.class);
        tm.requestHandler().handleResponse(add, new AddPartitionsToTxnResponse(3, Errors.NONE), 0);
        assertThat(tm.sequenceHandler().shouldStopDrain(batch(P0, 1), P0)).isFalse();
        assertThat(recorded.of(ProducerAddPartitions.class)).hasSize(1);
    }

    @Test
    void theClusterAdvertisesVersion1Or2Only() {
        assertThat(V1.transactionVersion()).isEqualTo(1);
        assertThat(V2.transactionVersion()).isEqualTo(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> V1.withTransactionVersion(3))
                .hasMessageContaining("transaction.version must be 1 or 2");
    }
}
