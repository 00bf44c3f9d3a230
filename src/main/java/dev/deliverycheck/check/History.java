package dev.deliverycheck.check;

import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.CoordinatorPrepare;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The events of one run, in the order they happened, plus the indexes the checkers read.
 *
 * <p>Append-only: every index is updated as an event arrives, so a checker called after every
 * step of a schedule pays for the events it reads, never for rebuilding. {@link #emit} may be
 * called from several threads (a real producer's I/O thread and the caller); read once the
 * emitters are done (the simulation is single-threaded, so it may read at any step).
 */
public final class History implements EventSink {
    private final List<Event> events = new ArrayList<>();
    private final List<Event> readOnlyEvents = Collections.unmodifiableList(events);
    private final List<ProducerSend> sends = new ArrayList<>();
    private final List<ProducerSend> readOnlySends = Collections.unmodifiableList(sends);
    private final Map<Long, Integer> sendPositions = new HashMap<>();
    private final List<ProducerSendAcked> acks = new ArrayList<>();
    private final List<ProducerSendAcked> readOnlyAcks = Collections.unmodifiableList(acks);
    private final List<ProducerSendFailed> failures = new ArrayList<>();
    private final List<ProducerSendFailed> readOnlyFailures = Collections.unmodifiableList(failures);
    private final Map<TransactionKey, Transaction> transactions = new LinkedHashMap<>();
    private final Collection<Transaction> readOnlyTransactions = Collections.unmodifiableCollection(transactions.values());
    private final Map<ViewKey, View> lastViews = new HashMap<>();
    private final List<Event> fencingEvents = new ArrayList<>();
    private final List<Event> readOnlyFencingEvents = Collections.unmodifiableList(fencingEvents);
    private final NavigableSet<TopicPartition> partitions = new TreeSet<>();
    private final NavigableSet<TopicPartition> readOnlyPartitions = Collections.unmodifiableNavigableSet(partitions);
    private boolean transactional;

    private record TransactionKey(int producer, int index) {
    }

    private record ViewKey(TopicPartition topicPartition, IsolationLevel isolation) {
    }

    /** An empty history, ready to be handed to every node of a run as its EventSink. */
    public History() {
    }

    /** A history holding {@code events} in order, e.g. read back from a trace or a replay. */
    public static History of(Collection<? extends Event> events) {
        History history = new History();
        for (Event event : events) {
            history.emit(event);
        }
        return history;
    }

    /** Appends {@code event}; a ConsumerFetch whose offsets and record ids do not pair up is refused. */
    @Override
    public synchronized void emit(Event event) {
        Objects.requireNonNull(event, "event");
        if (event instanceof ConsumerFetch fetch) {
            // Validated before anything is recorded, so a refused event leaves no trace.
            ViewKey key = new ViewKey(fetch.topicPartition(), fetch.isolation());
            View last = lastViews.get(key);
            // A reader that re-reports the very same fetch (the simulation does while a log is
            // unchanged) keeps its view, and with it the id index the checkers already built.
            View view = last != null && last.showsFetch(fetch) ? last : View.of(fetch);
            lastViews.put(key, view);
            partitions.add(fetch.topicPartition());
        } else if (event instanceof ProducerSend send) {
            sendPositions.putIfAbsent(send.recordId(), sends.size());
            sends.add(send);
            partitions.add(send.topicPartition());
            if (send.transactionIndex() >= 0) {
                transactional = true;
                openTransaction(send.producer(), send.transactionIndex()).add(send);
                fencingEvents.add(send);
            }
        } else if (event instanceof ProducerSendAcked ack) {
            acks.add(ack);
            partitions.add(ack.topicPartition());
        } else if (event instanceof ProducerSendFailed failure) {
            failures.add(failure);
        } else if (event instanceof ProducerEndTxn endTxn) {
            openTransaction(endTxn.producer(), endTxn.transactionIndex()).add(endTxn);
        } else if (event instanceof ProducerEndTxnResult result) {
            openTransaction(result.producer(), result.transactionIndex()).add(result);
        } else if (event instanceof CoordinatorInitProducerId || event instanceof BrokerAppend
                || event instanceof dev.deliverycheck.event.ProducerInitProducerId
                || event instanceof CoordinatorPrepare || event instanceof CoordinatorWriteMarker) {
            fencingEvents.add(event);
        }
        events.add(event);
    }

    private Transaction openTransaction(int producer, int index) {
        return transactions.computeIfAbsent(new TransactionKey(producer, index), k -> new Transaction(producer, index));
    }

    /** Every event, in order (read-only, live). */
    public List<Event> events() {
        return readOnlyEvents;
    }

    public int size() {
        return events.size();
    }

    /** Every ProducerSend, in order. */
    public List<ProducerSend> sends() {
        return readOnlySends;
    }

    /** Position of the first ProducerSend of {@code recordId} in {@link #sends()}, or -1 if never sent. */
    public int sendPosition(long recordId) {
        return sendPositions.getOrDefault(recordId, -1);
    }

    /** Every ProducerSendAcked, in order. */
    public List<ProducerSendAcked> acks() {
        return readOnlyAcks;
    }

    /** Every ProducerSendFailed, in order. Indeterminate: such a record may or may not be stored. */
    public List<ProducerSendFailed> failures() {
        return readOnlyFailures;
    }

    /**
     * The events that decide who may write and commit — CoordinatorInitProducerId,
     * ProducerInitProducerId, transactional ProducerSend (which instance sent a record), BrokerAppend,
     * CoordinatorPrepare and CoordinatorWriteMarker — in order, without the rest of the traffic.
     */
    public List<Event> fencingEvents() {
        return readOnlyFencingEvents;
    }

    /** Every transaction any producer instance touched, in order of first appearance. */
    public Collection<Transaction> transactions() {
        return readOnlyTransactions;
    }

    /** The transaction {@code index} of producer instance {@code producer}, or null if it never appeared. */
    public Transaction transaction(int producer, int index) {
        return transactions.get(new TransactionKey(producer, index));
    }

    /** Whether this is a transactional run: some ProducerSend carries a transaction index. */
    public boolean transactional() {
        return transactional;
    }

    /** The isolation level of the reader the guarantees speak of: read_committed in transactional runs. */
    public IsolationLevel readerIsolation() {
        return transactional ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
    }

    /** Every partition a record was sent to, acknowledged on or fetched from, in order. */
    public NavigableSet<TopicPartition> partitions() {
        return readOnlyPartitions;
    }

    /** The partition as the last ConsumerFetch at {@code isolation} saw it; empty when never fetched. */
    public View view(TopicPartition topicPartition, IsolationLevel isolation) {
        View view = lastViews.get(new ViewKey(topicPartition, isolation));
        return view != null ? view : View.unfetched(topicPartition, isolation);
    }

    @Override
    public String toString() {
        return "History[" + events.size() + " events, " + sends.size() + " sends, " + partitions.size() + " partitions]";
    }
}
