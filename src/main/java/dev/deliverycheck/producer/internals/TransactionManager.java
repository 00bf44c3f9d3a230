package dev.deliverycheck.producer.internals;

import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.producer.errors.BrokerErrorException;
import dev.deliverycheck.producer.errors.ProducerException;
import dev.deliverycheck.producer.errors.ProducerFencedException;
import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.Request;
import dev.deliverycheck.protocol.Response;
import dev.deliverycheck.protocol.Sequences;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Kafka's {@code TransactionManager}: the producer id and epoch, what a batch's error means for
 * its partition's sequence numbers (KIP-98, KIP-360), and — with a {@code transactional.id} —
 * the transaction state machine and its requests (InitProducerId, AddPartitionsToTxn, EndTxn).
 * The cluster's {@code transaction.version} chooses the protocol: with 2 (KIP-890 part 2) no
 * AddPartitionsToTxn is ever sent and every EndTxn answer hands out the epoch to go on with.
 * The per-partition sequence bookkeeping itself lives in {@link TxnPartitionMap}.
 *
 * <p>Invariants: the state changes only along {@link State#canTransitionTo} (anything else throws
 * IllegalStateException); a batch gets its sequence once, at its first drain, and keeps it on every
 * retry; a partition's batches without a sequence are held back while its earlier batches belong
 * to an older epoch, while a failed batch left the partition's sequence unresolved, or while the
 * partition waits for an epoch bump; a retried batch is resent only when it is the partition's
 * first batch in flight; the idempotent producer bumps its epoch only when no request carrying a
 * batch of the partitions to renumber is outstanding, so a renumbered batch can never also land
 * under its old numbers; EndTxn is sent only when no batch is incomplete; a partition's batches
 * are drained in a transaction only after AddPartitionsToTxn for it succeeded (version 1) or once
 * it was written to in the transaction (version 2); a transaction
 * ended by an EndTxn whose answer carries a producer id and epoch (KIP-890 part 2) is followed
 * by transactions with that id and epoch, every partition's sequence starting again at 0.
 */
public final class TransactionManager {
    /** Kafka's transaction states; the idempotent producer uses UNINITIALIZED → INITIALIZING → READY. */
    public enum State {
        UNINITIALIZED, INITIALIZING, READY, IN_TRANSACTION, COMMITTING_TRANSACTION, ABORTING_TRANSACTION,
        ABORTABLE_ERROR, FATAL_ERROR;

        /** Kafka's {@code isTransitionValid}: the one transition table. */
        public boolean canTransitionTo(State target) {
            return switch (target) {
                case UNINITIALIZED -> this == READY || this == ABORTABLE_ERROR;
                case INITIALIZING -> this == UNINITIALIZED || this == ABORTING_TRANSACTION;
                case READY -> this == INITIALIZING || this == COMMITTING_TRANSACTION || this == ABORTING_TRANSACTION;
                case IN_TRANSACTION -> this == READY;
                case COMMITTING_TRANSACTION -> this == IN_TRANSACTION;
                case ABORTING_TRANSACTION -> this == IN_TRANSACTION || this == ABORTABLE_ERROR;
                case ABORTABLE_ERROR -> this == IN_TRANSACTION || this == COMMITTING_TRANSACTION
                        || this == ABORTABLE_ERROR || this == INITIALIZING;
                case FATAL_ERROR -> true;
            };
        }
    }

    /** Kafka retries AddPartitions after CONCURRENT_TRANSACTIONS sooner when nothing was added yet. */
    static final long ADD_PARTITIONS_RETRY_BACKOFF_MS = 20;

    private final String transactionalId;
    private final int transactionTimeoutMs;
    private final long retryBackoffMs;
    private final ClusterMetadata metadata;
    private final ProducerEvents events;

    private State state = State.UNINITIALIZED;
    private ProducerIdAndEpoch producerIdAndEpoch = ProducerIdAndEpoch.NONE;
    private RuntimeException lastError;
    private boolean fencedReported;
    private long changes;

    private final TxnPartitionMap sequences = new TxnPartitionMap();
    private boolean epochBumpRequired;

    private final PriorityQueue<TxnRequest> pendingRequests = new PriorityQueue<>();
    private long nextRequestOrder;
    private final Set<TopicPartition> newPartitionsInTransaction = new TreeSet<>();
    private final Set<TopicPartition> pendingPartitionsInTransaction = new TreeSet<>();
    private final Set<TopicPartition> partitionsInTransaction = new TreeSet<>();
    private boolean transactionStarted;
    private int transactionIndex = -1;
    private CompletableFuture<Void> initResult;
    private CompletableFuture<Void> endResult;
    private boolean endIsCommit;

