package dev.deliverycheck.producer.internals;

import static dev.deliverycheck.producer.internals.TransactionManager.State.ABORTABLE_ERROR;
import static dev.deliverycheck.producer.internals.TransactionManager.State.FATAL_ERROR;
import static dev.deliverycheck.producer.internals.TransactionManager.State.INITIALIZING;
import static dev.deliverycheck.producer.internals.TransactionManager.State.READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.event.ProducerAddPartitions;
import dev.deliverycheck.event.ProducerBeginTxn;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.producer.errors.BrokerErrorException;
import dev.deliverycheck.producer.errors.ProducerException;
import dev.deliverycheck.producer.errors.ProducerFencedException;
import dev.deliverycheck.producer.errors.TimeoutException;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Behaviour of {@link TransactionManager} the mutation run (PIT, {@code -Pmutation}) found
 * unpinned by the other tests: the change counter the sender relies on, what an acknowledgement
 * implies for earlier batches, sequence-error retries, the answers to each transactional request
 * kind, and requests failing in error states.
 */
class TransactionManagerMutationTest extends TransactionManagerFixture {
    /** Asserts that {@code step} made the change count grow (the sender's "did anything happen" test). */
    private static void grows(TransactionManager tm, String what, Runnable step) {
        long before = tm.changeCount();
        step.run();
        assertThat(tm.changeCount()).as(what).isGreaterThan(before);
    }

    @Test
    void everyChangeOfStateGrowsTheChangeCount() {
        TransactionManager tm = idempotent();
        grows(tm, "asking for a producer id", () -> tm.bumpIdempotentEpochAndResetIdIfNeeded(tp -> false));
        TxnRequest[] init = new TxnRequest[1];
        grows(tm, "taking a request to send", () -> init[0] = tm.requestHandler().nextRequest(false, 0, ANY_BROKER));
        grows(tm, "an answer", () -> tm.requestHandler().handleResponse(init[0], new InitProducerIdResponse(1, Errors.NONE, 42, (short) 0), 0));
        ProducerBatch a = batch(P0, 1);
        ProducerBatch b = batch(P0, 1);
        grows(tm, "stamping a sequence", () -> tm.sequenceHandler().stampSequence(a));
        grows(tm, "stamping another", () -> tm.sequenceHandler().stampSequence(b));
        grows(tm, "an acknowledged batch", () -> tm.sequenceHandler().handleCompletedBatch(a, 0));
        grows(tm, "a failed batch", () -> tm.sequenceHandler().handleFailedBatch(b, new TimeoutException("expired"), true));
        grows(tm, "resolving the failure (a bump is needed)", () -> tm.sequenceHandler().maybeResolveSequences(tp -> false));
        assertThat(tm.epochBumpRequired()).isTrue();
        grows(tm, "the epoch bump", () -> tm.bumpIdempotentEpochAndResetIdIfNeeded(tp -> false));
        assertThat(tm.producerIdAndEpoch()).isEqualTo(new ProducerIdAndEpoch(42, (short) 1));
        grows(tm, "a request queued again after a disconnect", () -> tm.requestHandler().handleDisconnect(init[0], 0));
        grows(tm, "failing what is pending", () -> tm.failPending(new ProducerException("closed")));

        TransactionManager txn = initTransactional(transactional());
        grows(txn, "beginning a transaction", txn::beginTransaction);
        grows(txn, "a partition new in the transaction", () -> txn.maybeAddPartition(P0));
        long before = txn.changeCount();
        txn.maybeAddPartition(P0);
        assertThat(txn.changeCount()).as("the same partition again is no change").isEqualTo(before);
    }

