package dev.deliverycheck.producer.internals;

import dev.deliverycheck.env.Transport;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.errors.BrokerErrorException;
import dev.deliverycheck.producer.errors.OutOfOrderSequenceException;
import dev.deliverycheck.producer.errors.ProducerFencedException;
import dev.deliverycheck.producer.errors.TimeoutException;
import dev.deliverycheck.producer.errors.TransactionAbortedException;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.Request;
import dev.deliverycheck.protocol.Response;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kafka's {@code Sender}, one step at a time: {@link #runOnce(long)} does what is due at the
 * given time — fail requests that timed out, expire batches past {@code delivery.timeout.ms},
 * send the next transactional request, drain ready batches into Produce requests — and
 * {@link #receive} handles the answers.
 *
 * <p>Invariants: per broker at most {@code max.in.flight.requests.per.connection} requests are
 * unanswered; with {@code max.in.flight=1} a partition with a batch in flight is muted, so its
 * batches go out strictly one after another; every batch ends exactly once — acknowledged, failed
 * or expired — and a retriable failure puts it back in the accumulator unchanged (same producer id,
 * epoch and sequence) until {@code retries} or {@code delivery.timeout.ms} runs out; an answer to
 * a request that is no longer in flight (timed out, or unknown) is ignored; while a transactional
 * request is in flight no Produce request is sent (as Kafka's sender).
 */
public final class Sender {
    private final short acks;
    private final int retries;
    private final int requestTimeoutMs;
    private final int deliveryTimeoutMs;
    private final int maxRequestSize;
    private final boolean guaranteeMessageOrder;
    private final RecordAccumulator accumulator;
    private final TransactionManager tm;
    /** The transaction manager's side for the sender's batches and requests; null with {@code tm}. */
    private final SequenceHandler sequences;
    private final TxnRequestHandler txnRequests;
    private final Transport transport;
    private final ProducerEvents events;
    private final InFlightRequests inFlight;
    private int nextCorrelationId;
    private long work;

    /**
     * @param tm null when idempotence is off
     */
    public Sender(ProducerConfig config, RecordAccumulator accumulator, TransactionManager tm, Transport transport,
                  ProducerEvents events) {
        this.acks = config.acks();
        this.retries = config.retries();
        this.requestTimeoutMs = config.requestTimeoutMs();
        this.deliveryTimeoutMs = config.deliveryTimeoutMs();
        this.maxRequestSize = config.maxRequestSize();
        this.guaranteeMessageOrder = config.maxInFlightRequestsPerConnection() == 1;
        this.accumulator = accumulator;
        this.tm = tm;
        this.sequences = tm == null ? null : tm.sequenceHandler();
        this.txnRequests = tm == null ? null : tm.requestHandler();
        this.transport = transport;
        this.events = events;
        this.inFlight = new InFlightRequests(config.maxInFlightRequestsPerConnection());
    }

    /**
     * One iteration of Kafka's sender loop at {@code nowMs}. Returns whether anything changed (a
     * message sent, a batch completed or re-queued, a state moved), i.e. whether another step at
     * the same time might do more.
     */
    public boolean runOnce(long nowMs) {
        long workBefore = work;
        long changesBefore = tm == null ? 0 : tm.changeCount();
        handleTimedOutRequests(nowMs);
        failExpiredBatches(nowMs);
        if (tm != null) {
            sequences.maybeResolveSequences(inFlight::hasProduceFor);
            if (tm.hasFatalError()) {
                abortIncompleteBatches(tm.lastError());
                return changed(workBefore, changesBefore);
            }
            tm.bumpIdempotentEpochAndResetIdIfNeeded(inFlight::hasProduceFor);
            if (maybeSendTransactionalRequest(nowMs)) {
                return changed(workBefore, changesBefore);
            }
        }
        sendProducerData(nowMs);
        return changed(workBefore, changesBefore);
    }

    private boolean changed(long workBefore, long changesBefore) {
        return work != workBefore || (tm != null && tm.changeCount() != changesBefore);
    }

    /** Sends the next transactional request; true while one is in flight (no produce data then). */
    private boolean maybeSendTransactionalRequest(long nowMs) {
        if (inFlight.hasTxnRequest()) {
            return true;
        }
        if ((tm.hasAbortableError() || tm.isAborting()) && (accumulator.hasIncomplete() || !accumulator.memoryWaiters().isEmpty())) {
            RuntimeException cause = tm.lastError();
            abortUndrainedBatches(new TransactionAbortedException("Failing batch since transaction was aborted"
                    + (cause == null ? "" : " after: " + cause.getMessage()), cause));
        }
        TxnRequest next = txnRequests.nextRequest(hasIncomplete(), nowMs, inFlight::canSendMore);
        if (next == null) {
            return false;
        }
        int destination = txnRequests.destination(next);
        int correlationId = nextCorrelationId++;
        Request request = txnRequests.buildRequest(next, correlationId);
        inFlight.add(new InFlightRequests.InFlight(correlationId, destination, nowMs, Map.of(), next));
        work++;
        transport.send(destination, request);
        return true;
    }

    private boolean hasIncomplete() {
        return accumulator.hasIncomplete() || !accumulator.memoryWaiters().isEmpty();
    }

    /** Kafka's {@code sendProducerData}: ready brokers with a free slot get one Produce request each. */
    private void sendProducerData(long nowMs) {
        Set<Integer> ready = accumulator.ready(nowMs, tm != null && tm.isCompleting());
        Iterator<Integer> it = ready.iterator();
        while (it.hasNext()) {
            int node = it.next();
            boolean canSend = inFlight.canSendMore(node);
            accumulator.updateNodeLatencyStats(node, nowMs, canSend);
            if (!canSend) {
                it.remove();
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        Map<Integer, List<ProducerBatch>> drained = tm == null
                ? accumulator.drain(ready, maxRequestSize, nowMs, RecordAccumulator.DrainGate.OPEN, RecordAccumulator.Sequencer.NONE)
                : accumulator.drain(ready, maxRequestSize, nowMs, sequences::shouldStopDrain, sequences::stampSequence);
        if (guaranteeMessageOrder) {
            drained.values().forEach(list -> list.forEach(b -> accumulator.mutePartition(b.topicPartition())));
        }
        drained.forEach((node, batches) -> sendProduceRequest(nowMs, node, batches));
    }

    // ProducerSendBatch / ProducerRetry
    private void sendProduceRequest(long nowMs, int destination, List<ProducerBatch> batches) {
        int correlationId = nextCorrelationId++;
        Map<TopicPartition, ProducerBatch> byPartition = new LinkedHashMap<>();
        List<RecordBatch> wire = new ArrayList<>(batches.size());
        for (ProducerBatch b : batches) {
            byPartition.put(b.topicPartition(), b);
            wire.add(b.toRecordBatch());
            if (b.attempts() == 0) {
                events.sendBatch(destination, correlationId, b);
            } else {
                events.retry(destination, correlationId, b);
            }
            b.inRequest(true);
        }
        String transactionalId = tm != null && tm.isTransactional() ? tm.transactionalId() : null;
        ProduceRequest request = new ProduceRequest(correlationId, transactionalId, acks, requestTimeoutMs, wire);
        if (acks != 0) {
            inFlight.add(new InFlightRequests.InFlight(correlationId, destination, nowMs, byPartition, null));
        }
        work++;
        transport.send(destination, request);
        if (acks == 0) {
            // no response will come: Kafka completes acks=0 batches as soon as they are sent, offset unknown
            for (ProducerBatch b : batches) {
                completeBatch(b, Errors.NONE, -1L, null, nowMs);
            }
        }
    }

    /** Handles a message from {@code source}; returns false when it answered nothing in flight (stale, unknown). */
    public boolean receive(int source, Message message, long nowMs) {
        if (!(message instanceof Response response)) {
            return false;
        }
        InFlightRequests.InFlight request = inFlight.complete(response.correlationId(), source);
        if (request == null) {
            return false;
        }
        work++;
        if (request.isProduce()) {
            if (response instanceof ProduceResponse pr) {
                handleProduceResponse(request, pr, nowMs);
            } else {
                failProduceRequest(request, Errors.UNKNOWN_SERVER_ERROR,
                        "answered with " + response.getClass().getSimpleName(), nowMs);
            }
        } else {
            txnRequests.handleResponse(request.txnRequest(), response, nowMs);
        }
        return true;
    }

    private void handleProduceResponse(InFlightRequests.InFlight request, ProduceResponse response, long nowMs) {
        for (Map.Entry<TopicPartition, ProducerBatch> e : request.batches().entrySet()) {
            ProduceResponse.PartitionResult result = response.results().get(e.getKey());
            if (result == null) {
                completeBatch(e.getValue(), Errors.UNKNOWN_SERVER_ERROR, -1L,
                        "the produce response has no result for " + e.getKey(), nowMs);
            } else {
                completeBatch(e.getValue(), result.error(), result.baseOffset(), result.errorMessage(), nowMs);
            }
        }
    }

    private void failProduceRequest(InFlightRequests.InFlight request, Errors error, String message, long nowMs) {
        for (ProducerBatch b : request.batches().values()) {
            completeBatch(b, error, -1L, message, nowMs);
        }
    }

    /** Kafka's {@code completeBatch}: success, retry, or failure of one batch after an answer (or none). */
    private void completeBatch(ProducerBatch batch, Errors error, long baseOffset, String message, long nowMs) {
        batch.inRequest(false);
        work++;
        if (error == Errors.NONE || error == Errors.DUPLICATE_SEQUENCE_NUMBER) {
            // DUPLICATE_SEQUENCE_NUMBER: written before, but the broker no longer knows the offset.
            // Only this batch completes: a later acknowledgement says nothing about earlier batches
            // to the client (Kafka 4.4), each waits for its own answer or its delivery timeout.
            if (tm != null) {
                sequences.handleCompletedBatch(batch, baseOffset);
            }
            if (batch.succeed(error == Errors.NONE ? baseOffset : -1L, events)) {
                accumulator.deallocate(batch);
            }
        } else if (canRetry(batch, error, nowMs)) {
            accumulator.reenqueue(batch, nowMs);
        } else {
            // a sequence error that is no longer retried (out of time or retries) leaves the
            // partition's sequence unresolved as a retriable one does: an earlier attempt may have been written
            failBatch(batch, exceptionFor(error, message), error.retriable()
                    || error == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER || error == Errors.UNKNOWN_PRODUCER_ID);
        }
        if (guaranteeMessageOrder) {
            accumulator.unmutePartition(batch.topicPartition());
        }
    }

    private boolean canRetry(ProducerBatch batch, Errors error, long nowMs) {
        if (batch.isDone() || batch.hasReachedDeliveryTimeout(deliveryTimeoutMs, nowMs) || batch.attempts() >= retries) {
            return false;
        }
        return tm == null ? error.retriable() : sequences.canRetry(error, batch);
    }

    private RuntimeException exceptionFor(Errors error, String message) {
        // KIP-588: INVALID_PRODUCER_EPOCH on a Produce answer is abortable (a BrokerErrorException), not fencing
        if (tm != null && tm.isTransactional() && error == Errors.PRODUCER_FENCED) {
            return new ProducerFencedException("There is a newer producer with the same transactional.id "
                    + tm.transactionalId() + " which fences this one (broker answered " + error + ")");
        }
        if (error == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER || error == Errors.UNKNOWN_PRODUCER_ID) {
            return new OutOfOrderSequenceException(error, message);
        }
        return new BrokerErrorException(error, message);
    }

    /**
     * Fails a batch for good, telling the transaction manager first. {@code indeterminate}: the
     * batch may have been written (no definite answer came).
     */
    private void failBatch(ProducerBatch batch, RuntimeException error, boolean indeterminate) {
        if (batch.isDone()) {
            return;
        }
        work++;
        if (tm != null) {
            sequences.handleFailedBatch(batch, error, indeterminate);
        }
        if (batch.fail(error, events)) {
            accumulator.deallocate(batch);
        }
    }

    /** Fails a batch that never reached a broker in this transaction (no sequence bookkeeping involved). */
    private void abortBatch(ProducerBatch batch, RuntimeException error) {
        work++;
        if (batch.fail(error, events)) {
            accumulator.deallocate(batch);
        }
    }

    /**
     * Kafka's disconnect on request timeout: when a request has waited {@code request.timeout.ms},
     * the connection to that broker is closed (so the request cannot be acted on after it is
     * retried) and every request to that broker fails; produce batches get NETWORK_EXCEPTION
     * (retriable), transactional requests are queued again.
     */
    private void handleTimedOutRequests(long nowMs) {
        for (int broker : inFlight.brokersWithTimedOutRequests(nowMs, requestTimeoutMs)) {
            failInFlight(broker, "no response within request.timeout.ms=" + requestTimeoutMs, nowMs);
            transport.disconnect(broker);
        }
    }

    /**
     * The connection to {@code broker} broke (Kafka's NetworkClient sees the socket close at once):
     * every request in flight to it fails as on a request timeout, without waiting for one.
     */
    public void handleDisconnect(int broker, long nowMs) {
        failInFlight(broker, "connection closed", nowMs);
    }

    private void failInFlight(int broker, String why, long nowMs) {
        for (InFlightRequests.InFlight r : inFlight.clearAll(broker)) {
            work++;
            if (r.isProduce()) {
                failProduceRequest(r, Errors.NETWORK_EXCEPTION, "Disconnected from node " + broker + ": " + why, nowMs);
            } else {
                txnRequests.handleDisconnect(r.txnRequest(), nowMs);
            }
        }
    }

    /** Kafka's batch expiry: queued and in-flight batches older than {@code delivery.timeout.ms} fail. */
    private void failExpiredBatches(long nowMs) {
        for (ProducerBatch b : accumulator.expiredBatches(nowMs)) {
            failBatch(b, expired(b, nowMs), b.wasDrained());
        }
        for (InFlightRequests.InFlight r : inFlight.all()) {
            for (ProducerBatch b : r.batches().values()) {
                if (!b.isDone() && b.hasReachedDeliveryTimeout(deliveryTimeoutMs, nowMs)) {
                    failBatch(b, expired(b, nowMs), true);
                }
            }
        }
    }

    private TimeoutException expired(ProducerBatch b, long nowMs) {
        return new TimeoutException("Expiring " + b.recordCount() + " record(s) for " + b.topicPartition() + ": "
                + (nowMs - b.createdMs()) + " ms has passed since batch creation (delivery.timeout.ms="
                + deliveryTimeoutMs + ", " + (b.wasDrained() ? "sent " + (b.attempts() + 1) + " time(s)" : "never sent") + ")");
    }

    /** Fails every queued batch that was never sent, and every memory waiter (an aborting transaction). */
    private void abortUndrainedBatches(RuntimeException error) {
        for (ProducerBatch b : accumulator.removeUndrainedBatches(tm != null)) {
            abortBatch(b, error);
        }
        for (MemoryWaiter w : accumulator.memoryWaiters().removeAll()) {
            work++;
            w.completion().fail(error, events);
        }
    }

    /** Fails everything not yet completed, in flight or not, and every memory waiter (fatal error, forced close). */
    public void abortIncompleteBatches(RuntimeException error) {
        for (ProducerBatch b : accumulator.removeAllIncomplete()) {
            abortBatch(b, error);
        }
        for (MemoryWaiter w : accumulator.memoryWaiters().removeAll()) {
            work++;
            w.completion().fail(error, events);
        }
    }

    /**
     * The earliest time {@link #runOnce} expires a batch past {@code delivery.timeout.ms}: a queued
     * one the accumulator's expiry looks at, or one in a request in flight.
     */
    public long nextDeliveryDeadlineMs() {
        long next = accumulator.nextDeliveryDeadlineMs();
        for (InFlightRequests.InFlight r : inFlight.all()) {
            for (ProducerBatch b : r.batches().values()) {
                if (!b.isDone()) {
                    next = Math.min(next, b.createdMs() + deliveryTimeoutMs);
                }
            }
        }
        return next;
    }

    /** The earliest time a request in flight times out. */
    public long nextRequestTimeoutMs() {
        return inFlight.nextTimeoutMs(requestTimeoutMs);
    }

    public boolean hasInFlightRequests() {
        return !inFlight.isEmpty();
    }

    /** Requests in flight to a broker (for tests and diagnostics). */
    public int inFlightCount(int broker) {
        return inFlight.count(broker);
    }
}
