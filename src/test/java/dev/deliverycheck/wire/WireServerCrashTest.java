package dev.deliverycheck.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.broker.log.StoredBatch;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WireServer#crashAtAnswerToProduce}: the write is applied, its answer is lost, and by the time any
 * client sees a connection closed the server accepts no connection any more, so a retry can only reach a broker
 * started afterwards. Shown with the order a client observes, without waiting for any time to pass.
 */
class WireServerCrashTest {
    private static final TopicPartition TP = new TopicPartition("crash", 0);

    @TempDir
    Path dir;

    @Test
    void aCrashAtAProduceAnswerAppliesItThenClosesTheListenerBeforeAnyConnection() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        try (WireHarness h = WireHarness.start(dir, 1, 2, BrokerConfig.DEFAULT, events::add)) {
            int port = h.server.port();
            h.broker.ensureTopic(TP.topic());
            h.server.crashAtAnswerToProduce(1);
            try (RawClient idle = new RawClient(port); RawClient producer = new RawClient(port)) {
                // answered, so the server holds this connection when it crashes (as a client's bootstrap one)
                idle.call(ApiKeys.API_VERSIONS, (short) 3,
                        new ApiVersionsRequestData().setClientSoftwareName("crash").setClientSoftwareVersion("1"));
                producer.sendFrame(RawClient.frame(ApiKeys.PRODUCE, (short) 9, 1, produce(7)));
                assertThat(producer.readFrame()).as("the answer is lost, the connection closed").isNull();
                assertThatThrownBy(() -> new RawClient(port).close()).as("nothing can connect once a connection closed")
                        .isInstanceOf(ConnectException.class);
                assertThat(idle.readFrame()).as("the other connections went too").isNull();
            }
            assertThat(events).filteredOn(e -> e instanceof BrokerAppend).singleElement()
                    .satisfies(e -> assertThat(((BrokerAppend) e).recordIds()).as("applied before the crash")
                            .containsExactly(7L));
        }
    }

    private static ProduceRequestData produce(long id) {
        RecordBatch b = RecordBatch.plain(TP, List.of(Record.withId(id, 1000 + id, null, ("crash-" + id).getBytes())));
        ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(TP.topic());
        t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(TP.partition())
                .setRecords(MemoryRecords.readableRecords(KafkaCodec.encode(new StoredBatch(0, b)))));
        ProduceRequestData d = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000);
        d.topicData().add(t);
        return d;
    }
}