    /**
     * Issue 14 rule 2 (failed before: the acknowledgement of b completed a as "implied written"):
     * as in Kafka 4.4, a later acknowledgement completes only its own batch.
     */
    @Test
    void anAcknowledgementCompletesOnlyItsOwnBatch() {
        TransactionManager tm = initIdempotent(idempotent());
        ProducerBatch a = batch(P0, 1);
        ProducerBatch b = batch(P0, 2);
        ProducerBatch c = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().stampSequence(b);
        tm.sequenceHandler().stampSequence(c);

        tm.sequenceHandler().handleCompletedBatch(b, 10);
        assertThat(tm.sequenceHandler().lastAckedSequence(P0)).isEqualTo(2);
        assertThat(tm.sequenceHandler().shouldStopDrain(c, P0)).as("a is still the first in flight: c waits").isTrue();
        assertThat(tm.sequenceHandler().shouldStopDrain(a, P0)).as("a goes first").isFalse();
        assertThat(tm.sequenceHandler().hasInflightBatches(P0)).isTrue();
        tm.sequenceHandler().handleCompletedBatch(a, 9);
        assertThat(tm.sequenceHandler().lastAckedSequence(P0)).as("an earlier acknowledgement does not move it back").isEqualTo(2);
        assertThat(tm.sequenceHandler().shouldStopDrain(c, P0)).as("a done: c is first").isFalse();

        tm.sequenceHandler().handleCompletedBatch(c, 12);
        assertThat(tm.sequenceHandler().hasInflightBatches(P0)).isFalse();
        assertThat(tm.sequenceHandler().hasInflightBatches(P1)).isFalse();
        tm.sequenceHandler().handleCompletedBatch(batch(P1, 1), 0);
        assertThat(tm.sequenceHandler().hasInflightBatches(P1)).as("a batch of a partition never stamped").isFalse();
    }

    @Test
    void sequenceErrorsAreRetriedOnlyWhileTheGapMayClose() {
        TransactionManager tm = initIdempotent(idempotent());
        assertThat(tm.sequenceHandler().canRetry(Errors.NOT_LEADER_OR_FOLLOWER, batch(P0, 1))).isTrue();
        assertThat(tm.sequenceHandler().canRetry(Errors.INVALID_PRODUCER_EPOCH, batch(P0, 1))).isFalse();
        ProducerBatch a = batch(P0, 1);
        ProducerBatch b = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().stampSequence(b);
        assertThat(tm.sequenceHandler().canRetry(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, batch(P0, 1))).as("no sequence: nothing to resolve").isFalse();
        assertThat(tm.sequenceHandler().canRetry(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, batch(P1, 1))).isFalse();

        // b may or may not have been written; an answer about the earlier a does not close that question
        tm.sequenceHandler().handleFailedBatch(b, new TimeoutException("expired"), true);
        assertThat(tm.sequenceHandler().canRetry(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, a)).isTrue();
        assertThat(tm.epochBumpRequired()).as("a does not follow the unresolved batch").isFalse();

        // a rejected batch leaves a gap: the bump renumbers what is in flight, not the rejected batch
        TransactionManager other = initIdempotent(idempotent());
        ProducerBatch rejected = batch(P1, 1);
        ProducerBatch next = batch(P1, 1);
        other.sequenceHandler().stampSequence(rejected);
        other.sequenceHandler().stampSequence(next);
        other.sequenceHandler().handleFailedBatch(rejected, new BrokerErrorException(Errors.INVALID_PRODUCER_EPOCH, "rejected"), false);
        assertThat(other.sequenceHandler().shouldStopDrain(next, P1)).as("held until the bump").isTrue();
        other.bumpIdempotentEpochAndResetIdIfNeeded(tp -> false);
        assertThat(other.sequenceHandler().shouldStopDrain(next, P1)).as("renumbered, it may go").isFalse();
        assertThat(next.producerEpoch()).isEqualTo((short) 1);
        assertThat(rejected.producerEpoch()).isZero();
        assertThat(other.sequenceHandler().canRetry(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, next)).as("an answer about its old numbers").isTrue();
        assertThat(other.sequenceHandler().canRetry(Errors.UNKNOWN_PRODUCER_ID, next)).as("an answer about its old numbers").isTrue();
        assertThat(other.epochBumpRequired()).isFalse();
    }

