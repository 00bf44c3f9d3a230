package dev.deliverycheck.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.broker.log.StoredBatch;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.sim.SimulatedDisk;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.Test;

/**
 * Bad input over real sockets: at least 10,000 malformed or truncated frames (random bytes,
 * mutated valid requests, wrong sizes, unknown api keys and versions). After each one the broker
 * has either answered or closed that connection (a probe request on the same connection tells
 * which, so no read waits on a frame that deserves no answer); a separate healthy connection keeps
 * being served throughout; afterwards the broker thread is alive and every record stored before
 * reads back byte for byte. Seeded: {@code -Dwire.fuzz.seed=N} replays a run; the seed is in every
 * failure message.
 */
class WireFuzzTest {
    private static final int FRAMES = 10_000;
    private static final String TOPIC = "fz";
    private static final int PROBE_ID = 0x7ead;

    @Test
    void malformedFramesGetAnErrorOrACloseAndHarmNothing() throws Exception {
        long seed = Long.getLong("wire.fuzz.seed", new Random().nextLong());
        String why = "seed " + seed + " (replay with -Dwire.fuzz.seed=" + seed + ")";
        Random random = new Random(seed);
        // In-memory storage: the subject is the protocol front, and 10,000 frames must take seconds, not fsyncs.
        try (WireHarness h = WireHarness.start(new SimulatedDisk(), 2, 2, BrokerConfig.DEFAULT, EventSink.NONE);
             RawClient healthy = new RawClient(h.server.port())) {
            List<ByteBuffer> corpus = corpus();
            store(healthy);
            ByteBuffer before = fetchAll(healthy);
            int closed = 0;
            int answered = 0;
            Socket socket = null;
            try {
                for (int i = 0; i < FRAMES; i++) {
                    if (socket == null) {
                        socket = new Socket(InetAddress.getLoopbackAddress(), h.server.port());
                        socket.setSoTimeout(10_000);
                        socket.setTcpNoDelay(true);
                    }
                    Outcome o = sendOne(socket, random, corpus, why + ", frame " + i);
                    if (o == Outcome.CLOSED) {
                        closed++;
                        socket.close();
                        socket = null;
                    } else {
                        answered++;
                    }
                    if (i % 500 == 0) {
                        MetadataResponse m = (MetadataResponse) healthy.call(ApiKeys.METADATA, (short) 12,
                                new MetadataRequestData().setTopics(List.of(
                                        new MetadataRequestData.MetadataRequestTopic().setName(TOPIC))));
                        assertThat(m.data().topics().find(TOPIC).partitions()).as(why).hasSize(2);
                    }
                }
            } finally {
                if (socket != null) {
                    socket.close();
                }
            }
            System.out.printf("WireFuzzTest: %s, %d frames: %d answered, %d closed their connection%n", why, FRAMES,
                    answered, closed);
            assertThat(h.broker.failure()).as(why).isNull();
            assertThat(closed).as(why + ": some frames closed their connection").isPositive();
            assertThat(answered).as(why + ": some frames were answered").isPositive();
            ByteBuffer after = fetchAll(healthy);
            assertThat(after.limit()).as(why).isGreaterThanOrEqualTo(before.limit());
            assertThat(after.slice(0, before.limit())).as(why + ": the records stored before are intact")
                    .isEqualTo(before);
        }
    }

    private enum Outcome { ANSWERED, CLOSED }