    /**
     * @param transactionalId null for an idempotent, non-transactional producer
     */
    public TransactionManager(String transactionalId, int transactionTimeoutMs, long retryBackoffMs,
                              ClusterMetadata metadata, ProducerEvents events) {
        this.transactionalId = transactionalId;
        this.transactionTimeoutMs = transactionTimeoutMs;
        this.retryBackoffMs = retryBackoffMs;
        this.metadata = metadata;
        this.events = events;
    }

    // ---- the caller's transactional API ------------------------------------------------------

    /** initTransactions(): InitProducerId(transactional.id) to the coordinator; a repeated call returns the pending result. */
    public CompletableFuture<Void> initializeTransactions() {
        requireTransactional();
        if (state == State.INITIALIZING && initResult != null && !initResult.isDone()) {
            return initResult;
        }
        maybeFailWithError();
        transitionTo(State.INITIALIZING, null);
        producerIdAndEpoch = ProducerIdAndEpoch.NONE;
        initResult = new CompletableFuture<>();
        enqueue(TxnRequest.initProducerId(nextRequestOrder++, false));
        return initResult;
    }

    @SpecAction("ProducerBeginTxn")
    public void beginTransaction() {
        requireTransactional();
        maybeFailWithError();
        transitionTo(State.IN_TRANSACTION, null);
        transactionIndex++;
        transactionStarted = false;
        events.beginTxn(transactionIndex);
    }

    /** commitTransaction(): flush, then EndTxn(commit) once every batch completed. */
    public CompletableFuture<Void> beginCommit() {
        requireTransactional();
        if (state == State.COMMITTING_TRANSACTION && endResult != null && !endResult.isDone() && endIsCommit) {
            return endResult;
        }
        if (hasError()) {
            return failedEnd(true, errorStateException());
        }
        transitionTo(State.COMMITTING_TRANSACTION, null);
        return beginCompletingTransaction(true);
    }

    /** abortTransaction(): unsent batches fail, in-flight ones complete, then EndTxn(abort). */
    public CompletableFuture<Void> beginAbort() {
        requireTransactional();
        if (state == State.ABORTING_TRANSACTION && endResult != null && !endResult.isDone() && !endIsCommit) {
            return endResult;
        }
        if (state == State.INITIALIZING && endResult != null && !endResult.isDone() && !endIsCommit) {
            return endResult; // the abort is re-initialising the epoch
        }
        if (state == State.FATAL_ERROR) {
            return failedEnd(false, errorStateException());
        }
        transitionTo(State.ABORTING_TRANSACTION, null);
        newPartitionsInTransaction.clear();
        return beginCompletingTransaction(false);
    }

    private CompletableFuture<Void> beginCompletingTransaction(boolean commit) {
        if (!newPartitionsInTransaction.isEmpty()) {
            enqueueAddPartitions();
        }
        endResult = new CompletableFuture<>();
        endIsCommit = commit;
        enqueue(TxnRequest.endTxn(nextRequestOrder++, commit));
        return endResult;
    }

    private CompletableFuture<Void> failedEnd(boolean commit, RuntimeException error) {
        events.endTxnResult(transactionIndex, commit, ProducerException.describe(error), producerIdAndEpoch);
        return CompletableFuture.failedFuture(error);
    }

    /**
     * Kafka's {@code failIfNotReadyForSend}: null when a record may be sent now, or the error to fail
     * it with (the producer is in an error state). Throws IllegalStateException for misuse
     * (a transactional send outside a transaction).
     */
    public RuntimeException sendError() {
        if (hasError()) {
            return new ProducerException("Cannot perform send because at least one previous transactional or "
                    + "idempotent request has failed with errors.", lastError);
        }
        if (isTransactional()) {
            if (!hasProducerId() && state != State.IN_TRANSACTION) {
                throw new IllegalStateException("Cannot perform a 'send' before completing a call to initTransactions "
                        + "when transactions are enabled.");
            }
            if (state != State.IN_TRANSACTION) {
                throw new IllegalStateException("Cannot call send in state " + state);
            }
        }
        return null;
    }