    @Test
    void aTransactionalProducerGivesUpOnARealGapInsteadOfBumping() {
        TransactionManager tm = initTransactional(transactional());
        tm.beginTransaction();
        addPartition(tm, P0);
        ProducerBatch a = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        assertThat(tm.sequenceHandler().canRetry(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, a)).isFalse();
        assertThat(tm.epochBumpRequired()).isFalse();
    }

    @Test
    void theLaterOfTwoIndeterminateFailuresIsTheUnresolvedOne() {
        TransactionManager tm = initIdempotent(idempotent());
        ProducerBatch a = batch(P0, 1);
        ProducerBatch b = batch(P0, 1);
        ProducerBatch c = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().stampSequence(b);
        tm.sequenceHandler().stampSequence(c);
        tm.sequenceHandler().handleFailedBatch(a, new TimeoutException("expired"), true);
        tm.sequenceHandler().handleFailedBatch(b, new TimeoutException("expired"), true);
        assertThat(tm.sequenceHandler().hasUnresolvedSequence(P0)).isTrue();
        assertThat(tm.sequenceHandler().canRetry(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, c)).isTrue();
        assertThat(tm.epochBumpRequired()).as("c follows b, the unresolved batch: the gap is real").isTrue();
    }

    @Test
    void anUnresolvedBatchIsJudgedOnlyOnceNothingOfItsPartitionIsOutstanding() {
        TransactionManager tm = initIdempotent(idempotent());
        ProducerBatch a = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().handleFailedBatch(a, new TimeoutException("expired"), true);
        tm.sequenceHandler().maybeResolveSequences(tp -> true);
        assertThat(tm.sequenceHandler().hasUnresolvedSequence(P0)).as("a request with a batch of P0 may still answer").isTrue();
        assertThat(tm.epochBumpRequired()).isFalse();
        tm.sequenceHandler().maybeResolveSequences(tp -> false);
        assertThat(tm.sequenceHandler().hasUnresolvedSequence(P0)).isFalse();
        assertThat(tm.epochBumpRequired()).as("sequence 0 was never acknowledged").isTrue();
    }

    @Test
    void transactionalMethodsOfAnIdempotentProducerNameTheMisuse() {
        TransactionManager tm = idempotent();
        String misuse = "Transactional method invoked on a non-transactional producer.";
        assertThatThrownBy(tm::beginTransaction).isInstanceOf(IllegalStateException.class).hasMessage(misuse);
        assertThatThrownBy(tm::beginCommit).isInstanceOf(IllegalStateException.class).hasMessage(misuse);
        assertThatThrownBy(tm::beginAbort).isInstanceOf(IllegalStateException.class).hasMessage(misuse);
    }

    @Test
    void initTransactionsInAnErrorStateThrowsThatError() {
        TransactionManager tm = initTransactional(transactional());
        tm.beginTransaction();
        RuntimeException boom = new RuntimeException("boom");
        tm.transitionToAbortableError(boom);
        assertThatThrownBy(tm::initializeTransactions).isInstanceOf(ProducerException.class).hasCause(boom);
        assertThat(tm.state()).isEqualTo(ABORTABLE_ERROR);
    }

