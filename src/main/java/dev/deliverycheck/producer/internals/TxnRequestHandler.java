package dev.deliverycheck.producer.internals;

import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.producer.errors.BrokerErrorException;
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
import java.util.PriorityQueue;
import java.util.function.IntPredicate;

/**
 * The transaction manager's requests, Kafka's {@code TxnRequestHandler}s with the queue of its
 * {@code TransactionManager}: which InitProducerId, AddPartitionsToTxn or EndTxn goes next, what
 * goes on the wire, and what each answer means -- success, a retry after the backoff, an abortable
 * or a fatal error. A success updates what it shares with the {@link TransactionManager} (the
 * {@link ProducerIdentity}, the {@link PartitionsInTransaction}, the {@link TransactionResults});
 * every change of state is the manager's, through its transitions.
 *
 * <p>Invariants: requests leave the queue in Kafka's priority order ({@link TxnRequest}), a retried
 * one not before its backoff; an EndTxn leaves it only when no batch is incomplete; in an error
 * state a request fails instead of being sent; every answer ends in exactly one outcome and never
 * throws (an answer the state does not allow poisons the producer instead).
 */
final class TxnRequestHandler {
    /** Kafka retries AddPartitions after CONCURRENT_TRANSACTIONS sooner when nothing was added yet. */
    static final long ADD_PARTITIONS_RETRY_BACKOFF_MS = 20;

    private final TransactionManager manager;
    private final ProducerIdentity identity;
    private final PartitionsInTransaction partitions;
    private final TransactionResults results;
    private final String transactionalId;
    private final int transactionTimeoutMs;
    private final long retryBackoffMs;
    private final ClusterMetadata metadata;
    private final ProducerEvents events;

    private final PriorityQueue<TxnRequest> pendingRequests = new PriorityQueue<>();
    private long nextRequestOrder;
    private long changes;

    TxnRequestHandler(TransactionManager manager, ProducerIdentity identity, PartitionsInTransaction partitions,
                      TransactionResults results, String transactionalId, int transactionTimeoutMs, long retryBackoffMs,
                      ClusterMetadata metadata, ProducerEvents events) {
        this.manager = manager;
        this.identity = identity;
        this.partitions = partitions;
        this.results = results;
        this.transactionalId = transactionalId;
        this.transactionTimeoutMs = transactionTimeoutMs;
        this.retryBackoffMs = retryBackoffMs;
        this.metadata = metadata;
        this.events = events;
    }

    void enqueueInitProducerId(boolean epochBump) {
        enqueue(TxnRequest.initProducerId(nextRequestOrder++, epochBump));
    }

    /** AddPartitionsToTxn for every partition written in the transaction and not yet asked for. */
    void enqueueAddPartitions() {
        enqueue(TxnRequest.addPartitions(nextRequestOrder++, partitions.takeNew()));
    }

    void enqueueEndTxn(boolean commit) {
        enqueue(TxnRequest.endTxn(nextRequestOrder++, commit));
    }

