package dev.deliverycheck.producer.internals;

import static dev.deliverycheck.producer.internals.TransactionManager.State.ABORTABLE_ERROR;
import static dev.deliverycheck.producer.internals.TransactionManager.State.FATAL_ERROR;
import static dev.deliverycheck.producer.internals.TransactionManager.State.READY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.ProducerBumpEpoch;
import dev.deliverycheck.event.ProducerFenced;
import dev.deliverycheck.producer.errors.BrokerErrorException;
import dev.deliverycheck.producer.errors.ProducerFencedException;
import dev.deliverycheck.producer.errors.TimeoutException;
import dev.deliverycheck.protocol.Errors;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SequenceHandler}: what failed, rejected and retried batches mean for their partitions'
 * sequence numbers, driven through a {@link TransactionManager} as the sender drives it.
 */
class SequenceHandlerTest extends TransactionManagerFixture {

    /**
     * Issue 14 rule 6 (failed before: only a batch that carried a sequence required the bump): a
     * batch of the transaction that fails before it was ever stamped requires it too, as in Kafka.
     */
    @Test
    void aFailedTransactionalBatchWithoutASequenceRequiresTheEpochBumpToo() {
        TransactionManager tm = transactional();
        initTransactional(tm, 5, (short) 0);
        tm.beginTransaction();
        addPartition(tm, P0);
        ProducerBatch never = batch(P0, 1);
        tm.sequenceHandler().handleFailedBatch(never, new TimeoutException("expired in the queue"), false);
        assertThat(tm.state()).isEqualTo(ABORTABLE_ERROR);
        assertThat(tm.epochBumpRequired()).isTrue();
    }

    @Test
    void outOfOrderWhileAnEarlierBatchIsInFlightIsRetriedWithoutABump() {
        TransactionManager tm = idempotent();
        initIdempotent(tm);
        ProducerBatch a = batch(P0, 1);
        ProducerBatch b = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().stampSequence(b);
        assertThat(tm.sequenceHandler().canRetry(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, b)).isTrue();
        assertThat(tm.epochBumpRequired()).isFalse();
    }

    /** Issue 14 rule 3: UNKNOWN_PRODUCER_ID is no plain retriable error; the idempotent producer bumps (Kafka 4.4). */
    @Test
    void unknownProducerIdMakesTheIdempotentProducerBumpAndTheTransactionalOneFail() {
        assertThat(Errors.UNKNOWN_PRODUCER_ID.retriable()).isFalse();
        assertThat(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.retriable()).isFalse();
        TransactionManager tm = idempotent();
        initIdempotent(tm);
        ProducerBatch a = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        assertThat(tm.sequenceHandler().canRetry(Errors.UNKNOWN_PRODUCER_ID, a)).isTrue();
        assertThat(tm.epochBumpRequired()).isTrue();
    }

    @Test
    void anUnresolvableGapBumpsTheEpochOnceNothingOfThePartitionIsOutstanding() {
        TransactionManager tm = idempotent();
        initIdempotent(tm);
        ProducerBatch a = batch(P0, 2);
        ProducerBatch b = batch(P0, 3);
        ProducerBatch other = batch(P1, 1);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().stampSequence(b);
        tm.sequenceHandler().stampSequence(other);
        assertThat(tm.sequenceHandler().canRetry(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, a)).as("the first in flight: the gap is real").isTrue();
        assertThat(tm.epochBumpRequired()).isTrue();
        assertThat(tm.sequenceHandler().shouldStopDrain(a, P0)).as("nothing of the partition goes out before the bump").isTrue();
        tm.bumpIdempotentEpochAndResetIdIfNeeded(tp -> tp.equals(P0));
        assertThat(tm.producerIdAndEpoch().epoch()).as("a request with a batch of P0 is outstanding").isZero();
        tm.bumpIdempotentEpochAndResetIdIfNeeded(tp -> false);
        assertThat(tm.producerIdAndEpoch()).isEqualTo(new ProducerIdAndEpoch(42, (short) 1));
        assertThat(recorded.of(ProducerBumpEpoch.class)).containsExactly(new ProducerBumpEpoch(100, 42, (short) 1));
        assertThat(a.producerEpoch()).isEqualTo((short) 1);
        assertThat(a.baseSequence()).isZero();
        assertThat(b.baseSequence()).isEqualTo(2);
        assertThat(tm.sequenceHandler().sequenceNumber(P0)).isEqualTo(5);
        assertThat(other.producerEpoch()).as("other partitions keep their batches' numbers").isZero();
        ProducerBatch newOnP1 = batch(P1, 1);
        assertThat(tm.sequenceHandler().shouldStopDrain(newOnP1, P1)).as("new epoch must not overtake P1's old-epoch batch").isTrue();
        tm.sequenceHandler().handleCompletedBatch(other, 10);
        assertThat(tm.sequenceHandler().shouldStopDrain(newOnP1, P1)).isFalse();
        tm.sequenceHandler().stampSequence(newOnP1);
        assertThat(newOnP1.baseSequence()).isZero();
        assertThat(newOnP1.producerEpoch()).isEqualTo((short) 1);
    }

