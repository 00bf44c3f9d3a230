package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.WriteTxnMarkersRequest;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;

/**
 * The bench simulator's cost model (docs/bench/README.md): how long a broker works on a message
 * and how long the network takes to carry it.
 *
 * <p>A broker handles the messages sent to it one at a time, in arrival order, and each takes
 * {@code perRequestUs + perBatchUs × batches + perByteNs × bytes}, multiplied by the broker's
 * slowdown factor; "batches" counts the partitions a Produce request (or a marker request)
 * writes to, "bytes" is the request's size on the wire. The network adds {@code oneWayLatencyUs}
 * to every message in each direction; it has no bandwidth limit and keeps each connection in
 * order. The producer takes {@code clientPerRequestUs} (plus {@code clientPerBatchUs} per batch and
 * {@code clientPerRecordUs} per record of a Produce request) of its sender's time per request it sends (its
 * requests leave one after another, each once the sender has spent that long on it; 0 = a free
 * producer, the default); the application calling {@code send()} takes no time at all. With {@code stalls}
 * (issue 19's p99 term, fitted by {@code bench calibrate}; null = none, the default) each broker stops working for
 * stalls that come at the measured rate with the measured lengths ({@link ServiceStalls}). With
 * {@code clientOnBrokerCore} (issue 19's p50 term; false = the default) the producer's sender time is not spent in
 * parallel with the broker's work but on the broker's server, in the broker's queue: the client and a broker that
 * share one host's cores, where the sender's work per request and the broker's add up (docs/bench).
 *
 * <p>Invariant: every cost is non-negative and finite, so simulated time only moves forward.
 *
 * @param oneWayLatencyUs network delay of every message, in microseconds
 * @param perRequestUs    broker time per request, whatever it carries
 * @param perBatchUs      broker time per partition written by a request (validation, log append,
 *                        index and producer-state update)
 * @param perByteNs       broker time per byte of the request
 * @param clientPerRequestUs the producer's (sender thread's) time per request: building it, writing it,
 *                        handling its answer (issue 19: the term a real client needs, see docs/bench)
 * @param perRecordUs     broker time per record a Produce request carries (issue 19: the term the
 *                        residuals of the fit to a real broker asked for; 0 in the default model)
 * @param clientPerBatchUs  the sender's time per batch (partition) of a Produce request it sends (issue 19)
 * @param clientPerRecordUs the sender's time per record of a Produce request it sends (completing its future)
 * @param stalls          the brokers' stalls (null: none; absent from the JSON then)
 * @param clientOnBrokerCore the producer's sender time per request is added to the service time of the request at
 *                        its broker (under that broker's stalls, not scaled by its slowdown) instead of delaying the
 *                        request's departure on a sender of its own; absent from the JSON when false
 */
@JsonPropertyOrder({"oneWayLatencyUs", "perRequestUs", "perBatchUs", "perByteNs", "perRecordUs", "clientPerRequestUs",
    "clientPerBatchUs", "clientPerRecordUs", "stalls", "clientOnBrokerCore"})
