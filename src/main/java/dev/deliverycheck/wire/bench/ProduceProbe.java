package dev.deliverycheck.wire.bench;

import dev.deliverycheck.protocol.Record;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;

/**
 * Produce requests of a controlled {@link Shape}, built with kafka-clients' own classes (the generated
 * {@code ProduceRequestData} at v13, the version the 4.4 {@code KafkaProducer} sends, and
 * {@code MemoryRecordsBuilder} batches: magic v2, no compression, idempotent with the producer id the broker
 * gave), sent over one connection to a broker, timed two ways:
 * <ul>
 *   <li><b>serial</b>: one request at a time; the round trip of each (client and network included);</li>
 *   <li><b>pipelined</b>: up to {@code inFlight} requests outstanding on the connection, as the producer's
 *   {@code max.in.flight.requests.per.connection} allows. A broker handles one connection's requests one at a
 *   time (Kafka mutes the channel while a request is in work), so at saturation the time per request is the
 *   broker's service time for that shape — the quantity the bench cost model has per request.</li>
 * </ul>
 * Frames are built before the clock starts, so the client's cost in the timed loop is a socket write and read.
 *
 * <p>Invariants: the sequence numbers of every partition advance by exactly the records sent, so every
 * request is a new, in-order idempotent write (a refused request ends the measurement with an exception
 * naming the error, it never counts); every read has a socket timeout.
 */
public final class ProduceProbe implements AutoCloseable {
    /** The Produce version KafkaProducer 4.4 sends (topic ids). */
    static final short PRODUCE_VERSION = 13;
    private static final short INIT_PRODUCER_ID_VERSION = 5;
    private static final int SOCKET_TIMEOUT_MS = 30_000;
    private static final int INIT_ATTEMPTS = 50;
    private static final int MEASURE_ATTEMPTS = 3;
    private static final int RECOVER_SECONDS = 60;
    /** Upper bound of prebuilt frame bytes per measurement (keeps big shapes from filling the heap). */
    private static final long MAX_PREBUILT_BYTES = 32L << 20;

    /**
     * The shape of a Produce request.
     *
     * @param partitions      partitions (one batch each) in the request
     * @param recordsPerBatch records in each batch
     * @param valueBytes      bytes of each record's value (no key; one 8-byte header as deliverycheck's records carry)
     * @param acks            the request's acks (-1 = all, 1 = leader)
     */
    public record Shape(int partitions, int recordsPerBatch, int valueBytes, short acks) {
        public Shape {
            if (partitions < 1 || recordsPerBatch < 1 || valueBytes < 0 || (acks != -1 && acks != 1)) {
                throw new IllegalArgumentException("bad shape " + partitions + "/" + recordsPerBatch + "/" + valueBytes
                        + "/acks=" + acks);
            }
        }
    }

    /**
     * What one shape measured.
     *
     * @param requestBytes          size of one request frame on the wire (size prefix included)
     * @param serialRequests        requests timed one at a time
     * @param serialMedianUs        median round trip of those, µs
     * @param pipelinedRequests     requests timed with {@code inFlight} outstanding
     * @param pipelinedUsPerRequest elapsed time of those divided by their number, µs (the mean service time,
     *                              stalls of the machine included)
     * @param pipelinedMedianGapUs  median time between consecutive answers of those, µs (the typical service
     *                              time: robust against the stalls a loaded machine adds)
     * @param pipelinedGapsUs       every gap between consecutive answers, µs, in order (the service-time tail:
     *                              the stalls the median leaves out)
     */
    public record Result(Shape shape, int requestBytes, int serialRequests, double serialMedianUs, int pipelinedRequests,
                         double pipelinedUsPerRequest, double pipelinedMedianGapUs, double[] pipelinedGapsUs) {
    }

    private final Uuid topicId;
    private final int topicPartitions;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final int[] sequence;
    private long producerId;
    private short producerEpoch;
    private int correlationId;

    private ProduceProbe(Uuid topicId, int topicPartitions, Socket socket) throws IOException {
        this.topicId = topicId;
        this.topicPartitions = topicPartitions;
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        this.sequence = new int[topicPartitions];
    }

