package dev.deliverycheck.wire.observe;

import dev.deliverycheck.check.History;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a run's {@link Timeline} and the final scan and reads into a {@link History} the existing checkers judge.
 * A Produce answer becomes the BrokerAppend of the stored batch at its base offset, once (a deduplicated retry
 * is answered with the first copy's offset and appends nothing); an EndTxn(commit) answer is followed by the
 * COMMIT markers of that producer id at its request or answer epoch (Kafka 4 markers carry the bumped epoch).
 * Stored batches no answer explained (their answer died with a killed broker) and all other markers follow
 * the observed events, then the reads.
 */
public final class HistoryBuilder {
    private static final int BROKER = 0;

    private HistoryBuilder() {
    }

    public static History build(Timeline timeline, List<LogScan.Batch> scanned, List<ConsumerFetch> reads) {
        Map<TopicPartition, Map<Long, LogScan.Batch>> dataByOffset = new HashMap<>();
        Set<LogScan.Batch> pending = new LinkedHashSet<>();
        for (LogScan.Batch batch : scanned) {
            if (batch.control() == null && batch.recordIds().isEmpty()) {
                continue; // not written by a deliverycheck run
            }
            pending.add(batch);
            if (batch.control() == null) {
                dataByOffset.computeIfAbsent(batch.topicPartition(), k -> new HashMap<>()).put(batch.baseOffset(), batch);
            }
        }
        List<Event> events = new ArrayList<>();
        for (Object item : timeline.items()) {
            if (item instanceof Event event) {
                events.add(event);
            } else if (item instanceof Timeline.ProduceAnswered answer) {
                LogScan.Batch batch = dataByOffset.getOrDefault(answer.topicPartition(), Map.of()).get(answer.baseOffset());
                if (batch != null && pending.remove(batch)) {
                    events.add(append(batch));
                }
            } else if (item instanceof Timeline.EndTxnAnswered answer && answer.commit()) {
                for (LogScan.Batch batch : List.copyOf(pending)) {
                    if (batch.control() == ControlType.COMMIT && batch.producerId() == answer.producerId()
                            && (batch.producerEpoch() == answer.requestEpoch() || batch.producerEpoch() == answer.answerEpoch())) {
                        pending.remove(batch);
                        events.add(marker(batch));
                    }
                }
            }
        }
        for (LogScan.Batch batch : pending) {
            events.add(batch.control() == null ? append(batch) : marker(batch));
        }
        events.addAll(reads);
        return History.of(events);
    }

    // BrokerAppend
    private static BrokerAppend append(LogScan.Batch b) {
        return new BrokerAppend(BROKER, b.topicPartition(), b.producerId(), b.producerEpoch(), b.baseSequence(),
                b.baseOffset(), b.recordIds(), b.transactional());
    }

    // CoordinatorWriteMarker
    private static CoordinatorWriteMarker marker(LogScan.Batch b) {
        return new CoordinatorWriteMarker(BROKER, b.topicPartition(), b.producerId(), b.producerEpoch(), b.control(),
                b.baseOffset());
    }
}
