package dev.deliverycheck.bench;

import dev.deliverycheck.local.TrafficListener;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.RecordBatch;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Collects what one benchmark run measures, inside a measurement window {@code [fromNs, toNs)}
 * of the run's own time (virtual nanoseconds in the model, {@code System.nanoTime} in real time):
 * send-to-ack latency of the records sent in the window, acknowledgements that arrive in it,
 * Produce requests sent in it (batches, records, bytes, per broker), and time the application
 * spent blocked in {@code send()}.
 *
 * <p>Invariant: only events inside the window count, so warm-up and drain never dilute the
 * figures. Thread-safe: the real-time run records from the application thread and the producer's
 * I/O thread.
 */
final class Recorder implements TrafficListener {
    /** Latencies are recorded in microseconds, up to an hour, with 3 significant digits. */
    private static final long MAX_LATENCY_US = 3_600_000_000L;

    private final LongSupplier nowNs;
    private final long fromNs;
    private final long toNs;
    private final int brokers;
    private final boolean transactional;
    private final Histogram latencyUs = new Histogram(MAX_LATENCY_US, 3);
    private final long[] recordsPerBroker;
    private long sent;
    private long acked;
    private long ackedInWindow;
    private long committedInWindow;
    private long failedTransactions;
    private long failed;
    private long requests;
    private long batches;
    private long records;
    private long bytes;
    private long blockedNs;
    private String firstFailure;

    /**
     * @param transactional throughput counts records of committed transactions (by commit time)
     *                      instead of acknowledged records
     */
    Recorder(LongSupplier nowNs, long fromNs, long toNs, int brokers, boolean transactional) {
        this.nowNs = nowNs;
        this.transactional = transactional;
        this.fromNs = fromNs;
        this.toNs = toNs;
        this.brokers = brokers;
        this.recordsPerBroker = new long[brokers];
    }

    boolean inWindow(long ns) {
        return ns >= fromNs && ns < toNs;
    }

    /** The application handed a record to {@code send()} at {@code sendNs}. */
    synchronized void sent(long sendNs) {
        if (inWindow(sendNs)) {
            sent++;
        }
    }

    /** The record sent at {@code sendNs} completed at {@code doneNs}; {@code error} null on success. */
    synchronized void completed(long sendNs, long doneNs, Exception error) {
        if (error != null) {
            if (inWindow(sendNs)) {
                failed++;
                if (firstFailure == null) {
                    firstFailure = error.toString();
                }
            }
            return;
        }
        if (inWindow(doneNs)) {
            ackedInWindow++;
        }
        if (inWindow(sendNs)) {
            acked++;
            latencyUs.recordValue(Math.min(MAX_LATENCY_US, Math.max(0, (doneNs - sendNs) / 1000)));
        }
    }

    /** A transaction of {@code records} records committed at {@code doneNs}. */
    synchronized void committed(int records, long doneNs) {
        if (inWindow(doneNs)) {
            committedInWindow += records;
        }
    }

    /** A commit failed at {@code doneNs} (the transaction was then aborted, or the producer replaced). */
    synchronized void transactionFailed(Exception error, long doneNs) {
        if (inWindow(doneNs)) {
            failedTransactions++;
        }
        if (firstFailure == null) {
            firstFailure = "commitTransaction failed: " + error;
        }
    }

    /** The application was blocked in {@code send()} from {@code startNs} to {@code endNs}. */
    synchronized void blocked(long startNs, long endNs) {
        long from = Math.max(startNs, fromNs);
        long to = Math.min(endNs, toNs);
        if (to > from) {
            blockedNs += to - from;
        }
    }

    @Override
    public synchronized void onSend(int source, int destination, Message message) {
        if (!(message instanceof ProduceRequest r) || destination < 0 || destination >= brokers
                || !inWindow(nowNs.getAsLong())) {
            return;
        }
        requests++;
        for (RecordBatch b : r.batches()) {
            batches++;
            records += b.recordCount();
            bytes += b.sizeInBytes();
            recordsPerBroker[destination] += b.recordCount();
        }
    }

    synchronized Measurement result() {
        return result(new double[0]);
    }

    synchronized Measurement result(double[] brokerBusyShare) {
        double windowS = (toNs - fromNs) / 1e9;
        long delivered = transactional ? committedInWindow : ackedInWindow;
        return new Measurement(windowS, sent, acked, failed, delivered / windowS, requests, batches, records, bytes,
                recordsPerBroker.clone(), latencyUs.copy(), blockedNs / 1e9, firstFailure, brokerBusyShare, failedTransactions);
    }
}