public record CostModel(double oneWayLatencyUs, double perRequestUs, double perBatchUs, double perByteNs,
                        double clientPerRequestUs, double perRecordUs, double clientPerBatchUs,
                        double clientPerRecordUs, @JsonInclude(JsonInclude.Include.NON_NULL) ServiceStalls stalls,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean clientOnBrokerCore) {
    /** Bytes of a request's header and framing, besides its batches. */
    public static final int REQUEST_HEADER_BYTES = 64;
    /** Bytes of a batch without records (a transaction marker is one). */
    private static final int EMPTY_BATCH_BYTES = RecordBatch.plain(new TopicPartition("t", 0), List.of()).sizeInBytes();

    /**
     * The defaults: loopback latency, a broker whose per-request cost dominates small requests,
     * and a per-byte cost that caps one broker near 50 MB/s (about 350 k records/s of 100-byte
     * records), close to what a single real Kafka broker reached on this kind of machine.
     */
    public static final CostModel DEFAULT = new CostModel(50, 150, 15, 20);

    /** A model whose producer is free (no client time per request) and whose broker has no per-record cost. */
    public CostModel(double oneWayLatencyUs, double perRequestUs, double perBatchUs, double perByteNs) {
        this(oneWayLatencyUs, perRequestUs, perBatchUs, perByteNs, 0, 0);
    }

    /** A model whose broker has no per-record cost. */
    public CostModel(double oneWayLatencyUs, double perRequestUs, double perBatchUs, double perByteNs,
                     double clientPerRequestUs) {
        this(oneWayLatencyUs, perRequestUs, perBatchUs, perByteNs, clientPerRequestUs, 0);
    }

    /** A model whose producer costs only per request (or nothing). */
    public CostModel(double oneWayLatencyUs, double perRequestUs, double perBatchUs, double perByteNs,
                     double clientPerRequestUs, double perRecordUs) {
        this(oneWayLatencyUs, perRequestUs, perBatchUs, perByteNs, clientPerRequestUs, perRecordUs, 0, 0);
    }

    /** A model without stalls. */
    public CostModel(double oneWayLatencyUs, double perRequestUs, double perBatchUs, double perByteNs,
                     double clientPerRequestUs, double perRecordUs, double clientPerBatchUs, double clientPerRecordUs) {
        this(oneWayLatencyUs, perRequestUs, perBatchUs, perByteNs, clientPerRequestUs, perRecordUs, clientPerBatchUs,
                clientPerRecordUs, null);
    }

    /** A model whose producer's sender has a core of its own (the model of issues 8 and 19 before the p50 term). */
    public CostModel(double oneWayLatencyUs, double perRequestUs, double perBatchUs, double perByteNs,
                     double clientPerRequestUs, double perRecordUs, double clientPerBatchUs, double clientPerRecordUs,
                     ServiceStalls stalls) {
        this(oneWayLatencyUs, perRequestUs, perBatchUs, perByteNs, clientPerRequestUs, perRecordUs, clientPerBatchUs,
                clientPerRecordUs, stalls, false);
    }

    public CostModel {
        check("clientPerRequestUs", clientPerRequestUs);
        check("clientPerBatchUs", clientPerBatchUs);
        check("clientPerRecordUs", clientPerRecordUs);
        check("perRecordUs", perRecordUs);
        check("oneWayLatencyUs", oneWayLatencyUs);
        check("perRequestUs", perRequestUs);
        check("perBatchUs", perBatchUs);
        check("perByteNs", perByteNs);
    }

    private static void check(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
    }

    /** The same model without the per-batch term: the two-term model of issue 8. */
    public CostModel withoutPerBatchCost() {
        return new CostModel(oneWayLatencyUs, perRequestUs, 0, perByteNs, clientPerRequestUs, perRecordUs,
                clientPerBatchUs, clientPerRecordUs, stalls, clientOnBrokerCore);
    }

    /** The same model with a free producer: the broker-only model. */
    public CostModel withoutClientCost() {
        return new CostModel(oneWayLatencyUs, perRequestUs, perBatchUs, perByteNs, 0, perRecordUs, 0, 0, stalls,
                clientOnBrokerCore);
    }

    /** The same broker with these client terms (µs per request, per batch, per record). */
    public CostModel withClientCost(double perRequest, double perBatch, double perRecord) {
        return new CostModel(oneWayLatencyUs, perRequestUs, perBatchUs, perByteNs, perRequest, perRecordUs, perBatch,
                perRecord, stalls, clientOnBrokerCore);
    }

    /** The same model with this service-time tail (null: none). */
    public CostModel withStalls(ServiceStalls tail) {
        return new CostModel(oneWayLatencyUs, perRequestUs, perBatchUs, perByteNs, clientPerRequestUs, perRecordUs,
                clientPerBatchUs, clientPerRecordUs, tail, clientOnBrokerCore);
    }

    /**
     * The same model with the producer's sender time spent on the broker's core ({@code true}: the client and a
     * broker of one host, see {@code clientOnBrokerCore}) or on a core of its own ({@code false}).
     */
    public CostModel withClientOnBrokerCore(boolean onBrokerCore) {
        return new CostModel(oneWayLatencyUs, perRequestUs, perBatchUs, perByteNs, clientPerRequestUs, perRecordUs,
                clientPerBatchUs, clientPerRecordUs, stalls, onBrokerCore);
    }

    /** True if brokers stall (a stall rate above 0 and lengths to draw). */
    public boolean hasStalls() {
        return stalls != null && stalls.any();
    }

    /** True if the producer's sender takes any time (then its requests leave one at a time). */
    public boolean hasClientCost() {
        return clientPerRequestUs > 0 || clientPerBatchUs > 0 || clientPerRecordUs > 0;
    }

    public long clientPerRequestNs() {
        return Math.round(clientPerRequestUs * 1000);
    }

    /**
     * The producer's sender time for a message it sends: per request, plus per batch and per record of a
     * Produce request.
     */
    public long clientNs(Message message) {
        double us = clientPerRequestUs;
        if (message instanceof ProduceRequest r) {
            us += clientPerBatchUs * r.batches().size();
            for (RecordBatch b : r.batches()) {
                us += clientPerRecordUs * b.records().size();
            }
        }
        return Math.round(us * 1000);
    }

    public long oneWayLatencyNs() {
        return Math.round(oneWayLatencyUs * 1000);
    }

    /** Broker time for one message at a broker slowed down by {@code slowdown} (1 = normal). */
    public long serviceNs(Message message, double slowdown) {
        int batches = 0;
        long records = 0;
        long bytes = REQUEST_HEADER_BYTES;
        if (message instanceof ProduceRequest r) {
            batches = r.batches().size();
            for (RecordBatch b : r.batches()) {
                bytes += b.sizeInBytes();
                records += b.records().size();
            }
        } else if (message instanceof WriteTxnMarkersRequest r) {
            batches = r.partitions().size();
            bytes += (long) batches * EMPTY_BATCH_BYTES;
        }
        double us = perRequestUs + perBatchUs * batches + perByteNs * bytes / 1000.0 + perRecordUs * records;
        return Math.round(us * 1000 * slowdown);
    }
}
