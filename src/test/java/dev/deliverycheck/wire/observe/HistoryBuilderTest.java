package dev.deliverycheck.wire.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.History;
import dev.deliverycheck.check.ZombieFencedChecker;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.CoordinatorPrepare;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.ProducerInitProducerId;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the final scan's batches go in a real run's history: a partition's batches stay in log order, and the
 * ABORT markers with which the coordinator fenced an older epoch precede the InitProducerId answer that fenced it
 * (the coordinator answers it only once that abort is complete), so a zombie's aborted records are not taken as
 * part of the new instance's commit.
 */
class HistoryBuilderTest {
    private static final String TID = "tx";
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private static LogScan.Batch data(TopicPartition tp, long offset, int epoch, long recordId) {
        return new LogScan.Batch(tp, offset, 0, (short) epoch, 0, true, null, List.of(recordId));
    }

    private static LogScan.Batch marker(TopicPartition tp, long offset, int epoch, ControlType type) {
        return new LogScan.Batch(tp, offset, 0, (short) epoch, -1, true, type, List.of());
    }

    /**
     * Instance 100 appends record 1 to partition 1 and is fenced by instance 101's InitProducerId (the coordinator
     * aborts its transaction at epoch 1 and gives 101 epoch 2); 101 commits record 2 on partition 0.
     */
    @Test
    void theFencingAbortPrecedesTheInitProducerIdThatFencedIt() {
        Timeline timeline = new Timeline();
        timeline.add(new CoordinatorInitProducerId(0, TID, 0, (short) 0));
        timeline.add(new ProducerInitProducerId(100, TID, 0, (short) 0));
        timeline.add(new ProducerSend(100, 1, P1, 0));
        timeline.add(new Timeline.ProduceAnswered(P1, 0));
        timeline.add(new CoordinatorInitProducerId(0, TID, 0, (short) 2));
        timeline.add(new ProducerInitProducerId(101, TID, 0, (short) 2));
        timeline.add(new ProducerSend(101, 2, P0, 0));
        timeline.add(new Timeline.ProduceAnswered(P0, 0));
        timeline.add(new CoordinatorPrepare(0, TID, 0, (short) 2, true));
        timeline.add(new Timeline.EndTxnAnswered(0, (short) 2, (short) 3, true));
        List<LogScan.Batch> scan = List.of(data(P0, 0, 2, 2), marker(P0, 1, 3, ControlType.COMMIT),
                data(P1, 0, 0, 1), marker(P1, 1, 1, ControlType.ABORT));

        History history = HistoryBuilder.build(timeline, scan, List.of());

        List<Event> events = history.events();
        int abort = indexOf(events, e -> e instanceof CoordinatorWriteMarker m && m.type() == ControlType.ABORT);
        int fence = indexOf(events, e -> e instanceof CoordinatorInitProducerId i && i.producerEpoch() == 2);
        assertThat(abort).isLessThan(fence);
        assertThat(new ZombieFencedChecker().check(history).holds()).isTrue();
    }

    @Test
    void aPartitionsBatchesStayInLogOrder() {
        // the answer to the batch at offset 0 was lost; the one at offset 1 was answered, then committed
        Timeline timeline = new Timeline();
        timeline.add(new CoordinatorInitProducerId(0, TID, 0, (short) 0));
        timeline.add(new ProducerSend(100, 1, P0, 0));
        timeline.add(new ProducerSend(100, 2, P0, 0));
        timeline.add(new Timeline.ProduceAnswered(P0, 1));
        timeline.add(new CoordinatorPrepare(0, TID, 0, (short) 0, true));
        timeline.add(new Timeline.EndTxnAnswered(0, (short) 0, (short) 1, true));
        List<LogScan.Batch> scan = List.of(data(P0, 0, 0, 1), data(P0, 1, 0, 2), marker(P0, 2, 1, ControlType.COMMIT));

        List<Event> events = HistoryBuilder.build(timeline, scan, List.of()).events();

        assertThat(events).filteredOn(e -> e instanceof BrokerAppend || e instanceof CoordinatorWriteMarker)
                .extracting(e -> e instanceof BrokerAppend a ? a.baseOffset() : ((CoordinatorWriteMarker) e).offset())
                .containsExactly(0L, 1L, 2L);
        int firstAppend = indexOf(events, e -> e instanceof BrokerAppend);
        int prepare = indexOf(events, e -> e instanceof CoordinatorPrepare);
        assertThat(firstAppend).isLessThan(prepare);
    }

    private static int indexOf(List<Event> events, java.util.function.Predicate<Event> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such event in " + events);
    }
}