    /**
     * Registers a partition written in the current transaction. Transaction version 1:
     * AddPartitionsToTxn follows before its first batch. Version 2 (KIP-890 part 2): the partition
     * is in the transaction at once and no request is sent; the partition's leader adds it at the
     * coordinator when the first transactional batch arrives, and the transaction has started (it
     * ends with an EndTxn), as Kafka's {@code maybeAddPartition} with {@code isTransactionV2Enabled}.
     */
    public void maybeAddPartition(TopicPartition tp) {
        if (!isTransactional() || partitionsInTransaction.contains(tp) || pendingPartitionsInTransaction.contains(tp)) {
            return;
        }
        if (isTransactionV2Enabled()) {
            partitionsInTransaction.add(tp);
            transactionStarted = true;
            changes++;
            return;
        }
        if (newPartitionsInTransaction.add(tp)) {
            changes++;
        }
    }

    // ---- sequence numbers (drain, completion, failure) ----------------------------------------

    /** Kafka's {@code isSendToPartitionAllowed}. */
    public boolean isSendToPartitionAllowed(TopicPartition tp) {
        if (hasFatalError()) {
            return false;
        }
        return !isTransactional() || partitionsInTransaction.contains(tp);
    }

    /** Kafka's {@code shouldStopDrainBatchesForPartition}, the gate the accumulator asks at drain. */
    public boolean shouldStopDrain(ProducerBatch first, TopicPartition tp) {
        return !isSendToPartitionAllowed(tp) || !hasProducerId()
                || sequences.shouldStopDrain(first, tp, producerIdAndEpoch);
    }

    /** Stamps producer id, epoch and the partition's next sequence on a batch at its first drain. */
    public void stampSequence(ProducerBatch batch) {
        sequences.stamp(batch, producerIdAndEpoch, isTransactional());
    }

    /**
     * The broker stored the batch (or reported it a duplicate): advance the last acknowledged
     * sequence. Earlier batches of the partition still in flight are not touched (Kafka's
     * {@code handleCompletedBatch}): each completes by its own answer or fails at its delivery
     * timeout.
     */
    public void handleCompletedBatch(ProducerBatch batch, long baseOffset) {
        sequences.complete(batch, baseOffset);
    }

    /**
     * A batch failed for good. Transactional: Kafka's fatal errors ({@link #isFatalBatchError}) are
     * fatal, anything else makes the transaction abortable -- INVALID_PRODUCER_EPOCH included
     * (KIP-588) -- and requires a new epoch after the abort (any failed batch, as Kafka).
     * Idempotent: a batch that may have been written leaves the partition's sequence unresolved; one
     * the broker rejected leaves a gap, so the epoch is bumped and the partition renumbered.
     */
    public void handleFailedBatch(ProducerBatch batch, RuntimeException error, boolean indeterminate) {
        TopicPartition tp = batch.topicPartition();
        PartitionSequences entry = sequences.fail(batch);
        if (isFatalBatchError(error)) {
            transitionToFatalError(error);
            return;
        }
        if (isTransactional()) {
            // Kafka's maybeTransitionToErrorState: every failed batch of a transaction requires the
            // bump, whether it carried a sequence yet or not (issue 14, rule 6)
            epochBumpRequired = true;
            transitionToAbortableError(error);
            return;
        }
        if (hasFatalError() || !batch.hasSequence() || entry == null
                || !batch.producerIdAndEpoch().equals(entry.producerIdAndEpoch)) {
            return;
        }
        if (indeterminate) {
            sequences.markUnresolved(tp, batch);
        } else {
            requestIdempotentEpochBumpForPartition(tp);
        }
    }