    @Test
    void aRepeatedAbortReturnsThePendingResultUntilTheNewEpochIsThere() {
        TransactionManager tm = initTransactional(transactional());
        tm.beginTransaction();
        addPartition(tm, P0);
        ProducerBatch a = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().handleFailedBatch(a, new TimeoutException("expired"), true);
        CompletableFuture<Void> abort = tm.beginAbort();
        assertThat(tm.beginAbort()).as("while aborting").isSameAs(abort);
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), new EndTxnResponse(3, Errors.NONE), 0);
        assertThat(tm.state()).isEqualTo(INITIALIZING);
        assertThat(tm.beginAbort()).as("while the abort bumps the epoch").isSameAs(abort);
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), new InitProducerIdResponse(4, Errors.NONE, 5, (short) 1), 0);
        assertThat(abort).isCompleted();
        assertThatThrownBy(tm::beginAbort).as("nothing to abort").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void initProducerIdErrors() {
        TransactionManager abortable = transactional();
        CompletableFuture<Void> init = abortable.initializeTransactions();
        abortable.requestHandler().handleResponse(abortable.requestHandler().nextRequest(false, 0, ANY_BROKER),
                new InitProducerIdResponse(1, Errors.TRANSACTION_ABORTABLE, -1, (short) -1), 0);
        assertThat(abortable.state()).isEqualTo(ABORTABLE_ERROR);
        assertThat(init).isCompletedExceptionally();
        assertThatThrownBy(init::join).hasCauseInstanceOf(BrokerErrorException.class);

        TransactionManager unexpected = transactional();
        CompletableFuture<Void> init2 = unexpected.initializeTransactions();
        unexpected.requestHandler().handleResponse(unexpected.requestHandler().nextRequest(false, 0, ANY_BROKER),
                new InitProducerIdResponse(1, Errors.INVALID_REQUEST, -1, (short) -1), 0);
        assertThat(unexpected.state()).isEqualTo(FATAL_ERROR);
        assertThat(unexpected.lastError()).hasMessageContaining("InitProducerId");
        assertThat(init2).isCompletedExceptionally();
    }

    @Test
    void anAnswerOfTheWrongKindCountsAsNoAnswer() {
        TransactionManager tm = transactional();
        CompletableFuture<Void> init = tm.initializeTransactions();
        TxnRequest r = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        tm.requestHandler().handleResponse(r, new EndTxnResponse(1, Errors.NONE), 1000);
        assertThat(tm.state()).isEqualTo(INITIALIZING);
        assertThat(init).isNotDone();
        assertThat(tm.requestHandler().nextRequest(false, 1099, ANY_BROKER)).as("resent after retry.backoff.ms").isNull();
        assertThat(tm.nextRetryMs(1000)).isEqualTo(1100);
        assertThat(tm.nextRetryMs(1100)).as("only retries after the given time count").isEqualTo(Long.MAX_VALUE);
        assertThat(tm.requestHandler().nextRequest(false, 1100, ANY_BROKER)).isSameAs(r);
    }

    @Test
    void addPartitionsAnswers() {
        TransactionManager tm = initTransactional(transactional());
        tm.beginTransaction();
        addPartition(tm, P0);
        assertThat(tm.isPartitionAdded(P0)).isTrue();
        assertThat(tm.isPartitionPendingAdd(P0)).as("added, no longer pending").isFalse();

        tm.maybeAddPartition(P1);
        TxnRequest add = tm.requestHandler().nextRequest(false, 1000, ANY_BROKER);
        assertThat(tm.isPartitionPendingAdd(P1)).isTrue();
        tm.requestHandler().handleResponse(add, new AddPartitionsToTxnResponse(3, Errors.CONCURRENT_TRANSACTIONS), 1000);
        assertThat(tm.nextRetryMs(1000)).as("a partition was added already: the full backoff").isEqualTo(1100);
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 1100, ANY_BROKER), new AddPartitionsToTxnResponse(4, Errors.INVALID_PRODUCER_ID_MAPPING), 1100);
        assertThat(tm.state()).isEqualTo(ABORTABLE_ERROR);
        assertThat(tm.lastError()).isInstanceOf(BrokerErrorException.class).hasMessageContaining("INVALID_PRODUCER_ID_MAPPING");
        assertThat(tm.isPartitionPendingAdd(P1)).isFalse();
        assertThat(tm.isPartitionAdded(P1)).isFalse();

        TransactionManager other = initTransactional(transactional());
        other.beginTransaction();
        other.maybeAddPartition(P0);
        other.requestHandler().handleResponse(other.requestHandler().nextRequest(false, 0, ANY_BROKER), new AddPartitionsToTxnResponse(2, Errors.INVALID_REQUEST), 0);
        assertThat(other.state()).isEqualTo(FATAL_ERROR);
        assertThat(other.lastError()).hasMessageContaining("unexpected error in AddPartitionsToTxn response");
    }

    @Test
    void addPartitionsRequestsGoOutInTheOrderTheyWereQueued() {
        TransactionManager tm = initTransactional(transactional());
        tm.beginTransaction();
        tm.maybeAddPartition(P0);
        TxnRequest first = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        tm.maybeAddPartition(P1);
        assertThat(tm.requestHandler().nextRequest(false, 0, broker -> false)).as("the coordinator has no free slot").isNull();
        tm.requestHandler().handleDisconnect(first, 0);
        TxnRequest again = tm.requestHandler().nextRequest(false, 100, ANY_BROKER);
        assertThat(again).isSameAs(first);
        assertThat(tm.requestHandler().nextRequest(false, 100, ANY_BROKER).partitions()).containsExactly(P1);
    }

    @Test
    void endTxnAnswers() {
        TransactionManager tm = initTransactional(transactional());
        tm.beginTransaction();
        addPartition(tm, P0);
        CompletableFuture<Void> commit = tm.beginCommit();
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 1000, ANY_BROKER), new EndTxnResponse(3, Errors.NOT_COORDINATOR), 1000);
        assertThat(tm.requestHandler().nextRequest(false, 1099, ANY_BROKER)).as("resent after retry.backoff.ms").isNull();
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 1100, ANY_BROKER), new EndTxnResponse(4, Errors.UNKNOWN_PRODUCER_ID), 1100);
        assertThat(tm.state()).isEqualTo(ABORTABLE_ERROR);
        assertThat(tm.epochBumpRequired()).isTrue();
        assertThat(commit).isCompletedExceptionally();

        TransactionManager aborting = initTransactional(transactional());
        aborting.beginTransaction();
        addPartition(aborting, P0);
        CompletableFuture<Void> abort = aborting.beginAbort();
        aborting.requestHandler().handleResponse(aborting.requestHandler().nextRequest(false, 0, ANY_BROKER), new EndTxnResponse(3, Errors.UNKNOWN_PRODUCER_ID), 0);
        assertThat(aborting.state()).as("an abort is not retried on UNKNOWN_PRODUCER_ID").isEqualTo(FATAL_ERROR);
        assertThat(aborting.lastError()).hasMessageContaining("EndTxn(abort)");
        assertThat(abort).isCompletedExceptionally();

        TransactionManager unexpected = initTransactional(transactional());
        unexpected.beginTransaction();
        addPartition(unexpected, P0);
        unexpected.beginCommit();
        unexpected.requestHandler().handleResponse(unexpected.requestHandler().nextRequest(false, 0, ANY_BROKER), new EndTxnResponse(3, Errors.INVALID_REQUEST), 0);
        assertThat(unexpected.state()).isEqualTo(FATAL_ERROR);
        assertThat(unexpected.lastError()).hasMessageContaining("EndTxn(commit)");
    }

    @Test
    void anEndedTransactionForgetsPartitionsStillBeingAdded() {
        TransactionManager tm = initTransactional(transactional());
        tm.beginTransaction();
        addPartition(tm, P0);
        tm.maybeAddPartition(P1);
        TxnRequest addP1 = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        assertThat(addP1.partitions()).containsExactly(P1);
        tm.beginAbort();
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), new EndTxnResponse(3, Errors.NONE), 0);
        assertThat(tm.state()).isEqualTo(READY);
        assertThat(tm.isPartitionPendingAdd(P1)).isFalse();
        assertThat(tm.isPartitionAdded(P0)).isFalse();
    }

    @Test
    void queuedRequestsFailInAnErrorState() {
        TransactionManager tm = initTransactional(transactional());
        tm.beginTransaction();
        addPartition(tm, P0);
        tm.maybeAddPartition(P1);
        assertThat(tm.requestHandler().nextRequest(false, 0, broker -> false)).as("queued, the coordinator is busy").isNull();
        tm.transitionToAbortableError(new RuntimeException("boom"));
        grows(tm, "failing the queued AddPartitions", () -> assertThat(tm.requestHandler().nextRequest(false, 0, ANY_BROKER)).isNull());
        assertThat(tm.isPartitionPendingAdd(P1)).isFalse();
        assertThat(tm.hasPendingRequests()).isFalse();

        // the epoch bump of an abort cannot be sent in an error state: the abort fails
        TransactionManager bumping = initTransactional(transactional());
        bumping.beginTransaction();
        addPartition(bumping, P0);
        ProducerBatch a = batch(P0, 1);
        bumping.sequenceHandler().stampSequence(a);
        bumping.sequenceHandler().handleFailedBatch(a, new TimeoutException("expired"), true);
        CompletableFuture<Void> abort = bumping.beginAbort();
        bumping.requestHandler().handleResponse(bumping.requestHandler().nextRequest(false, 0, ANY_BROKER), new EndTxnResponse(3, Errors.NONE), 0);
        assertThat(bumping.state()).isEqualTo(INITIALIZING);
        bumping.transitionToAbortableError(new RuntimeException("boom"));
        assertThat(bumping.requestHandler().nextRequest(false, 0, ANY_BROKER)).isNull();
        assertThat(abort).isCompletedExceptionally();
    }

    @Test
    void aFatalErrorFailsEveryQueuedRequest() {
        TransactionManager tm = initTransactional(transactional());
        tm.beginTransaction();
        tm.maybeAddPartition(P0);
        assertThat(tm.requestHandler().nextRequest(false, 0, broker -> false)).isNull();
        assertThat(tm.isPartitionPendingAdd(P0)).isTrue();
        tm.transitionToFatalError(new ProducerFencedException("fenced"));
        assertThat(tm.isPartitionPendingAdd(P0)).isFalse();
        assertThat(tm.hasPendingRequests()).isFalse();
    }

    @Test
    void ongoingTransactionAndItsIndex() {
        TransactionManager tm = initTransactional(transactional());
        assertThat(tm.hasOngoingTransaction()).isFalse();
        assertThat(tm.sendTransactionIndex()).isEqualTo(-1);
        tm.beginTransaction();
        assertThat(tm.hasOngoingTransaction()).isTrue();
        assertThat(tm.sendTransactionIndex()).isZero();
        tm.beginCommit();
        assertThat(tm.hasOngoingTransaction()).as("committing").isTrue();
        grows(tm, "ending a transaction without EndTxn",
                () -> assertThat(tm.requestHandler().nextRequest(false, 0, ANY_BROKER)).as("nothing was added: no EndTxn").isNull());
        assertThat(tm.hasOngoingTransaction()).isFalse();
        tm.beginTransaction();
        assertThat(tm.sendTransactionIndex()).isEqualTo(1);
        tm.transitionToAbortableError(new RuntimeException("boom"));
        assertThat(tm.hasOngoingTransaction()).as("abortable: the caller must still abort").isTrue();
        assertThat(tm.sendTransactionIndex()).as("a send refused inside the transaction belongs to it").isEqualTo(1);
        tm.transitionToFatalError(new ProducerFencedException("fenced"));
        assertThat(tm.sendTransactionIndex()).as("fenced inside the transaction").isEqualTo(1);
        assertThat(idempotent().sendTransactionIndex()).isEqualTo(-1);
    }

    @Test
    void aSendRefusedAfterTheTransactionEndedBelongsToNone() {
        TransactionManager tm = initTransactional(transactional());
        tm.beginTransaction();
        tm.beginCommit();
        grows(tm, "ending a transaction without EndTxn",
                () -> assertThat(tm.requestHandler().nextRequest(false, 0, ANY_BROKER)).isNull());
        tm.transitionToFatalError(new ProducerFencedException("fenced"));
        assertThat(tm.sendTransactionIndex()).as("the committed transaction owes nothing more").isEqualTo(-1);
    }

    @Test
    void requestsGoToTheCoordinatorOrTheLeastBrokerId() {
        String id = IntStream.range(0, 100).mapToObj(i -> "tx-" + i)
                .filter(t -> CLUSTER.coordinatorFor(t) != 0).findFirst().orElseThrow();
        TransactionManager tm = new TransactionManager(id, 60000, 100, CLUSTER, events);
        tm.initializeTransactions();
        assertThat(tm.requestHandler().destination(tm.requestHandler().nextRequest(false, 0, ANY_BROKER))).isEqualTo(CLUSTER.coordinatorFor(id)).isNotZero();

        ClusterMetadata noBrokerZero = new ClusterMetadata(List.of(3, 1, 2), Map.of("t", 4));
        TransactionManager idem = new TransactionManager(null, 60000, 100, noBrokerZero, events);
        idem.bumpIdempotentEpochAndResetIdIfNeeded(tp -> false);
        assertThat(idem.requestHandler().destination(idem.requestHandler().nextRequest(false, 0, ANY_BROKER))).isEqualTo(1);
    }

    @Test
    void theTransactionalEventsAreEmittedAsTheirStepsHappen() {
        TransactionManager tm = initTransactional(transactional());
        assertThat(tm.transactionalId()).isEqualTo("tx-1");
        tm.beginTransaction();
        assertThat(recorded.of(ProducerBeginTxn.class)).containsExactly(new ProducerBeginTxn(100, 0));
        tm.maybeAddPartition(P0);
        TxnRequest add = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        assertThat(recorded.of(ProducerAddPartitions.class)).as("emitted when the request is built").isEmpty();
        tm.requestHandler().buildRequest(add, 7);
        assertThat(recorded.of(ProducerAddPartitions.class))
                .containsExactly(new ProducerAddPartitions(100, "tx-1", 5, (short) 0, List.of(P0)));
        tm.requestHandler().handleResponse(add, new AddPartitionsToTxnResponse(7, Errors.NONE), 0);
        tm.beginCommit();
        tm.requestHandler().buildRequest(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), 8);
        assertThat(recorded.of(ProducerEndTxn.class)).containsExactly(new ProducerEndTxn(100, "tx-1", 5, (short) 0, 0, true));

        TransactionManager failing = initTransactional(transactional());
        failing.beginTransaction();
        failing.transitionToAbortableError(new RuntimeException("boom"));
        assertThat(failing.beginCommit()).isCompletedExceptionally();
        assertThat(recorded.of(ProducerEndTxnResult.class)).singleElement()
                .satisfies(r -> {
                    assertThat(r.commit()).isTrue();
                    assertThat(r.error()).isNotNull();
                });
    }

    @Test
    void anAbortDoesNotAddPartitionsThatWereNeverAdded() {
        TransactionManager tm = initTransactional(transactional());
        tm.beginTransaction();
        addPartition(tm, P0);
        tm.maybeAddPartition(P1);
        tm.beginAbort();
        assertThat(tm.isAborting()).isTrue();
        TxnRequest next = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        assertThat(next.isEndTxn()).isTrue();
        assertThat(next.commit()).isFalse();
        assertThat(tm.isPartitionPendingAdd(P1)).isFalse();
    }

    @Test
    void aCommitThatBecameAbortableNeverSendsItsEndTxn() {
        TransactionManager tm = initTransactional(transactional());
        tm.beginTransaction();
        addPartition(tm, P0);
        ProducerBatch a = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        CompletableFuture<Void> commit = tm.beginCommit();
        assertThat(tm.requestHandler().nextRequest(true, 0, ANY_BROKER)).as("waits for the batch").isNull();
        tm.sequenceHandler().handleFailedBatch(a, new TimeoutException("expired"), true);
        assertThat(commit).isCompletedExceptionally();
        tm.beginAbort();
        TxnRequest end = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        assertThat(end.isEndTxn()).isTrue();
        assertThat(end.commit()).as("the queued EndTxn(commit) was dropped").isFalse();
        assertThat(tm.requestHandler().nextRequest(false, 0, ANY_BROKER)).isNull();
    }

    @Test
    void aFencedBatchIsFatalForATransactionalProducer() {
        TransactionManager tm = initTransactional(transactional());
        tm.beginTransaction();
        assertThat(tm.isAborting()).isFalse();
        addPartition(tm, P0);
        ProducerBatch a = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().handleFailedBatch(a, new ProducerFencedException("fenced"), false);
        assertThat(tm.state()).isEqualTo(FATAL_ERROR);
        assertThat(tm.lastError()).isInstanceOf(ProducerFencedException.class);
    }
}