    @Test
    void anExpiredBatchThatLandedAfterAllResolvesWithoutABump() {
        TransactionManager tm = idempotent();
        initIdempotent(tm);
        ProducerBatch a = batch(P0, 1);
        ProducerBatch b = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().stampSequence(b);
        tm.sequenceHandler().handleFailedBatch(a, new TimeoutException("expired"), true);
        assertThat(tm.sequenceHandler().hasUnresolvedSequence(P0)).isTrue();
        assertThat(tm.sequenceHandler().shouldStopDrain(batch(P0, 1), P0)).isTrue();
        tm.sequenceHandler().handleCompletedBatch(b, 1);
        tm.sequenceHandler().maybeResolveSequences(tp -> false);
        assertThat(tm.sequenceHandler().hasUnresolvedSequence(P0)).isFalse();
        assertThat(tm.epochBumpRequired()).isFalse();
    }

    @Test
    void anExpiredBatchThatNeverLandedEndsInABump() {
        TransactionManager tm = idempotent();
        initIdempotent(tm);
        ProducerBatch a = batch(P0, 1);
        ProducerBatch b = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().stampSequence(b);
        tm.sequenceHandler().handleFailedBatch(a, new TimeoutException("expired"), true);
        assertThat(tm.sequenceHandler().canRetry(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, b)).as("b follows the unresolved batch").isTrue();
        assertThat(tm.epochBumpRequired()).isTrue();
        tm.bumpIdempotentEpochAndResetIdIfNeeded(tp -> false);
        assertThat(b.baseSequence()).isZero();
        assertThat(b.producerEpoch()).isEqualTo((short) 1);
        assertThat(tm.sequenceHandler().hasUnresolvedSequence(P0)).isFalse();
    }

    @Test
    void aRejectedBatchLeavesAGapAndRequestsABump() {
        TransactionManager tm = idempotent();
        initIdempotent(tm);
        ProducerBatch a = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().handleFailedBatch(a, new BrokerErrorException(Errors.INVALID_PRODUCER_EPOCH, "old"), false);
        assertThat(tm.epochBumpRequired()).isTrue();
        assertThat(tm.state()).as("idempotent: not fatal").isEqualTo(READY);
    }

    @Test
    void aProduceAnswerOfAnOldEpochIsAbortableWhileKafkasFatalBatchErrorsAreFatal() {
        // KIP-588: INVALID_PRODUCER_EPOCH on a Produce answer lets the application abort and continue.
        TransactionManager tm = transactional();
        initTransactional(tm, 5, (short) 0);
        tm.beginTransaction();
        ProducerBatch a = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().handleFailedBatch(a, new BrokerErrorException(Errors.INVALID_PRODUCER_EPOCH, "old epoch"), false);
        assertThat(tm.state()).isEqualTo(ABORTABLE_ERROR);
        assertThat(tm.epochBumpRequired()).isTrue();
        assertThat(recorded.of(ProducerFenced.class)).isEmpty();
        for (Errors fatal : List.of(Errors.PRODUCER_FENCED, Errors.CLUSTER_AUTHORIZATION_FAILED,
                Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, Errors.UNSUPPORTED_VERSION,
                Errors.INVALID_PRODUCER_ID_MAPPING)) {
            TransactionManager other = transactional();
            initTransactional(other, 6, (short) 0);
            other.beginTransaction();
            ProducerBatch b = batch(P0, 1);
            other.sequenceHandler().stampSequence(b);
            other.sequenceHandler().handleFailedBatch(b, new BrokerErrorException(fatal, "refused"), false);
            assertThat(other.state()).as(fatal.name()).isEqualTo(FATAL_ERROR);
        }
        assertThat(SequenceHandler.isFatalBatchError(new ProducerFencedException("fenced"))).isTrue();
        assertThat(SequenceHandler.isFatalBatchError(new TimeoutException("expired"))).isFalse();
        assertThat(SequenceHandler.isFatalBatchError(new BrokerErrorException(Errors.INVALID_TXN_STATE, "x"))).isFalse();
    }
}