    /**
     * Kafka's {@code canRetry} for a Produce answer (Kafka 4.4's {@code TransactionManager}).
     * OUT_OF_ORDER_SEQUENCE_NUMBER and UNKNOWN_PRODUCER_ID are not retriable errors; they are
     * retried when the gap may still close by itself: the batch is not the one right after the
     * last acknowledged sequence (an earlier batch is still on its way), or it was renumbered and
     * the answer concerns its old numbers. Otherwise the gap is real: the idempotent producer asks
     * for an epoch bump (KIP-360) -- unless an unresolved failure precedes the batch, which has to
     * resolve first -- and retries under the new numbers; the transactional producer lets the batch
     * fail (the transaction must abort). UNKNOWN_PRODUCER_ID: Kafka's branches on the answer's log
     * start offset have no counterpart here (no log start offset in the answer; nothing is ever
     * deleted), so the idempotent producer bumps and retries, the transactional one fails the batch.
     */
    public boolean canRetry(Errors error, ProducerBatch batch) {
        TopicPartition tp = batch.topicPartition();
        if (error == Errors.UNKNOWN_PRODUCER_ID) {
            if (batch.sequenceHasBeenReset()) {
                return true;
            }
            if (!isTransactional() && batch.hasSequence()) {
                requestIdempotentEpochBumpForPartition(tp);
                return true;
            }
        } else if (error == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER && batch.hasSequence()) {
            boolean unresolved = sequences.unresolved(tp) != null;
            if (!unresolved && (batch.sequenceHasBeenReset() || !sequences.isNextSequence(tp, batch.baseSequence()))) {
                return true;
            }
            if (!isTransactional()) {
                if (!unresolved || sequences.isNextAfterUnresolved(tp, batch.baseSequence())) {
                    requestIdempotentEpochBumpForPartition(tp);
                }
                return true;
            }
        }
        return error.retriable();
    }

    /**
     * Kafka's {@code maybeResolveSequences}: once nothing of a partition with an unresolved failure
     * is in flight, the failure resolved itself if every sequence stamped was acknowledged after all;
     * otherwise the epoch is bumped.
     */
    public void maybeResolveSequences(Predicate<TopicPartition> outstanding) {
        sequences.resolve(outstanding).forEach(this::requestIdempotentEpochBumpForPartition);
    }

    private void requestIdempotentEpochBumpForPartition(TopicPartition tp) {
        epochBumpRequired = true;
        sequences.requestRewrite(tp);
    }

    /**
     * Kafka's {@code bumpIdempotentEpochAndResetIdIfNeeded}, run at the start of every sender step:
     * bumps the epoch locally once no request with a batch of a partition to renumber is outstanding,
     * and asks for a producer id when there is none.
     */
    public void bumpIdempotentEpochAndResetIdIfNeeded(Predicate<TopicPartition> outstanding) {
        if (isTransactional() || hasFatalError()) {
            return;
        }
        if (epochBumpRequired && hasProducerId() && !sequences.anyToRewrite(outstanding)) {
            bumpIdempotentProducerEpoch();
        }
        if (state != State.INITIALIZING && !hasProducerId() && senderTransitionTo(State.INITIALIZING)) {
            enqueue(TxnRequest.initProducerId(nextRequestOrder++, false));
        }
    }

    @SpecAction("ProducerBumpEpoch")
    private void bumpIdempotentProducerEpoch() {
        epochBumpRequired = false;
        if (producerIdAndEpoch.epoch() == Short.MAX_VALUE) {
            // Kafka's resetIdempotentProducerId: the epoch cannot grow; get a new producer id and renumber then
            if (senderTransitionTo(State.UNINITIALIZED)) {
                producerIdAndEpoch = ProducerIdAndEpoch.NONE;
            }
            return;
        }
        producerIdAndEpoch = new ProducerIdAndEpoch(producerIdAndEpoch.producerId(), (short) (producerIdAndEpoch.epoch() + 1));
        events.bumpEpoch(producerIdAndEpoch);
        sequences.rewritePartitions(producerIdAndEpoch);
    }

    // ---- transactional requests --------------------------------------------------------------

    private void enqueue(TxnRequest request) {
        pendingRequests.add(request);
        changes++;
    }

    private void enqueueAddPartitions() {
        List<TopicPartition> added = new ArrayList<>(newPartitionsInTransaction);
        pendingPartitionsInTransaction.addAll(added);
        newPartitionsInTransaction.clear();
        enqueue(TxnRequest.addPartitions(nextRequestOrder++, added));
    }

    /**
     * Kafka's {@code nextRequest}: the next transactional request to send now, or null. EndTxn waits
     * until no batch is incomplete; in an error state pending requests fail instead of being sent;
     * an EndTxn for a transaction that never added a partition completes without a request.
     *
     * <p>A request whose broker cannot take it now ({@code canSendTo} false: no free in-flight slot)
     * stays queued untouched and null is returned: taking it out and putting it back would look
     * like progress to the sender, and a node that reports progress is polled again at once — for
     * ever, since only an answer or a request timeout frees the slot.
     */
    public TxnRequest nextRequest(boolean hasIncompleteBatches, long nowMs, IntPredicate canSendTo) {
        if (!newPartitionsInTransaction.isEmpty()) {
            enqueueAddPartitions();
        }
        while (true) {
            TxnRequest next = pendingRequests.peek();
            if (next == null || next.isEndTxn() && hasIncompleteBatches || next.notBeforeMs() > nowMs) {
                return null;
            }
            if (hasError()) {
                pendingRequests.poll();
                changes++;
                failRequest(next, lastError);
                continue;
            }
            if (next.isEndTxn() && !transactionStarted) {
                pendingRequests.poll();
                changes++;
                completeTransaction();
                continue;
            }
            if (!canSendTo.test(destination(next))) {
                return null;
            }
            pendingRequests.poll();
            changes++;
            return next;
        }
    }

