package dev.deliverycheck.wire.observe;

import dev.deliverycheck.check.History;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns a run's {@link Timeline} and the final scan and reads into a {@link History} the existing checkers judge.
 * A Produce answer becomes the BrokerAppend of the stored batch at its base offset, once (a deduplicated retry
 * is answered with the first copy's offset and appends nothing); an EndTxn(commit) answer is followed by the
 * COMMIT markers of that producer id at its request or answer epoch (Kafka 4 markers carry the bumped epoch); a
 * transactional InitProducerId answer of epoch E is preceded by the ABORT markers of that producer id at an epoch
 * below E (the coordinator answers it only once the abort with which it fenced the older instance is written).
 * Stored batches no answer explained (their answer died with a killed broker) and all other markers follow
 * the observed events, then the reads.
 *
 * <p>Invariant: a partition's batches appear in log order: a batch is placed only after every batch stored
 * before it in its partition (those are placed first), since what the log holds earlier was written earlier.
 */
public final class HistoryBuilder {
    private static final int BROKER = 0;

    private final Set<LogScan.Batch> pending = new LinkedHashSet<>();
    private final List<Event> events = new ArrayList<>();

    private HistoryBuilder() {
    }

    public static History build(Timeline timeline, List<LogScan.Batch> scanned, List<ConsumerFetch> reads) {
        HistoryBuilder b = new HistoryBuilder();
        Map<TopicPartition, Map<Long, LogScan.Batch>> dataByOffset = new HashMap<>();
        for (LogScan.Batch batch : scanned) {
            if (batch.control() == null && batch.recordIds().isEmpty()) {
                continue; // not written by a deliverycheck run
            }
            b.pending.add(batch);
            if (batch.control() == null) {
                dataByOffset.computeIfAbsent(batch.topicPartition(), k -> new HashMap<>()).put(batch.baseOffset(), batch);
            }
        }
        for (Object item : timeline.items()) {
            if (item instanceof CoordinatorInitProducerId init && init.transactionalId() != null) {
                b.placeAll(batch -> batch.control() == ControlType.ABORT && batch.producerId() == init.producerId()
                        && batch.producerEpoch() < init.producerEpoch());
                b.events.add(init);
            } else if (item instanceof Event event) {
                b.events.add(event);
            } else if (item instanceof Timeline.ProduceAnswered answer) {
                LogScan.Batch batch = dataByOffset.getOrDefault(answer.topicPartition(), Map.of()).get(answer.baseOffset());
                if (batch != null) {
                    b.place(batch);
                }
            } else if (item instanceof Timeline.EndTxnAnswered answer && answer.commit()) {
                b.placeAll(batch -> batch.control() == ControlType.COMMIT && batch.producerId() == answer.producerId()
                        && (batch.producerEpoch() == answer.requestEpoch() || batch.producerEpoch() == answer.answerEpoch()));
            }
        }
        b.placeAll(batch -> true);
        b.events.addAll(reads);
        return History.of(b.events);
    }

    /** Places the pending batches that {@code which} selects, in scan order. */
    private void placeAll(Predicate<LogScan.Batch> which) {
        for (LogScan.Batch batch : List.copyOf(pending)) {
            if (which.test(batch)) {
                place(batch);
            }
        }
    }

    /** Places {@code batch} if it is still pending, after the pending batches stored before it in its partition. */
    private void place(LogScan.Batch batch) {
        if (!pending.contains(batch)) {
            return;
        }
        pending.stream().filter(earlier -> earlier.topicPartition().equals(batch.topicPartition())
                        && earlier.baseOffset() < batch.baseOffset())
                .sorted(Comparator.comparingLong(LogScan.Batch::baseOffset)).toList()
                .forEach(this::placeOne);
        placeOne(batch);
    }

    private void placeOne(LogScan.Batch batch) {
        if (pending.remove(batch)) {
            events.add(batch.control() == null ? append(batch) : marker(batch));
        }
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
