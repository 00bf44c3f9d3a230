package dev.deliverycheck.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.env.EventSink;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CreateTopics on the wire broker: every served version over a raw socket, and the real Admin
 * client (createTopics, describeCluster), which the real-Kafka harness uses to prepare each run.
 */
class WireCreateTopicsTest {
    @TempDir
    Path dir;
    private WireHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = WireHarness.start(dir, 1, 2, BrokerConfig.DEFAULT, EventSink.NONE);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private static CreateTopicsRequestData.CreatableTopic topic(String name, int partitions, short replicationFactor) {
        return new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(partitions)
                .setReplicationFactor(replicationFactor);
    }

    private static CreateTopicsRequestData request(boolean validateOnly, CreateTopicsRequestData.CreatableTopic... topics) {
        CreateTopicsRequestData r = new CreateTopicsRequestData().setTimeoutMs(5000).setValidateOnly(validateOnly);
        for (CreateTopicsRequestData.CreatableTopic t : topics) {
            r.topics().add(t);
        }
        return r;
    }

    @Test
    void createsWithTheAskedPartitionsAndRefusesWhatOneBrokerCannotDoAtEveryVersion() throws Exception {
        short[] range = ServedApis.ranges().get(ApiKeys.CREATE_TOPICS);
        assertThat(range).containsExactly(ApiKeys.CREATE_TOPICS.oldestVersion(), ApiKeys.CREATE_TOPICS.latestVersion());
        try (RawClient client = new RawClient(harness.server.port())) {
            for (short v = range[0]; v <= range[1]; v++) {
                String name = "t" + v;
                CreateTopicsResponseData r = ((CreateTopicsResponse) client.call(ApiKeys.CREATE_TOPICS, v, request(false,
                        topic(name, 3, (short) 1), topic("d" + v, -1, (short) -1), topic("bad/" + v, 1, (short) 1),
                        topic("p" + v, 0, (short) 1), topic("r" + v, 1, (short) 3)))).data();
                assertThat(Errors.forCode(r.topics().find(name).errorCode())).as("v" + v).isEqualTo(Errors.NONE);
                assertThat(harness.broker.metadata().partitionCount(name)).as("v" + v).isEqualTo(3);
                assertThat(harness.broker.metadata().partitionCount("d" + v)).as("the default, v" + v).isEqualTo(1);
                assertThat(Errors.forCode(r.topics().find("bad/" + v).errorCode())).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
                assertThat(Errors.forCode(r.topics().find("p" + v).errorCode())).isEqualTo(Errors.INVALID_PARTITIONS);
                assertThat(Errors.forCode(r.topics().find("r" + v).errorCode())).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
                assertThat(harness.broker.metadata().partitionCount("p" + v)).isLessThan(1);
                assertThat(harness.broker.metadata().partitionCount("r" + v)).isLessThan(1);
                if (v >= 5) {
                    assertThat(r.topics().find(name).numPartitions()).isEqualTo(3);
                    assertThat(r.topics().find(name).replicationFactor()).isEqualTo((short) 1);
                }
                if (v >= 7) {
                    assertThat(r.topics().find(name).topicId()).isEqualTo(KafkaCodec.topicId(name));
                }
                CreateTopicsResponseData again = ((CreateTopicsResponse) client.call(ApiKeys.CREATE_TOPICS, v,
                        request(false, topic(name, 5, (short) 1)))).data();
                assertThat(Errors.forCode(again.topics().find(name).errorCode())).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
                assertThat(harness.broker.metadata().partitionCount(name)).as("unchanged").isEqualTo(3);
                CreateTopicsResponseData dry = ((CreateTopicsResponse) client.call(ApiKeys.CREATE_TOPICS, v,
                        request(true, topic("dry" + v, 2, (short) 1)))).data();
                assertThat(Errors.forCode(dry.topics().find("dry" + v).errorCode())).isEqualTo(Errors.NONE);
                assertThat(harness.broker.metadata().partitionCount("dry" + v)).as("validateOnly").isLessThan(1);
            }
            CreateTopicsResponseData twice = ((CreateTopicsResponse) client.call(ApiKeys.CREATE_TOPICS, (short) 7,
                    request(false, topic("twice", 1, (short) 1), topic("twice", 2, (short) 1)))).data();
            assertThat(Errors.forCode(twice.topics().find("twice").errorCode())).isEqualTo(Errors.INVALID_REQUEST);
            assertThat(harness.broker.metadata().partitionCount("twice")).isLessThan(1);
        }
    }

    @Test
    void theRealAdminClientCreatesATopicOnceAndDescribesTheCluster() throws Exception {
        Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, harness.bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(conf)) {
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).singleElement()
                    .satisfies(n -> assertThat(n.port()).isEqualTo(harness.server.port()));
            var created = admin.createTopics(List.of(new NewTopic("admin", 4, (short) 1)));
            created.all().get(10, TimeUnit.SECONDS);
            assertThat(created.numPartitions("admin").get()).isEqualTo(4);
            assertThat(harness.broker.metadata().partitionCount("admin")).isEqualTo(4);
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("admin", 1, (short) 1))).all()
                    .get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicExistsException.class);
        }
    }
}