    /** The broker a request goes to: the coordinator of the transactional id, or the least broker id. */
    public int destination(TxnRequest request) {
        if (isTransactional()) {
            return metadata.coordinatorFor(transactionalId);
        }
        return metadata.brokerIds().stream().min(Integer::compare).orElseThrow();
    }

    /** The wire request, emitting ProducerAddPartitions / ProducerEndTxn as it is sent. */
    public Request buildRequest(TxnRequest request, int correlationId) {
        return switch (request.kind()) {
            // KIP-360: the identity held (none for a new instance), so a re-initialisation keeps the producer id
            case INIT_PRODUCER_ID -> new InitProducerIdRequest(correlationId, transactionalId,
                    isTransactional() ? transactionTimeoutMs : Integer.MAX_VALUE,
                    producerIdAndEpoch.producerId(), producerIdAndEpoch.epoch());
            case ADD_PARTITIONS -> {
                events.addPartitions(transactionalId, producerIdAndEpoch, request.partitions());
                yield new AddPartitionsToTxnRequest(correlationId, transactionalId, producerIdAndEpoch.producerId(),
                        producerIdAndEpoch.epoch(), request.partitions(), false);
            }
            case END_TXN -> {
                events.endTxn(transactionalId, producerIdAndEpoch, transactionIndex, request.commit());
                yield new EndTxnRequest(correlationId, transactionalId, producerIdAndEpoch.producerId(),
                        producerIdAndEpoch.epoch(), request.commit());
            }
        };
    }

    /** The request got no answer (timeout or disconnect): send it again after the backoff. */
    public void handleDisconnect(TxnRequest request, long nowMs) {
        retry(request, nowMs + retryBackoffMs);
    }

    private void retry(TxnRequest request, long atMs) {
        request.retryAt(atMs);
        enqueue(request);
    }

    /** Handles the response to a transactional request. */
    public void handleResponse(TxnRequest request, Response response, long nowMs) {
        changes++;
        if (request.kind() == TxnRequest.Kind.INIT_PRODUCER_ID && response instanceof InitProducerIdResponse r) {
            handleInitProducerIdResponse(request, r, nowMs);
        } else if (request.kind() == TxnRequest.Kind.ADD_PARTITIONS && response instanceof AddPartitionsToTxnResponse r) {
            handleAddPartitionsResponse(request, r.error(), nowMs);
        } else if (request.kind() == TxnRequest.Kind.END_TXN && response instanceof EndTxnResponse r) {
            handleEndTxnResponse(request, r, nowMs);
        } else {
            handleDisconnect(request, nowMs);
        }
    }

    @SpecAction("ProducerInitProducerId")
    private void handleInitProducerIdResponse(TxnRequest request, InitProducerIdResponse r, long nowMs) {
        Errors e = r.error();
        if (e == Errors.NONE) {
            if (!senderTransitionTo(State.READY)) {
                return; // not initialising (say, fenced meanwhile): the producer id is not ours to take
            }
            producerIdAndEpoch = new ProducerIdAndEpoch(r.producerId(), r.producerEpoch());
            events.initProducerId(transactionalId, producerIdAndEpoch);
            if (isTransactional()) {
                epochBumpRequired = false;
            } else if (sequences.hasPartitionsToRewrite()) {
                sequences.rewritePartitions(producerIdAndEpoch);
            }
            if (request.epochBump()) {
                finishEnd(null);
            } else if (initResult != null) {
                initResult.complete(null);
            }
        } else if (isFencing(e)) {
            transitionToFatalError(fenced(e));
        } else if (e == Errors.TRANSACTION_ABORTABLE) {
            transitionToAbortableError(new BrokerErrorException(e, "InitProducerId"));
            failRequest(request, lastError);
        } else if (e.retriable()) {
            retry(request, nowMs + retryBackoffMs);
        } else {
            transitionToFatalError(new BrokerErrorException(e, "unexpected error in InitProducerId response"));
        }
    }

