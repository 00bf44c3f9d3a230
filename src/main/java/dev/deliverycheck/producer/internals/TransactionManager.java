package dev.deliverycheck.producer.internals;

import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.producer.errors.ProducerException;
import dev.deliverycheck.producer.errors.ProducerFencedException;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Kafka's {@code TransactionManager}: the transaction state machine and the caller's transactional
 * API (initTransactions, begin, commit, abort), with what the answers to its requests do to the
 * state. The cluster's {@code transaction.version} chooses the protocol: with 2 (KIP-890 part 2) no
 * AddPartitionsToTxn is ever sent and every EndTxn answer hands out the epoch to go on with. The
 * other concerns of Kafka's class have their own: the producer id and epoch
 * ({@link ProducerIdentity}), the batches' sequence numbers ({@link SequenceHandler} over
 * {@link TxnPartitionMap}), the requests and what their answers mean ({@link TxnRequestHandler}),
 * the partitions of the transaction ({@link PartitionsInTransaction}) and the results the caller
 * waits on ({@link TransactionResults}).
 *
 * <p>Invariants: the state changes only along {@link State#canTransitionTo} (anything else throws
 * IllegalStateException, or -- for what arrives from the network -- poisons the producer); the
 * idempotent producer bumps its epoch only when no request carrying a batch of the partitions to
 * renumber is outstanding, so a renumbered batch can never also land under its old numbers; EndTxn
 * is sent only when no batch is incomplete; a partition's batches are drained in a transaction only
 * after AddPartitionsToTxn for it succeeded (version 1) or once it was written to in the
 * transaction (version 2); a transaction ended by an EndTxn whose answer carries a producer id and
 * epoch (KIP-890 part 2) is followed by transactions with that id and epoch, every partition's
 * sequence starting again at 0.
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

    private final String transactionalId;
    private final ClusterMetadata metadata;
    private final ProducerEvents events;

    private State state = State.UNINITIALIZED;
    private RuntimeException lastError;
    private boolean fencedReported;
    private long changes;

    private final TxnPartitionMap sequences = new TxnPartitionMap();
    private final ProducerIdentity identity;
    private final SequenceHandler batches;

    private final PartitionsInTransaction partitions = new PartitionsInTransaction();
    private final TxnRequestHandler requests;
    private final TransactionResults results;
    private int transactionIndex = -1;
    /**
     * Whether the caller's last transaction was begun and has not ended (no EndTxn completed it):
     * a record the caller sends while an error keeps that transaction from committing belongs to
     * it, so it is owed to no reader, however the send fails.
     */
    private boolean transactionOpen;

    /**
     * @param transactionalId null for an idempotent, non-transactional producer
     */
    public TransactionManager(String transactionalId, int transactionTimeoutMs, long retryBackoffMs,
                              ClusterMetadata metadata, ProducerEvents events) {
        this.transactionalId = transactionalId;
        this.metadata = metadata;
        this.events = events;
        this.identity = new ProducerIdentity(sequences, events);
        this.batches = new SequenceHandler(this, sequences, identity);
        this.results = new TransactionResults(events);
        this.requests = new TxnRequestHandler(this, identity, partitions, results, transactionalId, transactionTimeoutMs,
                retryBackoffMs, metadata, events);
    }

    // ---- the caller's transactional API ------------------------------------------------------

    /** initTransactions(): InitProducerId(transactional.id) to the coordinator; a repeated call returns the pending result. */
    public CompletableFuture<Void> initializeTransactions() {
        requireTransactional();
        CompletableFuture<Void> pending = results.pendingInit();
        if (state == State.INITIALIZING && pending != null) {
            return pending;
        }
        maybeFailWithError();
        transitionTo(State.INITIALIZING, null);
        identity.reset();
        CompletableFuture<Void> result = results.newInit();
        requests.enqueueInitProducerId(false);
        return result;
    }

    @SpecAction("ProducerBeginTxn")
    public void beginTransaction() {
        requireTransactional();
        maybeFailWithError();
        transitionTo(State.IN_TRANSACTION, null);
        transactionIndex++;
        transactionOpen = true;
        partitions.notStarted();
        events.beginTxn(transactionIndex);
    }

    /** commitTransaction(): flush, then EndTxn(commit) once every batch completed. */
    public CompletableFuture<Void> beginCommit() {
        requireTransactional();
        CompletableFuture<Void> pending = results.pendingEnd(true);
        if (state == State.COMMITTING_TRANSACTION && pending != null) {
            return pending;
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
        CompletableFuture<Void> pending = results.pendingEnd(false);
        if (state == State.ABORTING_TRANSACTION && pending != null) {
            return pending;
        }
        if (state == State.INITIALIZING && pending != null) {
            return pending; // the abort is re-initialising the epoch
        }
        if (state == State.FATAL_ERROR) {
            return failedEnd(false, errorStateException());
        }
        transitionTo(State.ABORTING_TRANSACTION, null);
        partitions.clearNew();
        return beginCompletingTransaction(false);
    }

    private CompletableFuture<Void> beginCompletingTransaction(boolean commit) {
        if (partitions.hasNew()) {
            requests.enqueueAddPartitions();
        }
        CompletableFuture<Void> result = results.newEnd(commit);
        requests.enqueueEndTxn(commit);
        return result;
    }

    private CompletableFuture<Void> failedEnd(boolean commit, RuntimeException error) {
        return results.failedEnd(commit, error, transactionIndex, identity.current());
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
        if (isTransactional() && partitions.maybeAdd(tp, isTransactionV2Enabled())) {
            changes++;
        }
    }

    // ---- the sender's step: the drain gate, the idempotent producer's id and epoch --------------

    /** Kafka's {@code isSendToPartitionAllowed}. */
    public boolean isSendToPartitionAllowed(TopicPartition tp) {
        if (hasFatalError()) {
            return false;
        }
        return !isTransactional() || partitions.isAdded(tp);
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
        if (identity.readyToBump(outstanding) && !identity.bumpEpoch() && senderTransitionTo(State.UNINITIALIZED)) {
            // Kafka's resetIdempotentProducerId: the epoch cannot grow; get a new producer id and renumber then
            identity.reset();
        }
        if (state != State.INITIALIZING && !hasProducerId() && senderTransitionTo(State.INITIALIZING)) {
            requests.enqueueInitProducerId(false);
        }
    }

    // ---- ending a transaction (TxnRequestHandler calls these on an answer) --------------------

    /**
     * The transaction ended: READY for the next one, or (after an abort that needs a new epoch the
     * EndTxn answer did not bring) InitProducerId first.
     */
    void completeTransaction() {
        boolean bumpEpoch = !results.endIsCommit() && identity.epochBumpRequired();
        if (!senderTransitionTo(bumpEpoch ? State.INITIALIZING : State.READY)) {
            return;
        }
        transactionOpen = false;
        partitions.clear();
        if (bumpEpoch) {
            requests.enqueueInitProducerId(true);
            return;
        }
        finishEnd(null);
    }

    /** Completes the commit's or abort's result, if one is under way: with {@code error}, or successfully if null. */
    void finishEnd(RuntimeException error) {
        results.finishEnd(error, transactionIndex, identity.current());
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
    boolean senderTransitionTo(State target) {
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
            requests.removeEndTxn();
            finishEnd(error);
        }
    }

    // ProducerFenced
    /** Nothing transactional can succeed any more; every pending result fails with {@code error}. */
    public void transitionToFatalError(RuntimeException error) {
        if (state == State.FATAL_ERROR) {
            return;
        }
        ProducerIdAndEpoch fencedAs = identity.current();
        transitionTo(State.FATAL_ERROR, error);
        if (error instanceof ProducerFencedException && !fencedReported) {
            fencedReported = true;
            events.fenced(transactionalId, fencedAs);
        }
        failPending(error);
    }

    /** Fails every pending request and result (fatal error, forced close). */
    public void failPending(RuntimeException error) {
        requests.failAll(error);
        results.failInit(error);
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
        return identity.current();
    }

    public boolean hasProducerId() {
        return identity.hasProducerId();
    }

    /** The number of the current (or last) transaction, from 0; -1 before the first. */
    public int transactionIndex() {
        return transactionIndex;
    }

    /**
     * The index ProducerSend carries: the current transaction, also when an abortable or fatal
     * error refuses the send inside it (the transaction can no longer commit); -1 outside one.
     */
    public int sendTransactionIndex() {
        return isTransactional() && transactionOpen && (state == State.IN_TRANSACTION || hasError()) ? transactionIndex : -1;
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
        return identity.epochBumpRequired();
    }

    public boolean isPartitionAdded(TopicPartition tp) {
        return partitions.isAdded(tp);
    }

    public boolean isPartitionPendingAdd(TopicPartition tp) {
        return partitions.isPendingAdd(tp);
    }

    public boolean hasPendingRequests() {
        return requests.hasPendingRequests() || partitions.hasNew();
    }

    /** The earliest retry time after {@code afterMs} of a pending request. */
    public long nextRetryMs(long afterMs) {
        return requests.nextRetryMs(afterMs);
    }

    /** The sender's side of the batches' sequence numbers. */
    SequenceHandler sequenceHandler() {
        return batches;
    }

    /** The sender's side of the transactional requests. */
    TxnRequestHandler requestHandler() {
        return requests;
    }

    /** Grows on every change of state; the sender uses it to tell whether a step did anything. */
    public long changeCount() {
        return changes + sequences.changeCount() + requests.changeCount();
    }
}
