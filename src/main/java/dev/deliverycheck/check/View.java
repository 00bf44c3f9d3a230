package dev.deliverycheck.check;

import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A partition as one reader saw it: the record ids of a {@link ConsumerFetch}, in log order,
 * each with its offset. A partition that was never fetched has an empty view that says so.
 * The id index is built once, on first use, so checking a view repeatedly costs nothing extra.
 */
public final class View {
    private final TopicPartition topicPartition;
    private final IsolationLevel isolation;
    private final List<Long> recordIds;
    private final List<Long> offsets;
    private final boolean fetched;
    /** The fetch this view shows, or null for an unfetched partition. */
    private final ConsumerFetch source;
    private Map<Long, Integer> firstPosition;
    private List<Integer> repeatPositions;

    private View(TopicPartition topicPartition, IsolationLevel isolation, List<Long> recordIds, List<Long> offsets,
                 ConsumerFetch source) {
        this.source = source;
        this.fetched = source != null;
        this.topicPartition = topicPartition;
        this.isolation = isolation;
        this.recordIds = recordIds;
        this.offsets = offsets;
    }

    /** The view a {@code ConsumerFetch} reports; its offsets and record ids must pair up. */
    static View of(ConsumerFetch fetch) {
        if (fetch.offsets().size() != fetch.recordIds().size()) {
            throw new IllegalArgumentException("ConsumerFetch of " + fetch.topicPartition() + " has "
                    + fetch.offsets().size() + " offsets for " + fetch.recordIds().size() + " record ids");
        }
        return new View(fetch.topicPartition(), fetch.isolation(), fetch.recordIds(), fetch.offsets(), fetch);
    }

    /** The view of a partition no reader fetched: it contains nothing. */
    static View unfetched(TopicPartition topicPartition, IsolationLevel isolation) {
        return new View(topicPartition, isolation, List.of(), List.of(), null);
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public IsolationLevel isolation() {
        return isolation;
    }

    /** Whether this view shows exactly {@code fetch} (the same event, not an equal one). */
    boolean showsFetch(ConsumerFetch fetch) {
        return source == fetch;
    }

    /** Whether a {@code ConsumerFetch} of this partition and isolation level is in the history. */
    public boolean fetched() {
        return fetched;
    }

    public int size() {
        return recordIds.size();
    }

    public long recordIdAt(int position) {
        return recordIds.get(position);
    }

    public long offsetAt(int position) {
        return offsets.get(position);
    }

    public boolean contains(long recordId) {
        return index().containsKey(recordId);
    }

    /** Position of the first occurrence of {@code recordId}, or -1 when the reader did not see it. */
    public int firstPositionOf(long recordId) {
        return index().getOrDefault(recordId, -1);
    }

    /** Offset of the first occurrence of {@code recordId}, or -1 when the reader did not see it. */
    public long firstOffsetOf(long recordId) {
        int position = firstPositionOf(recordId);
        return position < 0 ? -1 : offsets.get(position);
    }

    /** Positions, in log order, of every occurrence of a record id after its first one. */
    public List<Integer> repeatPositions() {
        index();
        return repeatPositions;
    }

    /** "the read_committed view of t-0", with a note when the partition was never fetched. */
    public String describe() {
        String name = "the " + View.nameOf(isolation) + " view of " + topicPartition;
        return fetched ? name : name + " (never fetched)";
    }

    /** Kafka's config value for an isolation level: "read_committed" or "read_uncommitted". */
    static String nameOf(IsolationLevel isolation) {
        return isolation.name().toLowerCase(Locale.ROOT);
    }

    private Map<Long, Integer> index() {
        if (firstPosition == null) {
            Map<Long, Integer> first = new HashMap<>(recordIds.size() * 2);
            List<Integer> repeats = new ArrayList<>();
            for (int position = 0; position < recordIds.size(); position++) {
                if (first.putIfAbsent(recordIds.get(position), position) != null) {
                    repeats.add(position);
                }
            }
            repeatPositions = List.copyOf(repeats);
            firstPosition = first;
        }
        return firstPosition;
    }
}