    private void handleAddPartitionsResponse(TxnRequest request, Errors e, long nowMs) {
        if (e == Errors.NONE) {
            partitionsInTransaction.addAll(request.partitions());
            request.partitions().forEach(pendingPartitionsInTransaction::remove);
            transactionStarted = true;
        } else if (isFencing(e)) {
            transitionToFatalError(fenced(e));
        } else if (e == Errors.INVALID_TXN_STATE) {
            transitionToFatalError(new BrokerErrorException(e, "AddPartitionsToTxn " + request.partitions()));
        } else if (e == Errors.INVALID_PRODUCER_ID_MAPPING || e == Errors.TRANSACTION_ABORTABLE
                || e == Errors.UNKNOWN_PRODUCER_ID) {
            request.partitions().forEach(pendingPartitionsInTransaction::remove);
            transitionToAbortableError(new BrokerErrorException(e, "AddPartitionsToTxn " + request.partitions()));
        } else if (e.retriable()) {
            boolean soon = e == Errors.CONCURRENT_TRANSACTIONS && partitionsInTransaction.isEmpty();
            retry(request, nowMs + (soon ? Math.min(ADD_PARTITIONS_RETRY_BACKOFF_MS, retryBackoffMs) : retryBackoffMs));
        } else {
            transitionToFatalError(new BrokerErrorException(e, "unexpected error in AddPartitionsToTxn response"));
        }
    }

    private void handleEndTxnResponse(TxnRequest request, EndTxnResponse r, long nowMs) {
        Errors e = r.error();
        if (e == Errors.NONE) {
            if (r.hasNewProducerIdAndEpoch() && isCompleting()) {
                adoptEndTxnEpoch(new ProducerIdAndEpoch(r.producerId(), r.producerEpoch()));
            }
            completeTransaction();
        } else if (isFencing(e)) {
            transitionToFatalError(fenced(e));
        } else if ((e == Errors.UNKNOWN_PRODUCER_ID || e == Errors.INVALID_PRODUCER_ID_MAPPING
                || e == Errors.TRANSACTION_ABORTABLE) && state == State.COMMITTING_TRANSACTION) {
            epochBumpRequired = true;
            transitionToAbortableError(new BrokerErrorException(e, "EndTxn(commit)")); // fails the commit's result
        } else if (e.retriable() && e != Errors.UNKNOWN_PRODUCER_ID) {
            retry(request, nowMs + retryBackoffMs);
        } else {
            transitionToFatalError(new BrokerErrorException(e, "EndTxn(" + (request.commit() ? "commit" : "abort") + ")"));
        }
    }

    /**
     * KIP-890 part 2: the coordinator bumped the epoch when it decided the transaction (or, on epoch
     * exhaustion, gave a new producer id at epoch 0). The next transaction's batches carry it and
     * start every partition's sequence at 0; batches of the ended transaction still on the wire
     * keep the old epoch, which the partitions now refuse. The bump is also the one an abort after
     * a failed batch needs, so no InitProducerId follows.
     */
    private void adoptEndTxnEpoch(ProducerIdAndEpoch next) {
        producerIdAndEpoch = next;
        epochBumpRequired = false;
        sequences.restartIdlePartitions(next);
        changes++;
    }

    /**
     * The transaction ended: READY for the next one, or (after an abort that needs a new epoch the
     * EndTxn answer did not bring) InitProducerId first.
     */
    private void completeTransaction() {
        boolean bumpEpoch = !endIsCommit && epochBumpRequired;
        if (!senderTransitionTo(bumpEpoch ? State.INITIALIZING : State.READY)) {
            return;
        }
        partitionsInTransaction.clear();
        pendingPartitionsInTransaction.clear();
        newPartitionsInTransaction.clear();
        transactionStarted = false;
        if (bumpEpoch) {
            enqueue(TxnRequest.initProducerId(nextRequestOrder++, true));
            return;
        }
        finishEnd(null);
    }

    @SpecAction("ProducerEndTxnResult")
    private void finishEnd(RuntimeException error) {
        if (endResult == null || endResult.isDone()) {
            return;
        }
        events.endTxnResult(transactionIndex, endIsCommit, error == null ? null : ProducerException.describe(error),
                producerIdAndEpoch);
        if (error == null) {
            endResult.complete(null);
        } else {
            endResult.completeExceptionally(error);
        }
    }