    private void enqueue(TxnRequest request) {
        pendingRequests.add(request);
        changes++;
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
    TxnRequest nextRequest(boolean hasIncompleteBatches, long nowMs, IntPredicate canSendTo) {
        if (partitions.hasNew()) {
            enqueueAddPartitions();
        }
        while (true) {
            TxnRequest next = pendingRequests.peek();
            if (next == null || next.isEndTxn() && hasIncompleteBatches || next.notBeforeMs() > nowMs) {
                return null;
            }
            if (manager.hasError()) {
                pendingRequests.poll();
                changes++;
                failRequest(next, manager.lastError());
                continue;
            }
            if (next.isEndTxn() && !partitions.transactionStarted()) {
                pendingRequests.poll();
                changes++;
                manager.completeTransaction();
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
    int destination(TxnRequest request) {
        if (transactionalId != null) {
            return metadata.coordinatorFor(transactionalId);
        }
        return metadata.brokerIds().stream().min(Integer::compare).orElseThrow();
    }

    /** The wire request, emitting ProducerAddPartitions / ProducerEndTxn as it is sent. */
    Request buildRequest(TxnRequest request, int correlationId) {
        ProducerIdAndEpoch producerIdAndEpoch = identity.current();
        return switch (request.kind()) {
            // KIP-360: the identity held (none for a new instance), so a re-initialisation keeps the producer id
            case INIT_PRODUCER_ID -> new InitProducerIdRequest(correlationId, transactionalId,
                    transactionalId != null ? transactionTimeoutMs : Integer.MAX_VALUE,
                    producerIdAndEpoch.producerId(), producerIdAndEpoch.epoch());
            case ADD_PARTITIONS -> {
                events.addPartitions(transactionalId, producerIdAndEpoch, request.partitions());
                yield new AddPartitionsToTxnRequest(correlationId, transactionalId, producerIdAndEpoch.producerId(),
                        producerIdAndEpoch.epoch(), request.partitions(), false);
            }
            case END_TXN -> {
                events.endTxn(transactionalId, producerIdAndEpoch, manager.transactionIndex(), request.commit());
                yield new EndTxnRequest(correlationId, transactionalId, producerIdAndEpoch.producerId(),
                        producerIdAndEpoch.epoch(), request.commit());
            }
        };
    }

    /** The request got no answer (timeout or disconnect): send it again after the backoff. */
    void handleDisconnect(TxnRequest request, long nowMs) {
        retry(request, nowMs + retryBackoffMs);
    }

    private void retry(TxnRequest request, long atMs) {
        request.retryAt(atMs);
        enqueue(request);
    }

    /** Handles the response to a transactional request. */
    void handleResponse(TxnRequest request, Response response, long nowMs) {
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
            if (!manager.senderTransitionTo(TransactionManager.State.READY)) {
                return; // not initialising (say, fenced meanwhile): the producer id is not ours to take
            }
            identity.initialized(new ProducerIdAndEpoch(r.producerId(), r.producerEpoch()), transactionalId);
            if (request.epochBump()) {
                manager.finishEnd(null);
            } else {
                results.completeInit();
            }
        } else if (isFencing(e)) {
            manager.transitionToFatalError(fenced(e));
        } else if (e == Errors.TRANSACTION_ABORTABLE) {
            manager.transitionToAbortableError(new BrokerErrorException(e, "InitProducerId"));
            failRequest(request, manager.lastError());
        } else if (e.retriable()) {
            retry(request, nowMs + retryBackoffMs);
        } else {
            manager.transitionToFatalError(new BrokerErrorException(e, "unexpected error in InitProducerId response"));
        }
    }

    private void handleAddPartitionsResponse(TxnRequest request, Errors e, long nowMs) {
        if (e == Errors.NONE) {
            partitions.added(request.partitions());
        } else if (isFencing(e)) {
            manager.transitionToFatalError(fenced(e));
        } else if (e == Errors.INVALID_TXN_STATE) {
            manager.transitionToFatalError(new BrokerErrorException(e, "AddPartitionsToTxn " + request.partitions()));
        } else if (e == Errors.INVALID_PRODUCER_ID_MAPPING || e == Errors.TRANSACTION_ABORTABLE
                || e == Errors.UNKNOWN_PRODUCER_ID) {
            partitions.notAdded(request.partitions());
            manager.transitionToAbortableError(new BrokerErrorException(e, "AddPartitionsToTxn " + request.partitions()));
        } else if (e.retriable()) {
            boolean soon = e == Errors.CONCURRENT_TRANSACTIONS && partitions.noneAdded();
            retry(request, nowMs + (soon ? Math.min(ADD_PARTITIONS_RETRY_BACKOFF_MS, retryBackoffMs) : retryBackoffMs));
        } else {
            manager.transitionToFatalError(new BrokerErrorException(e, "unexpected error in AddPartitionsToTxn response"));
        }
    }

    private void handleEndTxnResponse(TxnRequest request, EndTxnResponse r, long nowMs) {
        Errors e = r.error();
        if (e == Errors.NONE) {
            if (r.hasNewProducerIdAndEpoch() && manager.isCompleting()) {
                identity.adoptEndTxnEpoch(new ProducerIdAndEpoch(r.producerId(), r.producerEpoch()));
                changes++;
            }
            manager.completeTransaction();
        } else if (isFencing(e)) {
            manager.transitionToFatalError(fenced(e));
        } else if ((e == Errors.UNKNOWN_PRODUCER_ID || e == Errors.INVALID_PRODUCER_ID_MAPPING
                || e == Errors.TRANSACTION_ABORTABLE) && manager.state() == TransactionManager.State.COMMITTING_TRANSACTION) {
            identity.requireEpochBump();
            manager.transitionToAbortableError(new BrokerErrorException(e, "EndTxn(commit)")); // fails the commit's result
        } else if (e.retriable() && e != Errors.UNKNOWN_PRODUCER_ID) {
            retry(request, nowMs + retryBackoffMs);
        } else {
            manager.transitionToFatalError(new BrokerErrorException(e, "EndTxn(" + (request.commit() ? "commit" : "abort") + ")"));
        }
    }

    private static boolean isFencing(Errors e) {
        return e == Errors.PRODUCER_FENCED || e == Errors.INVALID_PRODUCER_EPOCH;
    }

    private ProducerFencedException fenced(Errors e) {
        return new ProducerFencedException("There is a newer producer with the same transactional.id "
                + transactionalId + " which fences this one (" + identity.current() + ", broker answered " + e + ")");
    }

    /** A request fails without an answer that could succeed: its result fails with {@code error}. */
    private void failRequest(TxnRequest request, RuntimeException error) {
        switch (request.kind()) {
            case END_TXN -> manager.finishEnd(error);
            case INIT_PRODUCER_ID -> {
                if (request.epochBump()) {
                    manager.finishEnd(error);
                } else {
                    results.failInit(error);
                }
            }
            case ADD_PARTITIONS -> partitions.notAdded(request.partitions());
        }
    }

    /** A commit can no longer be: its EndTxn, if still queued, is not sent. */
    void removeEndTxn() {
        pendingRequests.removeIf(TxnRequest::isEndTxn);
    }

    /** Fails every queued request, in queue order (fatal error, forced close). */
    void failAll(RuntimeException error) {
        while (!pendingRequests.isEmpty()) {
            failRequest(pendingRequests.poll(), error);
        }
    }

    boolean hasPendingRequests() {
        return !pendingRequests.isEmpty();
    }

    /** The earliest retry time after {@code afterMs} of a pending request. */
    long nextRetryMs(long afterMs) {
        long next = Long.MAX_VALUE;
        for (TxnRequest r : pendingRequests) {
            if (r.notBeforeMs() > afterMs) {
                next = Math.min(next, r.notBeforeMs());
            }
        }
        return next;
    }

    /** Grows on every change; part of {@link TransactionManager#changeCount()}. */
    long changeCount() {
        return changes;
    }
}