    /** Creates {@code topic} on {@code broker}, connects, and obtains a producer id. */
    public static ProduceProbe open(BrokerUnderTest broker, String topic, int partitions) throws IOException {
        Uuid id = broker.createTopic(topic, partitions);
        String[] hostPort = broker.bootstrap().split(":");
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(hostPort[1]));
        try {
            socket.setSoTimeout(SOCKET_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            ProduceProbe probe = new ProduceProbe(id, partitions, socket);
            probe.initProducerId();
            return probe;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void initProducerId() throws IOException {
        for (int attempt = 1; ; attempt++) {
            InitProducerIdResponse r = (InitProducerIdResponse) call(ApiKeys.INIT_PRODUCER_ID, INIT_PRODUCER_ID_VERSION,
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000));
            Errors error = Errors.forCode(r.data().errorCode());
            if (error == Errors.NONE) {
                producerId = r.data().producerId();
                producerEpoch = r.data().producerEpoch();
                Arrays.fill(sequence, 0);
                return;
            }
            if (!(error.exception() instanceof RetriableException) || attempt >= INIT_ATTEMPTS) {
                throw new IOException("InitProducerId failed: " + error);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100); // the broker's own retry backoff, between bounded attempts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for a producer id", e);
            }
        }
    }

    /** A Produce answered with an error for some partition. */
    static final class RefusedException extends IOException {
        final boolean retriable;

        RefusedException(String message, boolean retriable) {
            super(message);
            this.retriable = retriable;
        }
    }

