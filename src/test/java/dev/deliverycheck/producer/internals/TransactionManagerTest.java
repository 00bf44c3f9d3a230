package dev.deliverycheck.producer.internals;

import static dev.deliverycheck.producer.internals.TransactionManager.State.ABORTABLE_ERROR;
import static dev.deliverycheck.producer.internals.TransactionManager.State.ABORTING_TRANSACTION;
import static dev.deliverycheck.producer.internals.TransactionManager.State.COMMITTING_TRANSACTION;
import static dev.deliverycheck.producer.internals.TransactionManager.State.FATAL_ERROR;
import static dev.deliverycheck.producer.internals.TransactionManager.State.INITIALIZING;
import static dev.deliverycheck.producer.internals.TransactionManager.State.IN_TRANSACTION;
import static dev.deliverycheck.producer.internals.TransactionManager.State.READY;
import static dev.deliverycheck.producer.internals.TransactionManager.State.UNINITIALIZED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerFenced;
import dev.deliverycheck.event.ProducerInitProducerId;
import dev.deliverycheck.producer.errors.BrokerErrorException;
import dev.deliverycheck.producer.errors.ProducerException;
import dev.deliverycheck.producer.errors.ProducerFencedException;
import dev.deliverycheck.producer.errors.TimeoutException;
import dev.deliverycheck.producer.internals.TransactionManager.State;
import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TransactionManagerTest extends TransactionManagerFixture {

    @Test
    void transitionTableIsKafkas() {
        Map<State, Set<State>> allowedFrom = Map.of(
                UNINITIALIZED, EnumSet.of(READY, ABORTABLE_ERROR),
                INITIALIZING, EnumSet.of(UNINITIALIZED, ABORTING_TRANSACTION),
                READY, EnumSet.of(INITIALIZING, COMMITTING_TRANSACTION, ABORTING_TRANSACTION),
                IN_TRANSACTION, EnumSet.of(READY),
                COMMITTING_TRANSACTION, EnumSet.of(IN_TRANSACTION),
                ABORTING_TRANSACTION, EnumSet.of(IN_TRANSACTION, ABORTABLE_ERROR),
                ABORTABLE_ERROR, EnumSet.of(IN_TRANSACTION, COMMITTING_TRANSACTION, ABORTABLE_ERROR, INITIALIZING),
                FATAL_ERROR, EnumSet.allOf(State.class));
        for (State source : State.values()) {
            for (State target : State.values()) {
                assertThat(source.canTransitionTo(target)).as(source + " -> " + target)
                        .isEqualTo(allowedFrom.get(target).contains(source));
            }
        }
    }

    @Test
    void illegalTransitionsThrow() {
        TransactionManager tm = transactional();
        assertThatThrownBy(tm::beginTransaction).isInstanceOf(IllegalStateException.class)
                .hasMessage("TransactionalId tx-1: Invalid transition attempted from state UNINITIALIZED to state IN_TRANSACTION");
        initTransactional(tm, 5, (short) 0);
        assertThatThrownBy(tm::beginCommit).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("from state READY to state COMMITTING_TRANSACTION");
        assertThatThrownBy(tm::beginAbort).hasMessageContaining("from state READY to state ABORTING_TRANSACTION");
        assertThatThrownBy(tm::initializeTransactions).hasMessageContaining("from state READY to state INITIALIZING");
        tm.beginTransaction();
        assertThatThrownBy(tm::beginTransaction).hasMessageContaining("from state IN_TRANSACTION to state IN_TRANSACTION");
        assertThat(tm.state()).isEqualTo(IN_TRANSACTION);
    }

    @Test
    void transactionalCallsOnAnIdempotentProducerAreRejected() {
        TransactionManager tm = idempotent();
        assertThatThrownBy(tm::initializeTransactions).isInstanceOf(IllegalStateException.class)
                .hasMessage("Transactional method invoked on a non-transactional producer.");
        assertThatThrownBy(tm::beginTransaction).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sendOutsideATransactionIsMisuse() {
        TransactionManager tm = transactional();
        assertThatThrownBy(tm::sendError).hasMessageContaining("before completing a call to initTransactions");
        initTransactional(tm, 5, (short) 0);
        assertThatThrownBy(tm::sendError).hasMessage("Cannot call send in state READY");
        tm.beginTransaction();
        assertThat(tm.sendError()).isNull();
    }

    @Test
    void initTransactionsAsksTheCoordinatorAndRetriesRetriableErrorsAfterTheBackoff() {
        TransactionManager tm = transactional();
        CompletableFuture<Void> init = tm.initializeTransactions();
        assertThat(tm.initializeTransactions()).as("a repeated call waits for the same request").isSameAs(init);
        TxnRequest r = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        assertThat(tm.requestHandler().destination(r)).isEqualTo(CLUSTER.coordinatorFor("tx-1"));
        assertThat(tm.requestHandler().buildRequest(r, 9)).isEqualTo(new InitProducerIdRequest(9, "tx-1", 60000));
        tm.requestHandler().handleResponse(r, new InitProducerIdResponse(9, Errors.COORDINATOR_NOT_AVAILABLE, -1, (short) -1), 1000);
        assertThat(tm.requestHandler().nextRequest(false, 1099, ANY_BROKER)).isNull();
        assertThat(tm.nextRetryMs(1000)).isEqualTo(1100);
        TxnRequest again = tm.requestHandler().nextRequest(false, 1100, ANY_BROKER);
        assertThat(again).isSameAs(r);
        tm.requestHandler().handleResponse(again, new InitProducerIdResponse(10, Errors.CONCURRENT_TRANSACTIONS, -1, (short) -1), 1100);
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 1200, ANY_BROKER), new InitProducerIdResponse(11, Errors.NONE, 77, (short) 3), 1200);
        assertThat(init).isCompleted();
        assertThat(tm.state()).isEqualTo(READY);
        assertThat(tm.producerIdAndEpoch()).isEqualTo(new ProducerIdAndEpoch(77, (short) 3));
        assertThat(recorded.of(ProducerInitProducerId.class)).containsExactly(new ProducerInitProducerId(100, "tx-1", 77, (short) 3));
    }

    @Test
    void batchesOfAPartitionWaitForAddPartitionsToSucceed() {
        TransactionManager tm = transactional();
        initTransactional(tm, 5, (short) 0);
        tm.beginTransaction();
        tm.maybeAddPartition(P0);
        ProducerBatch b = batch(P0, 1);
        assertThat(tm.sequenceHandler().shouldStopDrain(b, P0)).isTrue();
        assertThat(tm.isPartitionPendingAdd(P0)).isTrue();
        TxnRequest add = tm.requestHandler().nextRequest(true, 0, ANY_BROKER);
        AddPartitionsToTxnRequest wire = (AddPartitionsToTxnRequest) tm.requestHandler().buildRequest(add, 3);
        assertThat(wire.partitions()).containsExactly(P0);
        assertThat(wire.producerId()).isEqualTo(5);
        assertThat(wire.verifyOnly()).isFalse();
        tm.requestHandler().handleResponse(add, new AddPartitionsToTxnResponse(3, Errors.CONCURRENT_TRANSACTIONS), 0);
        assertThat(tm.sequenceHandler().shouldStopDrain(b, P0)).isTrue();
        assertThat(tm.nextRetryMs(0)).as("Kafka's short retry while nothing is added yet").isEqualTo(20);
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(true, 20, ANY_BROKER), new AddPartitionsToTxnResponse(4, Errors.NONE), 20);
        assertThat(tm.isPartitionAdded(P0)).isTrue();
        assertThat(tm.sequenceHandler().shouldStopDrain(b, P0)).isFalse();
        tm.maybeAddPartition(P0);
        assertThat(tm.requestHandler().nextRequest(true, 20, ANY_BROKER)).as("added once per transaction").isNull();
    }

    @Test
    void endTxnIsSentOnlyWhenNoBatchIsIncompleteAndCommitsToReady() {
        TransactionManager tm = transactional();
        initTransactional(tm, 5, (short) 0);
        tm.beginTransaction();
        addPartition(tm, P0);
        CompletableFuture<Void> commit = tm.beginCommit();
        assertThat(tm.beginCommit()).isSameAs(commit);
        assertThat(tm.isCompleting()).isTrue();
        assertThat(tm.requestHandler().nextRequest(true, 0, ANY_BROKER)).isNull();
        TxnRequest end = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        assertThat(tm.requestHandler().buildRequest(end, 8)).isEqualTo(new EndTxnRequest(8, "tx-1", 5, (short) 0, true));
        tm.requestHandler().handleResponse(end, new EndTxnResponse(8, Errors.NOT_COORDINATOR), 0);
        assertThat(commit).isNotDone();
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 100, ANY_BROKER), new EndTxnResponse(9, Errors.NONE), 100);
        assertThat(commit).isCompleted();
        assertThat(tm.state()).isEqualTo(READY);
        assertThat(recorded.of(ProducerEndTxnResult.class)).containsExactly(new ProducerEndTxnResult(100, 0, true, null, 5, (short) 0));
        tm.beginTransaction();
        assertThat(tm.transactionIndex()).isEqualTo(1);
        assertThat(tm.isPartitionAdded(P0)).as("partitions are per transaction").isFalse();
    }

    @Test
    void theEpochAnEndTxnAnswerHandsOutIsAdoptedAndRestartsEverySequence() {
        TransactionManager tm = transactional();
        initTransactional(tm, 5, (short) 0);
        tm.beginTransaction();
        addPartition(tm, P0);
        addPartition(tm, P1);
        for (TopicPartition tp : new TopicPartition[] {P0, P1}) {
            ProducerBatch b = batch(tp, 3);
            tm.sequenceHandler().stampSequence(b);
            tm.sequenceHandler().handleCompletedBatch(b, 0);
        }
        assertThat(tm.sequenceHandler().sequenceNumber(P0)).isEqualTo(3);
        CompletableFuture<Void> commit = tm.beginCommit();
        TxnRequest end = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        tm.requestHandler().handleResponse(end, new EndTxnResponse(4, Errors.NONE, 5, (short) 1), 0);
        assertThat(commit).isCompleted();
        assertThat(tm.producerIdAndEpoch()).isEqualTo(new ProducerIdAndEpoch(5, (short) 1));
        assertThat(recorded.of(ProducerEndTxnResult.class)).as("the event tells the new epoch")
                .containsExactly(new ProducerEndTxnResult(100, 0, true, null, 5, (short) 1));
        assertThat(tm.sequenceHandler().sequenceNumber(P0)).isZero();
        assertThat(tm.sequenceHandler().lastAckedSequence(P1)).isEqualTo(-1);
        tm.beginTransaction();
        addPartition(tm, P1);
        ProducerBatch next = batch(P1, 1);
        tm.sequenceHandler().stampSequence(next);
        assertThat(next.producerEpoch()).isEqualTo((short) 1);
        assertThat(next.baseSequence()).isZero();
        tm.sequenceHandler().handleCompletedBatch(next, 3);
        tm.beginCommit();
        assertThat(tm.requestHandler().buildRequest(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), 9))
                .isEqualTo(new EndTxnRequest(9, "tx-1", 5, (short) 1, true));
    }

    @Test
    void anEndTxnAnswerOnEpochExhaustionHandsOutANewProducerId() {
        TransactionManager tm = transactional();
        initTransactional(tm, 5, (short) (Short.MAX_VALUE - 1));
        tm.beginTransaction();
        addPartition(tm, P0);
        CompletableFuture<Void> abort = tm.beginAbort();
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), new EndTxnResponse(4, Errors.NONE, 1005, (short) 0), 0);
        assertThat(abort).isCompleted();
        assertThat(tm.producerIdAndEpoch()).isEqualTo(new ProducerIdAndEpoch(1005, (short) 0));
    }

    @Test
    void aTransactionThatAddedNothingEndsWithoutEndTxn() {
        TransactionManager tm = transactional();
        initTransactional(tm, 5, (short) 0);
        tm.beginTransaction();
        CompletableFuture<Void> commit = tm.beginCommit();
        assertThat(tm.requestHandler().nextRequest(false, 0, ANY_BROKER)).isNull();
        assertThat(commit).isCompleted();
        assertThat(tm.state()).isEqualTo(READY);
    }

    /** A transaction on P0 whose batch expired while in flight: the abort needs a new epoch. */
    private TransactionManager transactionWithATimedOutBatch() {
        TransactionManager tm = transactional();
        initTransactional(tm, 5, (short) 0);
        tm.beginTransaction();
        addPartition(tm, P0);
        ProducerBatch b = batch(P0, 2);
        tm.sequenceHandler().stampSequence(b);
        tm.sequenceHandler().handleFailedBatch(b, new TimeoutException("expired"), true);
        return tm;
    }

    private void assertNextTransactionWritesAtEpochFromSequenceZero(TransactionManager tm, short epoch) {
        tm.beginTransaction();
        addPartition(tm, P0);
        ProducerBatch next = batch(P0, 1);
        tm.sequenceHandler().stampSequence(next);
        assertThat(next.producerEpoch()).isEqualTo(epoch);
        assertThat(next.baseSequence()).as("a new epoch restarts sequences at 0").isZero();
    }

    @Test
    void anAbortableErrorFailsTheCommitAndTheAbortBumpsTheEpochThroughTheCoordinator() {
        TransactionManager tm = transactionWithATimedOutBatch();
        assertThat(tm.state()).isEqualTo(ABORTABLE_ERROR);
        assertThat(tm.epochBumpRequired()).isTrue();
        assertThat(tm.sendError()).isInstanceOf(ProducerException.class).hasCauseInstanceOf(TimeoutException.class);
        CompletableFuture<Void> commit = tm.beginCommit();
        assertThat(commit).isCompletedExceptionally();
        assertThatThrownBy(tm::beginTransaction).hasMessageContaining("error state");
        CompletableFuture<Void> abort = tm.beginAbort();
        assertThat(tm.state()).isEqualTo(ABORTING_TRANSACTION);
        TxnRequest end = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        assertThat(end.commit()).isFalse();
        tm.requestHandler().handleResponse(end, new EndTxnResponse(1, Errors.NONE), 0); // a coordinator without KIP-890 part 2
        assertThat(tm.state()).isEqualTo(INITIALIZING);
        assertThat(abort).as("completes only once the new epoch is there").isNotDone();
        TxnRequest bump = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        assertThat(bump.epochBump()).isTrue();
        tm.requestHandler().handleResponse(bump, new InitProducerIdResponse(2, Errors.NONE, 5, (short) 1), 0);
        assertThat(abort).isCompleted();
        assertThat(tm.state()).isEqualTo(READY);
        assertThat(tm.producerIdAndEpoch().epoch()).isEqualTo((short) 1);
        assertNextTransactionWritesAtEpochFromSequenceZero(tm, (short) 1);
    }

    @Test
    void anAbortAfterAFailedBatchNeedsNoInitProducerIdWhenTheEndTxnAnswerBumpedTheEpoch() {
        TransactionManager tm = transactionWithATimedOutBatch();
        assertThat(tm.epochBumpRequired()).isTrue();
        CompletableFuture<Void> abort = tm.beginAbort();
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), new EndTxnResponse(1, Errors.NONE, 5, (short) 1), 0);
        assertThat(abort).isCompleted();
        assertThat(tm.state()).isEqualTo(READY);
        assertThat(tm.epochBumpRequired()).isFalse();
        assertThat(tm.hasPendingRequests()).as("no InitProducerId").isFalse();
        assertNextTransactionWritesAtEpochFromSequenceZero(tm, (short) 1);
    }

    @Test
    void beingFencedIsFatalAndReportedOnce() {
        TransactionManager tm = transactional();
        initTransactional(tm, 5, (short) 0);
        tm.beginTransaction();
        tm.maybeAddPartition(P0);
        TxnRequest add = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        tm.requestHandler().handleResponse(add, new AddPartitionsToTxnResponse(3, Errors.PRODUCER_FENCED), 0);
        assertThat(tm.state()).isEqualTo(FATAL_ERROR);
        assertThat(tm.lastError()).isInstanceOf(ProducerFencedException.class).hasMessageContaining("tx-1");
        assertThat(tm.isSendToPartitionAllowed(P0)).isFalse();
        assertThat(tm.beginAbort()).isCompletedExceptionally();
        assertThatThrownBy(tm::beginTransaction).isInstanceOf(ProducerFencedException.class);
        tm.sequenceHandler().handleFailedBatch(batch(P0, 1), new ProducerFencedException("again"), false);
        assertThat(recorded.of(ProducerFenced.class)).containsExactly(new ProducerFenced(100, "tx-1", 5, (short) 0));
    }

    @Test
    void fencedOnEndTxnOrInitIsFatalToo() {
        TransactionManager tm = transactional();
        initTransactional(tm, 5, (short) 0);
        tm.beginTransaction();
        addPartition(tm, P1);
        CompletableFuture<Void> commit = tm.beginCommit();
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), new EndTxnResponse(4, Errors.INVALID_PRODUCER_EPOCH), 0);
        assertThat(commit).isCompletedExceptionally();
        assertThat(tm.hasFatalError()).isTrue();

        TransactionManager other = transactional();
        CompletableFuture<Void> init = other.initializeTransactions();
        other.requestHandler().handleResponse(other.requestHandler().nextRequest(false, 0, ANY_BROKER), new InitProducerIdResponse(1, Errors.PRODUCER_FENCED, -1, (short) -1), 0);
        assertThat(init).isCompletedExceptionally();
        assertThat(other.state()).isEqualTo(FATAL_ERROR);
    }

    @Test
    void anAnswerTheStateDoesNotAllowIsFatalInsteadOfThrowing() {
        // /work/bugs/nofence-seed374 ended in "Invalid transition attempted from state READY to state READY"
        // thrown out of poll(); whatever a broker answers, the sender side goes to FATAL_ERROR (KAFKA-14831)
        TransactionManager tm = transactional();
        initTransactional(tm, 5, (short) 0);
        tm.beginTransaction();
        addPartition(tm, P0);
        CompletableFuture<Void> commit = tm.beginCommit();
        TxnRequest end = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        tm.requestHandler().handleResponse(end, new EndTxnResponse(3, Errors.NONE), 0);
        assertThat(commit).isCompleted();
        assertThat(tm.state()).isEqualTo(READY);

        tm.requestHandler().handleResponse(end, new EndTxnResponse(3, Errors.NONE), 0);
        assertThat(tm.state()).isEqualTo(FATAL_ERROR);
        assertThat(tm.lastError()).isInstanceOf(IllegalStateException.class)
                .hasMessage("TransactionalId tx-1: Invalid transition attempted from state READY to state READY");
        assertThatThrownBy(tm::beginTransaction).isInstanceOf(ProducerException.class)
                .hasCauseInstanceOf(IllegalStateException.class);

        TransactionManager initialising = transactional();
        CompletableFuture<Void> init = initialising.initializeTransactions();
        TxnRequest initRequest = initialising.requestHandler().nextRequest(false, 0, ANY_BROKER);
        initialising.transitionToFatalError(new ProducerException("closed meanwhile"));
        initialising.requestHandler().handleResponse(initRequest, new InitProducerIdResponse(1, Errors.NONE, 7, (short) 0), 0);
        assertThat(init).isCompletedExceptionally();
        assertThat(initialising.hasProducerId()).as("a late producer id is not taken").isFalse();
        assertThat(recorded.of(ProducerInitProducerId.class)).extracting(ProducerInitProducerId::producerId).containsExactly(5L);
    }

    @Test
    void aRequestWhoseBrokerHasNoFreeSlotStaysQueued() {
        TransactionManager tm = transactional();
        initTransactional(tm, 5, (short) 0);
        tm.beginTransaction();
        tm.maybeAddPartition(P0);
        long before = tm.changeCount();
        assertThat(tm.requestHandler().nextRequest(false, 0, broker -> false)).isNull();
        assertThat(tm.hasPendingRequests()).isTrue();
        long queued = tm.changeCount();
        assertThat(queued).as("the new partition was queued as AddPartitions").isGreaterThan(before);
        assertThat(tm.requestHandler().nextRequest(false, 0, broker -> false)).isNull();
        assertThat(tm.changeCount()).as("looking at a request that cannot go is no change").isEqualTo(queued);
        TxnRequest add = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        assertThat(add.kind()).isEqualTo(TxnRequest.Kind.ADD_PARTITIONS);
        assertThat(add.partitions()).containsExactly(P0);
    }

    @Test
    void unexpectedCoordinatorErrorsAreFatal() {
        TransactionManager tm = transactional();
        initTransactional(tm, 5, (short) 0);
        tm.beginTransaction();
        tm.maybeAddPartition(P0);
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), new AddPartitionsToTxnResponse(1, Errors.INVALID_TXN_STATE), 0);
        assertThat(tm.lastError()).isInstanceOf(BrokerErrorException.class).hasMessageContaining("INVALID_TXN_STATE");
        assertThat(tm.state()).isEqualTo(FATAL_ERROR);
    }

    @Test
    void idempotentProducerGetsAnIdFromTheLeastBrokerAndStampsSequencesPerPartition() {
        TransactionManager tm = idempotent();
        assertThat(tm.sequenceHandler().shouldStopDrain(batch(P0, 1), P0)).as("no producer id yet").isTrue();
        tm.bumpIdempotentEpochAndResetIdIfNeeded(tp -> false);
        assertThat(tm.state()).isEqualTo(INITIALIZING);
        TxnRequest init = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        assertThat(tm.requestHandler().destination(init)).isZero();
        assertThat(tm.requestHandler().buildRequest(init, 1)).isEqualTo(new InitProducerIdRequest(1, null, Integer.MAX_VALUE));
        tm.requestHandler().handleResponse(init, new InitProducerIdResponse(1, Errors.NONE, 42, (short) 0), 0);
        assertThat(tm.state()).isEqualTo(READY);
        ProducerBatch a = batch(P0, 3);
        ProducerBatch b = batch(P0, 2);
        ProducerBatch c = batch(P1, 4);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().stampSequence(b);
        tm.sequenceHandler().stampSequence(c);
        assertThat(a.baseSequence()).isZero();
        assertThat(a.lastSequence()).isEqualTo(2);
        assertThat(b.baseSequence()).isEqualTo(3);
        assertThat(c.baseSequence()).isZero();
        assertThat(a.producerId()).isEqualTo(42);
        assertThat(tm.sequenceHandler().sequenceNumber(P0)).isEqualTo(5);
        assertThat(tm.sequenceHandler().shouldStopDrain(b, P0)).as("b is retried while a is still in flight").isTrue();
        assertThat(tm.sequenceHandler().shouldStopDrain(a, P0)).isFalse();
        tm.sequenceHandler().handleCompletedBatch(a, 0);
        assertThat(tm.sequenceHandler().lastAckedSequence(P0)).isEqualTo(2);
        assertThat(tm.sequenceHandler().shouldStopDrain(b, P0)).isFalse();
    }

    @Test
    void epochExhaustionAsksForANewProducerId() {
        TransactionManager tm = idempotent();
        tm.bumpIdempotentEpochAndResetIdIfNeeded(tp -> false);
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), new InitProducerIdResponse(1, Errors.NONE, 42, Short.MAX_VALUE), 0);
        ProducerBatch a = batch(P0, 1);
        tm.sequenceHandler().stampSequence(a);
        tm.sequenceHandler().canRetry(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, a);
        tm.bumpIdempotentEpochAndResetIdIfNeeded(tp -> false);
        assertThat(tm.state()).isEqualTo(INITIALIZING);
        tm.requestHandler().handleResponse(tm.requestHandler().nextRequest(false, 0, ANY_BROKER), new InitProducerIdResponse(2, Errors.NONE, 43, (short) 0), 0);
        assertThat(a.producerId()).isEqualTo(43);
        assertThat(a.baseSequence()).isZero();
    }
}
