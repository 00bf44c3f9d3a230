package dev.deliverycheck.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.broker.log.StoredBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every served version of every served api key, over a real socket: each answer parses with
 * kafka-clients at the version asked and says what the broker did. Old versions matter because
 * librdkafka picks them (Metadata v4, Produce v7, Fetch v11, ListOffsets v2, InitProducerId v4),
 * and kafka-clients refuses to write a field a version lacks.
 */
class WireVersionsTest {
    private static final String TOPIC = "v";

    @TempDir
    Path dir;
    private WireHarness harness;
    private RawClient client;

    @BeforeEach
    void start() throws Exception {
        harness = WireHarness.start(dir, 2, 1, BrokerConfig.DEFAULT, EventSink.NONE);
        client = new RawClient(harness.server.port());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            client.close();
        } finally {
            harness.close();
        }
    }

    private static short[] range(ApiKeys key) {
        return ServedApis.ranges().get(key);
    }

    @Test
    void apiVersionsAnswersTruthfullyAtEveryVersionAndV0ForAnUnknownOne() throws Exception {
        for (short v = range(ApiKeys.API_VERSIONS)[0]; v <= range(ApiKeys.API_VERSIONS)[1]; v++) {
            ApiVersionsRequestData body = new ApiVersionsRequestData();
            if (v >= 3) {
                body.setClientSoftwareName("raw").setClientSoftwareVersion("1");
            }
            ApiVersionsResponse r = (ApiVersionsResponse) client.call(ApiKeys.API_VERSIONS, v, body);
            assertThat(r.data().errorCode()).isZero();
            assertThat(r.data().apiKeys()).hasSize(ServedApis.ranges().size());
            for (ApiVersionsResponseData.ApiVersion a : r.data().apiKeys()) {
                short[] served = range(ApiKeys.forId(a.apiKey()));
                assertThat(new short[] {a.minVersion(), a.maxVersion()}).isEqualTo(served);
            }
            if (v >= 3) {
                assertThat(r.data().finalizedFeatures().find("transaction.version")).as("version 1 broker").isNull();
            }
        }
        // Kafka's rule: a version the broker does not know is answered at v0 with UNSUPPORTED_VERSION.
        client.sendFrame(RawClient.frame(ApiKeys.API_VERSIONS, (short) 0, 99, new ApiVersionsRequestData())
                .putShort(2, (short) 77));
        ByteBuffer answer = client.readFrame();
        assertThat(answer.getInt(0)).isEqualTo(99);
        answer.position(4);
        ApiVersionsResponse r = (ApiVersionsResponse) AbstractResponse.parseResponse(ApiKeys.API_VERSIONS,
                new org.apache.kafka.common.protocol.ByteBufferAccessor(answer), (short) 0);
        assertThat(r.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(r.data().apiKeys()).hasSize(ServedApis.ranges().size());
    }

    @Test
    void transactionVersionTwoIsAdvertisedAsASupportedAndFinalizedFeature() throws Exception {
        try (WireHarness v2 = WireHarness.start(dir.resolve("v2"), 1, 2, BrokerConfig.DEFAULT, EventSink.NONE);
             RawClient c = new RawClient(v2.server.port())) {
            ApiVersionsResponse r = (ApiVersionsResponse) c.call(ApiKeys.API_VERSIONS, (short) 3,
                    new ApiVersionsRequestData().setClientSoftwareName("raw").setClientSoftwareVersion("1"));
            assertThat(r.data().supportedFeatures().find("transaction.version").maxVersion()).isEqualTo((short) 2);
            assertThat(r.data().finalizedFeatures().find("transaction.version").maxVersionLevel()).isEqualTo((short) 2);
            assertThat(r.data().finalizedFeatures().find("transaction.version").minVersionLevel()).isEqualTo((short) 2);
        }
    }

    @Test
    void metadataCreatesTopicsAndAnswersAtEveryVersion() throws Exception {
        for (short v = range(ApiKeys.METADATA)[0]; v <= range(ApiKeys.METADATA)[1]; v++) {
            String topic = TOPIC + v;
            MetadataRequestData body = new MetadataRequestData().setTopics(
                    List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic)));
            if (v >= 4) {
                body.setAllowAutoTopicCreation(true);
            }
            MetadataResponse r = (MetadataResponse) client.call(ApiKeys.METADATA, v, body);
            MetadataResponseTopicView t = new MetadataResponseTopicView(r, topic);
            assertThat(t.error).as("v" + v).isEqualTo(Errors.NONE);
            assertThat(t.partitions).as("v" + v).isEqualTo(2);
            assertThat(r.brokers()).singleElement().satisfies(n -> assertThat(n.port()).isEqualTo(harness.server.port()));
            if (v >= 10) {
                assertThat(r.data().topics().find(topic).topicId()).isEqualTo(KafkaCodec.topicId(topic));
            }
        }
    }

    private record MetadataResponseTopicView(Errors error, int partitions) {
        MetadataResponseTopicView(MetadataResponse r, String topic) {
            this(Errors.forCode(r.data().topics().find(topic).errorCode()),
                    r.data().topics().find(topic).partitions().size());
        }
    }

    private void createTopic() throws Exception {
        client.call(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(
                List.of(new MetadataRequestData.MetadataRequestTopic().setName(TOPIC))));
    }

    private static MemoryRecords batch(long pid, short epoch, int seq, boolean txn, long id) {
        RecordBatch b = new RecordBatch(new TopicPartition(TOPIC, 0), pid, epoch, seq, txn, null,
                List.of(Record.withId(id, 1000L + id, null, ("r" + id).getBytes())));
        return MemoryRecords.readableRecords(KafkaCodec.encode(new StoredBatch(0L, b)));
    }

    private ProduceRequestData produce(short v, MemoryRecords records, String transactionalId) {
        ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData();
        if (v >= 13) {
            t.setTopicId(KafkaCodec.topicId(TOPIC));
        } else {
            t.setName(TOPIC);
        }
        t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        ProduceRequestData d = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000)
                .setTransactionalId(transactionalId);
        d.topicData().add(t);
        return d;
    }

    @Test
    void produceListOffsetsAndFetchAtEveryVersion() throws Exception {
        createTopic();
        InitProducerIdResponse init = (InitProducerIdResponse) client.call(ApiKeys.INIT_PRODUCER_ID, (short) 4,
                new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(1000));
        assertThat(init.data().errorCode()).isZero();
        long pid = init.data().producerId();
        List<Long> offsets = new ArrayList<>();
        int seq = 0;
        for (short v = range(ApiKeys.PRODUCE)[0]; v <= range(ApiKeys.PRODUCE)[1]; v++, seq++) {
            ProduceResponse r = (ProduceResponse) client.call(ApiKeys.PRODUCE, v,
                    produce(v, batch(pid, (short) 0, seq, false, seq), null));
            ProduceResponseView p = new ProduceResponseView(r);
            assertThat(p.error).as("Produce v" + v).isEqualTo(Errors.NONE);
            offsets.add(p.baseOffset);
        }
        assertThat(offsets).isSorted().doesNotHaveDuplicates();
        long end = seq;
        for (short v = range(ApiKeys.LIST_OFFSETS)[0]; v <= range(ApiKeys.LIST_OFFSETS)[1]; v++) {
            for (long ts : new long[] {-2L, -1L, 1002L}) {
                ListOffsetsRequestData body = new ListOffsetsRequestData().setReplicaId(-1);
                body.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName(TOPIC).setPartitions(List.of(
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(ts))));
                ListOffsetsResponse r = (ListOffsetsResponse) client.call(ApiKeys.LIST_OFFSETS, v, body);
                var p = r.data().topics().get(0).partitions().get(0);
                assertThat(p.errorCode()).as("ListOffsets v" + v).isZero();
                assertThat(p.offset()).as("ListOffsets v" + v + " ts " + ts).isEqualTo(ts == -2L ? 0 : ts == -1L ? end : 2);
            }
        }
        for (short v = range(ApiKeys.FETCH)[0]; v <= range(ApiKeys.FETCH)[1]; v++) {
            FetchRequestData.FetchTopic t = new FetchRequestData.FetchTopic();
            if (v >= 13) {
                t.setTopicId(KafkaCodec.topicId(TOPIC));
            } else {
                t.setTopic(TOPIC);
            }
            t.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(1)
                    .setPartitionMaxBytes(1 << 20));
            FetchRequestData body = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                    .setMaxBytes(1 << 20).setIsolationLevel(IsolationLevel.READ_COMMITTED.id());
            body.topics().add(t);
            FetchResponse r = (FetchResponse) client.call(ApiKeys.FETCH, v, body);
            var p = r.data().responses().get(0).partitions().get(0);
            assertThat(p.errorCode()).as("Fetch v" + v).isZero();
            assertThat(p.highWatermark()).isEqualTo(end);
            List<Long> fetched = new ArrayList<>();
            ((MemoryRecords) p.records()).records().forEach(rec -> fetched.add(rec.offset()));
            assertThat(fetched).as("Fetch v" + v).isEqualTo(offsets.subList(1, offsets.size()));
        }
        // A topic id nobody created.
        FetchRequestData.FetchTopic unknown = new FetchRequestData.FetchTopic().setTopicId(Uuid.randomUuid());
        unknown.partitions().add(new FetchRequestData.FetchPartition().setPartition(0));
        FetchRequestData body = new FetchRequestData().setReplicaId(-1).setMaxBytes(1000);
        body.topics().add(unknown);
        FetchResponse r = (FetchResponse) client.call(ApiKeys.FETCH, (short) 13, body);
        assertThat(r.data().responses().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    }

    private record ProduceResponseView(Errors error, long baseOffset) {
        ProduceResponseView(ProduceResponse r) {
            this(Errors.forCode(r.data().responses().iterator().next().partitionResponses().get(0).errorCode()),
                    r.data().responses().iterator().next().partitionResponses().get(0).baseOffset());
        }
    }

    @Test
    void findCoordinatorAndATransactionAtEveryVersion() throws Exception {
        createTopic();
        // v0 has no key type: it finds group coordinators, which this broker does not serve.
        FindCoordinatorResponse groups = (FindCoordinatorResponse) client.call(ApiKeys.FIND_COORDINATOR, (short) 0,
                new FindCoordinatorRequestData().setKey("g"));
        assertThat(groups.data().errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        for (short v = 1; v <= range(ApiKeys.FIND_COORDINATOR)[1]; v++) {
            FindCoordinatorRequestData body = new FindCoordinatorRequestData();
            if (v >= 4) {
                body.setKeyType((byte) 1).setCoordinatorKeys(List.of("tx"));
            } else {
                body.setKey("tx");
                if (v >= 1) {
                    body.setKeyType((byte) 1);
                }
            }
            FindCoordinatorResponse r = (FindCoordinatorResponse) client.call(ApiKeys.FIND_COORDINATOR, v, body);
            int port = v >= 4 ? r.data().coordinators().get(0).port() : r.data().port();
            assertThat(port).as("FindCoordinator v" + v).isEqualTo(harness.server.port());
        }
        short[] endTxn = range(ApiKeys.END_TXN);
        short[] add = range(ApiKeys.ADD_PARTITIONS_TO_TXN);
        short[] init = range(ApiKeys.INIT_PRODUCER_ID);
        int rounds = Math.max(endTxn[1] - endTxn[0], Math.max(add[1] - add[0], init[1] - init[0])) + 1;
        for (int i = 0; i < rounds; i++) {
            short iv = (short) Math.min(init[0] + i, init[1]);
            InitProducerIdResponse ir = (InitProducerIdResponse) retry(() -> client.call(ApiKeys.INIT_PRODUCER_ID, iv,
                    new InitProducerIdRequestData().setTransactionalId("tx").setTransactionTimeoutMs(10_000)));
            assertThat(ir.data().errorCode()).as("InitProducerId v" + iv).isZero();
            long pid = ir.data().producerId();
            short epoch = ir.data().producerEpoch();
            short av = (short) Math.min(add[0] + i, add[1]);
            AddPartitionsToTxnRequestData ad = new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId("tx")
                    .setV3AndBelowProducerId(pid).setV3AndBelowProducerEpoch(epoch);
            ad.v3AndBelowTopics().add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName(TOPIC)
                    .setPartitions(List.of(0)));
            AddPartitionsToTxnResponse ar = (AddPartitionsToTxnResponse) client.call(ApiKeys.ADD_PARTITIONS_TO_TXN, av, ad);
            assertThat(ar.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID).values())
                    .as("AddPartitionsToTxn v" + av).containsOnly(Errors.NONE);
            ProduceResponse pr = (ProduceResponse) client.call(ApiKeys.PRODUCE, (short) 11,
                    produce((short) 11, batch(pid, epoch, 0, true, 1000 + i), "tx"));
            assertThat(new ProduceResponseView(pr).error).isEqualTo(Errors.NONE);
            short ev = (short) Math.min(endTxn[0] + i, endTxn[1]);
            EndTxnResponse er = (EndTxnResponse) client.call(ApiKeys.END_TXN, ev, new EndTxnRequestData()
                    .setTransactionalId("tx").setProducerId(pid).setProducerEpoch(epoch).setCommitted(i % 2 == 0));
            assertThat(er.data().errorCode()).as("EndTxn v" + ev).isZero();
        }
    }

    private interface Call {
        AbstractResponse call() throws Exception;
    }

    /** InitProducerId answers CONCURRENT_TRANSACTIONS while the previous transaction's markers are written. */
    private static AbstractResponse retry(Call call) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            AbstractResponse r = call.call();
            if (!r.errorCounts().containsKey(Errors.CONCURRENT_TRANSACTIONS) || System.nanoTime() > deadline) {
                return r;
            }
        }
    }
}