    /**
     * Times {@code serial} requests one at a time, then {@code pipelined} with {@code inFlight} outstanding.
     * A retriable refusal (e.g. NOT_LEADER_OR_FOLLOWER while a loaded broker's leadership flaps) discards the
     * attempt: a new producer id, a wait until every partition accepts a write again, and the shape is measured
     * anew, at most {@value #MEASURE_ATTEMPTS} times.
     */
    public Result measure(Shape shape, int serial, int pipelined, int inFlight) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return measureOnce(shape, serial, pipelined, inFlight);
            } catch (RefusedException e) {
                if (!e.retriable || attempt >= MEASURE_ATTEMPTS) {
                    throw e;
                }
                recover();
            }
        }
    }

    /** New producer id, then one-record writes to every partition until all are accepted (bounded). */
    private void recover() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RECOVER_SECONDS);
        while (true) {
            initProducerId();
            try {
                Shape all = new Shape(topicPartitions, 1, 1, (short) -1);
                ByteBuffer f = frame(all);
                write(f);
                out.flush();
                check(read(), all);
                return;
            } catch (RefusedException e) {
                if (!e.retriable || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(200); // bounded back-off between attempts, as the client's retry.backoff.ms
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the broker recovered", ie);
            }
        }
    }

    private Result measureOnce(Shape shape, int serial, int pipelined, int inFlight) throws IOException {
        if (shape.partitions() > topicPartitions) {
            throw new IllegalArgumentException(shape.partitions() + " partitions in a request, the topic has " + topicPartitions);
        }
        if (serial < 1) {
            throw new IllegalArgumentException("at least one serial request, got " + serial);
        }
        List<ByteBuffer> frames = new ArrayList<>(serial);
        for (int i = 0; i < serial; i++) {
            frames.add(frame(shape));
        }
        int frameBytes = frames.get(0).remaining() + 4;
        int pipelinedCount = (int) Math.max(Math.min(pipelined, inFlight * 4L), Math.min(pipelined, MAX_PREBUILT_BYTES / frameBytes));
        double[] rtt = new double[serial];
        for (int i = 0; i < serial; i++) {
            long t0 = System.nanoTime();
            write(frames.get(i));
            out.flush();
            ByteBuffer answer = read();
            rtt[i] = (System.nanoTime() - t0) / 1000.0;
            check(answer, shape);
        }
        frames.clear();
        for (int i = 0; i < pipelinedCount; i++) {
            frames.add(frame(shape));
        }
        List<ByteBuffer> answers = new ArrayList<>(pipelinedCount);
        long[] completed = new long[pipelinedCount];
        long t0 = System.nanoTime();
        int sent = 0;
        while (sent < Math.min(inFlight, pipelinedCount)) {
            write(frames.get(sent++));
        }
        out.flush();
        for (int done = 0; done < pipelinedCount; done++) {
            answers.add(read());
            completed[done] = System.nanoTime();
            if (sent < pipelinedCount) {
                write(frames.get(sent++));
                out.flush();
            }
        }
        double perRequest = (completed[pipelinedCount - 1] - t0) / 1000.0 / pipelinedCount;
        for (ByteBuffer a : answers) {
            check(a, shape);
        }
        // Gaps between consecutive answers: at saturation each is one service time (or a stall of the machine).
        double[] gaps = new double[Math.max(1, pipelinedCount - 1)];
        for (int i = 1; i < pipelinedCount; i++) {
            gaps[i - 1] = (completed[i] - completed[i - 1]) / 1000.0;
        }
        if (pipelinedCount == 1) {
            gaps[0] = perRequest;
        }
        return new Result(shape, frameBytes, serial, median(rtt), pipelinedCount, perRequest, median(gaps), gaps);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** The next request of {@code shape}: one batch for each of partitions 0..n-1, sequences advanced. */
    private ByteBuffer frame(Shape shape) {
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setTopicId(topicId);
        long now = System.currentTimeMillis();
        byte[] value = new byte[shape.valueBytes()];
        Header[] headers = {new RecordHeader(Record.ID_HEADER, new byte[Long.BYTES])};
        for (int p = 0; p < shape.partitions(); p++) {
            ByteBuffer buffer = ByteBuffer.allocate(64 + shape.recordsPerBatch() * (shape.valueBytes() + 40));
            MemoryRecordsBuilder b = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
                    TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, producerId, producerEpoch, sequence[p]);
            for (int r = 0; r < shape.recordsPerBatch(); r++) {
                b.appendWithOffset(r, now, null, value, headers);
            }
            sequence[p] += shape.recordsPerBatch();
            topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(p).setRecords(b.build()));
        }
        ProduceRequestData data = new ProduceRequestData().setAcks(shape.acks()).setTimeoutMs(30_000).setTransactionalId(null);
        data.topicData().add(topic);
        return frame(ApiKeys.PRODUCE, PRODUCE_VERSION, data);
    }

    private ByteBuffer frame(ApiKeys key, short version, ApiMessage body) {
        RequestHeader header = new RequestHeader(key, version, "deliverycheck-probe", ++correlationId);
        return RequestUtils.serialize(header.data(), key.requestHeaderVersion(version), body, version);
    }

    private void check(ByteBuffer answer, Shape shape) throws IOException {
        int id = answer.getInt(0);
        ProduceResponse r = (ProduceResponse) AbstractResponse.parseResponse(answer,
                new RequestHeader(ApiKeys.PRODUCE, PRODUCE_VERSION, "deliverycheck-probe", id));
        int partitions = 0;
        for (ProduceResponseData.TopicProduceResponse t : r.data().responses()) {
            for (ProduceResponseData.PartitionProduceResponse p : t.partitionResponses()) {
                partitions++;
                if (p.errorCode() != 0) {
                    Errors error = Errors.forCode(p.errorCode());
                    throw new RefusedException("Produce " + shape + " refused for partition " + p.index() + ": " + error,
                            error.exception() instanceof RetriableException);
                }
            }
        }
        if (partitions != shape.partitions()) {
            throw new IOException("Produce " + shape + " answered for " + partitions + " partitions");
        }
    }

    private AbstractResponse call(ApiKeys key, short version, ApiMessage body) throws IOException {
        ByteBuffer f = frame(key, version, body);
        int id = correlationId;
        write(f);
        out.flush();
        return AbstractResponse.parseResponse(read(), new RequestHeader(key, version, "deliverycheck-probe", id));
    }

    private void write(ByteBuffer frame) throws IOException {
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    }

    private ByteBuffer read() throws IOException {
        int size;
        try {
            size = in.readInt();
        } catch (EOFException e) {
            throw new IOException("the broker closed the connection instead of answering", e);
        }
        byte[] b = new byte[size];
        in.readFully(b);
        return ByteBuffer.wrap(b);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