    /** Sends one bad frame and then a probe; reads until the probe's answer or the close. */
    private static Outcome sendOne(Socket socket, Random random, List<ByteBuffer> corpus, String why) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int kind = random.nextInt(5);
        byte[] body;
        boolean truncated = false;
        switch (kind) {
            case 0 -> {
                body = new byte[random.nextInt(64)];
                random.nextBytes(body);
            }
            case 1 -> body = mutate(copy(corpus.get(random.nextInt(corpus.size()))), random);
            case 2 -> {
                // Unknown api key or version on an otherwise valid frame.
                body = copy(corpus.get(random.nextInt(corpus.size())));
                ByteBuffer b = ByteBuffer.wrap(body);
                if (random.nextBoolean()) {
                    b.putShort(0, (short) (ApiKeys.values().length + random.nextInt(1000)));
                } else {
                    b.putShort(2, (short) (50 + random.nextInt(30000)));
                }
            }
            case 3 -> {
                // The size promises more bytes than come: the connection must end, not wait forever.
                body = copy(corpus.get(random.nextInt(corpus.size())));
                truncated = true;
            }
            default -> {
                // Absurd sizes.
                int[] sizes = {-1, 0, 3, Integer.MAX_VALUE, WireServer.MAX_REQUEST_BYTES + 1};
                try {
                    out.writeInt(sizes[random.nextInt(sizes.length)]);
                    out.flush();
                } catch (SocketException e) {
                    return Outcome.CLOSED;
                }
                return drainUntilClosed(in, why);
            }
        }
        try {
            if (truncated) {
                out.writeInt(body.length + 1 + random.nextInt(100));
                out.write(body, 0, random.nextInt(body.length + 1));
                out.flush();
                socket.shutdownOutput();
                return drainUntilClosed(in, why);
            }
            out.writeInt(body.length);
            out.write(body);
            ByteBuffer probe = RawClient.frame(ApiKeys.API_VERSIONS, (short) 3, PROBE_ID,
                    new ApiVersionsRequestData().setClientSoftwareName("probe").setClientSoftwareVersion("1"));
            out.writeInt(probe.remaining());
            out.write(probe.array(), probe.arrayOffset() + probe.position(), probe.remaining());
            out.flush();
        } catch (SocketException e) {
            return Outcome.CLOSED;
        }
        try {
            while (true) {
                int size = in.readInt();
                byte[] answer = new byte[size];
                in.readFully(answer);
                if (size >= 4 && ByteBuffer.wrap(answer).getInt(0) == PROBE_ID) {
                    return Outcome.ANSWERED;
                }
            }
        } catch (EOFException | SocketException e) {
            return Outcome.CLOSED;
        } catch (SocketTimeoutException e) {
            throw new AssertionError(why + ": the broker neither answered nor closed the connection", e);
        }
    }

    private static Outcome drainUntilClosed(DataInputStream in, String why) throws IOException {
        try {
            while (in.read() >= 0) {
                // answers to nothing: the frame was incomplete
            }
            return Outcome.CLOSED;
        } catch (SocketException e) {
            return Outcome.CLOSED;
        } catch (SocketTimeoutException e) {
            throw new AssertionError(why + ": the broker kept a connection with a bad size open", e);
        }
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static byte[] mutate(byte[] frame, Random random) {
        switch (random.nextInt(3)) {
            case 0 -> {
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    frame[random.nextInt(frame.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return frame;
            }
            case 1 -> {
                byte[] cut = new byte[Math.max(1, random.nextInt(frame.length))];
                System.arraycopy(frame, 0, cut, 0, cut.length);
                return cut;
            }
            default -> {
                byte[] longer = new byte[frame.length + 1 + random.nextInt(16)];
                System.arraycopy(frame, 0, longer, 0, frame.length);
                for (int i = frame.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                return longer;
            }
        }
    }

    /** Valid requests of every served key, the seeds of the mutations. */
    private static List<ByteBuffer> corpus() {
        List<ByteBuffer> out = new ArrayList<>();
        add(out, ApiKeys.API_VERSIONS, new ApiVersionsRequestData().setClientSoftwareName("f").setClientSoftwareVersion("1"));
        add(out, ApiKeys.METADATA, new MetadataRequestData().setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setName(TOPIC))));
        out.add(RawClient.frame(ApiKeys.FIND_COORDINATOR, (short) 1, 3,
                new FindCoordinatorRequestData().setKey("tx").setKeyType((byte) 1)));
        out.add(RawClient.frame(ApiKeys.FIND_COORDINATOR, (short) 6, 3,
                new FindCoordinatorRequestData().setKeyType((byte) 1).setCoordinatorKeys(List.of("tx", "g"))));
        add(out, ApiKeys.INIT_PRODUCER_ID, new InitProducerIdRequestData().setTransactionalId("tx")
                .setTransactionTimeoutMs(1000));
        AddPartitionsToTxnRequestData add = new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId("tx")
                .setV3AndBelowProducerId(1).setV3AndBelowProducerEpoch((short) 0);
        add.v3AndBelowTopics().add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName(TOPIC)
                .setPartitions(List.of(0, 1)));
        add(out, ApiKeys.ADD_PARTITIONS_TO_TXN, add);
        add(out, ApiKeys.END_TXN, new EndTxnRequestData().setTransactionalId("tx").setProducerId(1).setCommitted(true));
        for (short v : new short[] {3, 7, 11}) {
            out.add(RawClient.frame(ApiKeys.PRODUCE, v, 5, produce(v)));
        }
        for (short v : new short[] {4, 11, 12}) {
            out.add(RawClient.frame(ApiKeys.FETCH, v, 6, fetch(0)));
        }
        ListOffsetsRequestData lo = new ListOffsetsRequestData().setReplicaId(-1);
        lo.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName(TOPIC).setPartitions(List.of(
                new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(1).setTimestamp(-1))));
        out.add(RawClient.frame(ApiKeys.LIST_OFFSETS, (short) 2, 7, lo));
        out.add(RawClient.frame(ApiKeys.LIST_OFFSETS, (short) 7, 7, lo));
        return out;
    }

    private static void add(List<ByteBuffer> out, ApiKeys key, ApiMessage body) {
        short[] r = ServedApis.ranges().get(key);
        out.add(RawClient.frame(key, r[0], 1, body));
        out.add(RawClient.frame(key, r[1], 2, body));
    }

    private static ProduceRequestData produce(long id) {
        RecordBatch b = RecordBatch.plain(new TopicPartition(TOPIC, (int) (id % 2)),
                List.of(Record.withId(id, 1000 + id, null, ("fuzz-" + id).getBytes())));
        ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(TOPIC);
        t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex((int) (id % 2))
                .setRecords(MemoryRecords.readableRecords(KafkaCodec.encode(new StoredBatch(0, b)))));
        ProduceRequestData d = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000);
        d.topicData().add(t);
        return d;
    }

    private static FetchRequestData fetch(int partition) {
        FetchRequestData.FetchTopic t = new FetchRequestData.FetchTopic().setTopic(TOPIC);
        t.partitions().add(new FetchRequestData.FetchPartition().setPartition(partition).setFetchOffset(0)
                .setPartitionMaxBytes(1 << 20));
        FetchRequestData d = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMaxBytes(1 << 20);
        d.topics().add(t);
        return d;
    }

    private static void store(RawClient c) throws IOException {
        c.call(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setName(TOPIC))));
        for (long id = 0; id < 40; id++) {
            c.call(ApiKeys.PRODUCE, (short) 9, produce(id));
        }
    }

    /** Both partitions' records as Fetch v11 returns them, concatenated. */
    private static ByteBuffer fetchAll(RawClient c) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(1 << 22);
        for (int p = 0; p < 2; p++) {
            FetchResponse r = (FetchResponse) c.call(ApiKeys.FETCH, (short) 11, fetch(p));
            MemoryRecords records = (MemoryRecords) r.data().responses().get(0).partitions().get(0).records();
            all.put(records.buffer());
        }
        return all.flip();
    }

}
