package dev.deliverycheck.wire.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy alone, in front of a scripted upstream that answers Metadata and FindCoordinator naming the broker
 * "broker.example:9999": what it forwards, what it drops, what it rewrites.
 */
class FaultProxyTest {
    private static final short METADATA_VERSION = 12;
    private ServerSocket upstream;
    private final List<Integer> upstreamSaw = new CopyOnWriteArrayList<>();
    private final List<Exchange> observed = new CopyOnWriteArrayList<>();
    private FaultProxy proxy;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve);
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private FaultProxy proxy(Fault... faults) throws IOException {
        proxy = new FaultProxy(new InetSocketAddress("127.0.0.1", upstream.getLocalPort()), new FaultPlan(List.of(faults)),
                observed::add, null);
        return proxy;
    }

    @Test
    void metadataAndFindCoordinatorAnswersPointAtTheProxy() throws Exception {
        proxy();
        try (Socket client = connect()) {
            MetadataResponseData metadata = (MetadataResponseData) call(client, ApiKeys.METADATA, METADATA_VERSION,
                    new MetadataRequestData(), 1);
            assertThat(metadata.brokers()).singleElement().satisfies(b -> {
                assertThat(b.host()).isEqualTo("127.0.0.1");
                assertThat(b.port()).isEqualTo(proxy.port());
            });
            FindCoordinatorResponseData v6 = (FindCoordinatorResponseData) call(client, ApiKeys.FIND_COORDINATOR, (short) 6,
                    new FindCoordinatorRequestData().setKeyType((byte) 1).setCoordinatorKeys(List.of("t")), 2);
            assertThat(v6.coordinators()).singleElement().satisfies(c -> assertThat(c.port()).isEqualTo(proxy.port()));
            FindCoordinatorResponseData v3 = (FindCoordinatorResponseData) call(client, ApiKeys.FIND_COORDINATOR, (short) 3,
                    new FindCoordinatorRequestData().setKey("t").setKeyType((byte) 1), 3);
            assertThat(v3.host()).isEqualTo("127.0.0.1");
            assertThat(v3.port()).isEqualTo(proxy.port());
        }
        assertThat(observed).hasSize(3).allSatisfy(e -> assertThat(e.delivered()).isTrue());
    }

    @Test
    void loseRequestDropsItBeforeTheBrokerAndClosesTheConnection() throws Exception {
        proxy(Fault.of(FaultAction.LOSE_REQUEST, "Metadata", 2));
        try (Socket client = connect()) {
            call(client, ApiKeys.METADATA, METADATA_VERSION, new MetadataRequestData(), 1);
            send(client, ApiKeys.METADATA, METADATA_VERSION, new MetadataRequestData(), 2);
            assertThat(readsEndOfStream(client)).isTrue();
        }
        assertThat(upstreamSaw).containsExactly(1);
        assertThat(proxy.plan().applied()).containsExactly(Fault.of(FaultAction.LOSE_REQUEST, "Metadata", 2));
    }

    @Test
    void loseResponseLetsTheBrokerAnswerThenDropsTheAnswerAndCloses() throws Exception {
        proxy(Fault.of(FaultAction.LOSE_RESPONSE, "Metadata", 1));
        try (Socket client = connect()) {
            send(client, ApiKeys.METADATA, METADATA_VERSION, new MetadataRequestData(), 7);
            assertThat(readsEndOfStream(client)).isTrue();
        }
        assertThat(upstreamSaw).containsExactly(7);
        assertThat(observed).singleElement().satisfies(e -> assertThat(e.delivered()).isFalse());
        try (Socket again = connect()) {
            call(again, ApiKeys.METADATA, METADATA_VERSION, new MetadataRequestData(), 8);
        }
        assertThat(proxy.plan().seen("Metadata")).isEqualTo(2);
    }

    @Test
    void refuseAnswersAProduceWithNotLeaderWithoutForwardingIt() throws Exception {
        proxy(Fault.of(FaultAction.REFUSE, "Produce", 1));
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("t");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(3)
                .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()))));
        produce.topicData().add(topic);
        try (Socket client = connect()) {
            send(client, ApiKeys.PRODUCE, (short) 9, produce, 5);
            DataInputStream in = new DataInputStream(client.getInputStream());
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            assertThat(ResponseHeader.parse(buffer, ApiKeys.PRODUCE.responseHeaderVersion((short) 9)).correlationId()).isEqualTo(5);
            ProduceResponseData answer = new ProduceResponseData(new ByteBufferAccessor(buffer), (short) 9);
            assertThat(answer.responses()).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo("t");
                assertThat(t.partitionResponses()).singleElement().satisfies(p -> {
                    assertThat(p.index()).isEqualTo(3);
                    assertThat(p.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
                });
            });
            call(client, ApiKeys.METADATA, METADATA_VERSION, new MetadataRequestData(), 6);
        }
        assertThat(upstreamSaw).containsExactly(6);
    }

    @Test
    void aLateRefusalLetsTheNextRequestThroughAndIsStillAnsweredFirst() throws Exception {
        proxy(Fault.of(FaultAction.REFUSE_LATE, "Produce", 1));
        try (Socket client = connect()) {
            send(client, ApiKeys.PRODUCE, (short) 9, produceTo(3), 5);
            send(client, ApiKeys.METADATA, METADATA_VERSION, new MetadataRequestData(), 6);
            assertRefused(client, 5, 3, Errors.NOT_ENOUGH_REPLICAS);
            DataInputStream in = new DataInputStream(client.getInputStream());
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            assertThat(ResponseHeader.parse(ByteBuffer.wrap(bytes), ApiKeys.METADATA.responseHeaderVersion(METADATA_VERSION))
                    .correlationId()).as("the later answer after the refusal, in request order").isEqualTo(6);
        }
        assertThat(upstreamSaw).containsExactly(6);
        assertThat(proxy.plan().applied()).containsExactly(Fault.of(FaultAction.REFUSE_LATE, "Produce", 1));
    }

    /**
     * A client slow to send its next request (3 s here, beyond the 2 s after which the refusal used to be answered
     * anyway) still sees the refusal only after that request: the gap stands for a slow client, the check holds
     * whatever the machine's speed.
     */
    @Test
    void aLateRefusalWaitsForASlowClientsNextRequest() throws Exception {
        proxy(Fault.of(FaultAction.REFUSE_LATE, "Produce", 1));
        try (Socket client = connect()) {
            send(client, ApiKeys.PRODUCE, (short) 9, produceTo(3), 5);
            assertThat(proxy.plan().awaitSeen("Produce", 1, java.time.Duration.ofSeconds(30))).isTrue();
            Thread.sleep(3000);
            assertThat(client.getInputStream().available()).as("nothing answered before the next request").isZero();
            send(client, ApiKeys.METADATA, METADATA_VERSION, new MetadataRequestData(), 6);
            assertRefused(client, 5, 3, Errors.NOT_ENOUGH_REPLICAS);
        }
    }

    /** No timer answers a late refusal with nothing behind it: the workload waiting for answers does. */
    @Test
    void aLateRefusalWithNothingBehindItIsAnsweredOnceTheWorkloadWaits() throws Exception {
        proxy(Fault.of(FaultAction.REFUSE_LATE, "Produce", 1));
        proxy.plan().recordHanded(); // the one record of the Produce below: released only once it was counted
        try (Socket client = connect()) {
            send(client, ApiKeys.PRODUCE, (short) 9, produceTo(0), 9);
            assertThat(proxy.plan().awaitSeen("Produce", 1, java.time.Duration.ofSeconds(30))).isTrue();
            proxy.plan().workloadWaits(true);
            assertRefused(client, 9, 0, Errors.NOT_ENOUGH_REPLICAS);
            call(client, ApiKeys.METADATA, METADATA_VERSION, new MetadataRequestData(), 10);
        }
        assertThat(upstreamSaw).containsExactly(10);
    }

    /** Nothing more can come once the workload waits for answers and every record it handed reached the proxy. */
    @Test
    void nothingMoreToSendNeedsTheWorkloadWaitingAndEveryRecordItHandedArrived() {
        FaultPlan plan = FaultPlan.none();
        plan.recordHanded();
        plan.recordHanded();
        plan.workloadWaits(true);
        assertThat(plan.nothingMoreToSend()).as("one record still with the client").isFalse();
        plan.recordsArrived(1);
        assertThat(plan.nothingMoreToSend()).isFalse();
        plan.recordsArrived(1);
        assertThat(plan.nothingMoreToSend()).isTrue();
        plan.workloadWaits(false);
        assertThat(plan.nothingMoreToSend()).as("the workload may send again").isFalse();
    }

    /** A later Produce that is itself refused is the next request too: both refusals come back, in order. */
    @Test
    void aLateRefusalIsReleasedByALaterRefusedRequest() throws Exception {
        proxy(Fault.of(FaultAction.REFUSE_LATE, "Produce", 1), Fault.of(FaultAction.REFUSE, "Produce", 2));
        try (Socket client = connect()) {
            send(client, ApiKeys.PRODUCE, (short) 9, produceTo(0), 11);
            send(client, ApiKeys.PRODUCE, (short) 9, produceTo(1), 12);
            assertRefused(client, 11, 0, Errors.NOT_ENOUGH_REPLICAS);
            assertRefused(client, 12, 1, Errors.NOT_LEADER_OR_FOLLOWER);
        }
        assertThat(upstreamSaw).isEmpty();
    }

    private static ProduceRequestData produceTo(int partition) {
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("t");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition)
                .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()))));
        produce.topicData().add(topic);
        return produce;
    }

    private static void assertRefused(Socket client, int correlation, int partition, Errors error) throws IOException {
        DataInputStream in = new DataInputStream(client.getInputStream());
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertThat(ResponseHeader.parse(buffer, ApiKeys.PRODUCE.responseHeaderVersion((short) 9)).correlationId())
                .isEqualTo(correlation);
        ProduceResponseData answer = new ProduceResponseData(new ByteBufferAccessor(buffer), (short) 9);
        assertThat(answer.responses()).singleElement().satisfies(t -> assertThat(t.partitionResponses()).singleElement()
                .satisfies(p -> {
                    assertThat(p.index()).isEqualTo(partition);
                    assertThat(p.errorCode()).isEqualTo(error.code());
                }));
    }

    @Test
    void bytesThatAreNotKafkaCloseTheConnection() throws Exception {
        proxy();
        try (Socket client = connect()) {
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            out.writeInt(Integer.MAX_VALUE);
            out.flush();
            assertThat(readsEndOfStream(client)).isTrue();
        }
        assertThat(upstreamSaw).isEmpty();
    }

    @Test
    void faultLinesRoundTripAndBadOnesAreRefused() {
        assertThat(Fault.parse("delay 200 Produce 2")).isEqualTo(new Fault(FaultAction.DELAY, 200, "Produce", 2));
        assertThat(Fault.parse("lose-response EndTxn 1").toLine()).isEqualTo("lose-response EndTxn 1");
        assertThat(Fault.parse("crash-broker")).isNull();
        assertThat(Fault.parse("send key=k1")).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fault.parse("lose-response Produc 1"))
                .hasMessageContaining("unknown request kind 'Produc'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fault.parse("lose-response Produce 0"))
                .hasMessageContaining("counts from 1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fault.parse("refuse EndTxn 1"))
                .hasMessageContaining("Produce requests only");
        assertThat(Fault.parse("refuse-late Produce 2")).isEqualTo(Fault.of(FaultAction.REFUSE_LATE, "Produce", 2));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fault.parse("refuse-late Fetch 1"))
                .hasMessageContaining("refuse-late applies to Produce requests only");
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, ApiKeys key, short version, Message body, int correlation) throws IOException {
        RequestHeader header = new RequestHeader(key, version, "test", correlation);
        ByteBuffer frame = RequestUtils.serialize(header.data(), header.headerVersion(), body, version);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
    }

    private static Message call(Socket s, ApiKeys key, short version, Message body, int correlation) throws IOException {
        send(s, key, version, body, correlation);
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertThat(ResponseHeader.parse(buffer, key.responseHeaderVersion(version)).correlationId()).isEqualTo(correlation);
        return key == ApiKeys.METADATA ? new MetadataResponseData(new ByteBufferAccessor(buffer), version)
                : new FindCoordinatorResponseData(new ByteBufferAccessor(buffer), version);
    }

    /** The connection ends without another byte (bounded by the socket timeout). */
    private static boolean readsEndOfStream(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    /** The scripted broker: answers Metadata and FindCoordinator naming broker.example:9999. */
    private void serve() {
        while (!upstream.isClosed()) {
            try {
                Socket s = upstream.accept();
                Thread t = new Thread(() -> answer(s));
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void answer(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (true) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                RequestHeader header = RequestHeader.parse(ByteBuffer.wrap(bytes));
                upstreamSaw.add(header.correlationId());
                short v = header.apiVersion();
                Message body;
                if (header.apiKey() == ApiKeys.METADATA) {
                    MetadataResponseData m = new MetadataResponseData();
                    m.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost("broker.example").setPort(9999));
                    body = m;
                } else if (v >= 4) {
                    FindCoordinatorResponseData f = new FindCoordinatorResponseData();
                    f.coordinators().add(new FindCoordinatorResponseData.Coordinator().setKey("t").setNodeId(1)
                            .setHost("broker.example").setPort(9999));
                    body = f;
                } else {
                    body = new FindCoordinatorResponseData().setNodeId(1).setHost("broker.example").setPort(9999);
                }
                ByteBuffer frame = RequestUtils.serialize(header.toResponseHeader().data(),
                        header.apiKey().responseHeaderVersion(v), body, v);
                out.writeInt(frame.remaining());
                out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
                out.flush();
            }
        } catch (EOFException | java.net.SocketException closed) {
            // the proxy closed the connection
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