    private void failRequest(TxnRequest request, RuntimeException error) {
        switch (request.kind()) {
            case END_TXN -> finishEnd(error);
            case INIT_PRODUCER_ID -> {
                if (request.epochBump()) {
                    finishEnd(error);
                } else if (initResult != null && !initResult.isDone()) {
                    initResult.completeExceptionally(error);
                }
            }
            case ADD_PARTITIONS -> request.partitions().forEach(pendingPartitionsInTransaction::remove);
        }
    }

    /**
     * Kafka's {@code handleFailedBatch}: the failures of a batch no abort recovers from -- fenced,
     * not authorised, a version the broker does not support, or a producer id the coordinator no
     * longer maps. Anything else (INVALID_PRODUCER_EPOCH included, KIP-588) is abortable.
     */
    static boolean isFatalBatchError(RuntimeException error) {
        if (error instanceof ProducerFencedException) {
            return true;
        }
        if (!(error instanceof BrokerErrorException b)) {
            return false;
        }
        return switch (b.error()) {
            case PRODUCER_FENCED, CLUSTER_AUTHORIZATION_FAILED, TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                 UNSUPPORTED_VERSION, INVALID_PRODUCER_ID_MAPPING -> true;
            default -> false;
        };
    }

    private static boolean isFencing(Errors e) {
        return e == Errors.PRODUCER_FENCED || e == Errors.INVALID_PRODUCER_EPOCH;
    }

    private ProducerFencedException fenced(Errors e) {
        return new ProducerFencedException("There is a newer producer with the same transactional.id "
                + transactionalId + " which fences this one (" + producerIdAndEpoch + ", broker answered " + e + ")");
    }

    // ---- states and errors -------------------------------------------------------------------

    /** A transition the caller asked for (a transactional method): an illegal one throws IllegalStateException. */
    private void transitionTo(State target, RuntimeException error) {
        if (!state.canTransitionTo(target)) {
            throw new IllegalStateException(invalidTransition(target));
        }
        lastError = target == State.FATAL_ERROR || target == State.ABORTABLE_ERROR ? error : null;
        state = target;
        changes++;
    }

    /**
     * A transition the sender makes on an answer or a timer. What arrives from the network must
     * never throw out of {@code receive}/{@code poll}: an answer the state does not allow (a broker
     * that misbehaves, a late answer) poisons the producer instead, as Kafka's sender thread does
     * (KAFKA-14831): FATAL_ERROR, every pending result failing with the reason. Returns whether the
     * transition happened.
     */
    private boolean senderTransitionTo(State target) {
        if (state.canTransitionTo(target)) {
            transitionTo(target, null);
            return true;
        }
        transitionToFatalError(new IllegalStateException(invalidTransition(target)));
        return false;
    }

    private String invalidTransition(State target) {
        return (transactionalId == null ? "" : "TransactionalId " + transactionalId + ": ")
                + "Invalid transition attempted from state " + state + " to state " + target;
    }

    /**
     * The caller can abort the transaction and carry on (a no-op while aborting or outside a
     * transaction). A commit under way fails at once with {@code error}: its transaction can only
     * abort now. Kafka fails it when the sender dequeues its EndTxn, which is soon enough there
     * because commitTransaction blocks its caller until then; this producer's caller is not
     * blocked and may abort first — the EndTxn(commit) still queued would then commit the
     * transaction the caller is aborting.
     */
    public void transitionToAbortableError(RuntimeException error) {
        if (state == State.ABORTING_TRANSACTION || state == State.FATAL_ERROR || !state.canTransitionTo(State.ABORTABLE_ERROR)) {
            return;
        }
        boolean wasCommitting = state == State.COMMITTING_TRANSACTION;
        transitionTo(State.ABORTABLE_ERROR, error);
        if (wasCommitting) {
            pendingRequests.removeIf(TxnRequest::isEndTxn);
            finishEnd(error);
        }
    }

    // ProducerFenced
    /** Nothing transactional can succeed any more; every pending result fails with {@code error}. */
    public void transitionToFatalError(RuntimeException error) {
        if (state == State.FATAL_ERROR) {
            return;
        }
        ProducerIdAndEpoch fencedAs = producerIdAndEpoch;
        transitionTo(State.FATAL_ERROR, error);
        if (error instanceof ProducerFencedException && !fencedReported) {
            fencedReported = true;
            events.fenced(transactionalId, fencedAs);
        }
        failPending(error);
    }

    /** Fails every pending request and result (fatal error, forced close). */
    public void failPending(RuntimeException error) {
        while (!pendingRequests.isEmpty()) {
            failRequest(pendingRequests.poll(), error);
        }
        if (initResult != null && !initResult.isDone()) {
            initResult.completeExceptionally(error);
        }
        finishEnd(error);
        changes++;
    }

    private void maybeFailWithError() {
        if (hasError()) {
            throw errorStateException();
        }
    }

    private RuntimeException errorStateException() {
        if (lastError instanceof ProducerFencedException f) {
            return f;
        }
        return new ProducerException("Cannot execute transactional method because we are in an error state", lastError);
    }

    private void requireTransactional() {
        if (!isTransactional()) {
            throw new IllegalStateException("Transactional method invoked on a non-transactional producer.");
        }
    }

    // ---- queries -----------------------------------------------------------------------------

    public State state() {
        return state;
    }

    public boolean isTransactional() {
        return transactionalId != null;
    }

    /**
     * Kafka's {@code isTransactionV2Enabled}: the cluster advertises {@code transaction.version} 2
     * or higher ({@link ClusterMetadata#transactionVersion()}).
     */
    public boolean isTransactionV2Enabled() {
        return metadata.transactionVersion() >= 2;
    }

    public String transactionalId() {
        return transactionalId;
    }

    public ProducerIdAndEpoch producerIdAndEpoch() {
        return producerIdAndEpoch;
    }

    public boolean hasProducerId() {
        return producerIdAndEpoch.isValid();
    }

    /** The number of the current (or last) transaction, from 0; -1 before the first. */
    public int transactionIndex() {
        return transactionIndex;
    }

    /** The index ProducerSend carries: the current transaction, or -1 outside one. */
    public int sendTransactionIndex() {
        return isTransactional() && state == State.IN_TRANSACTION ? transactionIndex : -1;
    }

    public RuntimeException lastError() {
        return lastError;
    }

    public boolean hasError() {
        return state == State.FATAL_ERROR || state == State.ABORTABLE_ERROR;
    }

    public boolean hasFatalError() {
        return state == State.FATAL_ERROR;
    }

    public boolean hasAbortableError() {
        return state == State.ABORTABLE_ERROR;
    }

    public boolean isCompleting() {
        return state == State.COMMITTING_TRANSACTION || state == State.ABORTING_TRANSACTION;
    }

    public boolean isAborting() {
        return state == State.ABORTING_TRANSACTION;
    }

    public boolean hasOngoingTransaction() {
        return state == State.IN_TRANSACTION || isCompleting() || hasAbortableError();
    }

    public boolean epochBumpRequired() {
        return epochBumpRequired;
    }

    public boolean hasUnresolvedSequence(TopicPartition tp) {
        return sequences.unresolved(tp) != null;
    }

    public boolean isPartitionAdded(TopicPartition tp) {
        return partitionsInTransaction.contains(tp);
    }

    public boolean isPartitionPendingAdd(TopicPartition tp) {
        return newPartitionsInTransaction.contains(tp) || pendingPartitionsInTransaction.contains(tp);
    }

    /** Next sequence to stamp on the partition (0 if nothing was sent to it). */
    public int sequenceNumber(TopicPartition tp) {
        return sequences.sequenceNumber(tp);
    }

    /** The last sequence the broker acknowledged for the partition, or -1. */
    public int lastAckedSequence(TopicPartition tp) {
        return sequences.lastAckedSequence(tp);
    }

    public boolean hasInflightBatches(TopicPartition tp) {
        return sequences.hasInflightBatches(tp);
    }

    public boolean hasPendingRequests() {
        return !pendingRequests.isEmpty() || !newPartitionsInTransaction.isEmpty();
    }

    /** The earliest retry time after {@code afterMs} of a pending request. */
    public long nextRetryMs(long afterMs) {
        long next = Long.MAX_VALUE;
        for (TxnRequest r : pendingRequests) {
            if (r.notBeforeMs() > afterMs) {
                next = Math.min(next, r.notBeforeMs());
            }
        }
        return next;
    }

    /** Grows on every change of state; the sender uses it to tell whether a step did anything. */
    public long changeCount() {
        return changes + sequences.changeCount();
    }
}
