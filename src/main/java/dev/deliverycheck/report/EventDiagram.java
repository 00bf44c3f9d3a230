package dev.deliverycheck.report;

import dev.deliverycheck.event.BrokerAck;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.BrokerDuplicate;
import dev.deliverycheck.event.BrokerFlush;
import dev.deliverycheck.event.BrokerRecoverPartition;
import dev.deliverycheck.event.BrokerReject;
import dev.deliverycheck.event.BrokerRestart;
import dev.deliverycheck.event.BrokerVerifyPartition;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.CoordinatorAddPartitions;
import dev.deliverycheck.event.CoordinatorComplete;
import dev.deliverycheck.event.CoordinatorFence;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.CoordinatorPrepare;
import dev.deliverycheck.event.CoordinatorTimeoutAbort;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkDeliver;
import dev.deliverycheck.event.NetworkLoseRequest;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.event.ProducerAddPartitions;
import dev.deliverycheck.event.ProducerBeginTxn;
import dev.deliverycheck.event.ProducerBumpEpoch;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerFenced;
import dev.deliverycheck.event.ProducerInitProducerId;
import dev.deliverycheck.event.ProducerRestart;
import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.event.ProducerSendBatch;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.IsolationLevel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the history of one Java run, step by step, into a {@link Diagram}.
 *
 * <p>A message is drawn when the network decides its fate: an arrow at {@code NetworkDeliver}, an
 * arrow ending in a cross at {@code NetworkLoseRequest}/{@code NetworkLoseResponse}, labelled with
 * the key fields its sender stamped (a Produce request's pid, epoch, sequence and records from
 * {@code ProducerSendBatch}/{@code ProducerRetry}; a Produce response's offset and error from
 * {@code BrokerAck}). Everything else is a note on its actor's lane, named by its event name.
 * A reader's fetch is drawn only when what it sees changed, and only at the isolation level the
 * guarantees speak of. Coordinator requests and the coordinator's markers use the coordinator lane.
 */
public final class EventDiagram {
    public static final String APPLICATION = "application";
    public static final String COORDINATOR = "coordinator";
    public static final String READER = "reader";

    /** The events one schedule step caused; the end phase is a step too. */
    public record StepEvents(String label, List<Event> events) {
        public StepEvents {
            events = List.copyOf(events);
        }
    }

    private final int brokers;
    private final IsolationLevel readerIsolation;
    private final Set<Long> offending;
    private final Map<String, String> requestLabels = new HashMap<>();
    private final Map<String, List<Long>> requestRecords = new HashMap<>();
    private final Map<String, List<BrokerAck>> acks = new HashMap<>();
    private final Map<String, List<Long>> lastFetch = new HashMap<>();
    private final List<Diagram.Item> items = new ArrayList<>();

    private EventDiagram(int brokers, IsolationLevel readerIsolation, Collection<Long> offending) {
        this.brokers = brokers;
        this.readerIsolation = readerIsolation;
        this.offending = new LinkedHashSet<>(offending);
    }

    /**
     * @param violationStep index into {@code steps} after whose events {@code violation} is named (-1 for none)
     */
    public static Diagram of(String title, int brokers, IsolationLevel readerIsolation, List<StepEvents> steps,
                             Collection<Long> offending, int violationStep, String violation) {
        EventDiagram d = new EventDiagram(brokers, readerIsolation, offending);
        for (int i = 0; i < steps.size(); i++) {
            StepEvents s = steps.get(i);
            d.items.add(new Diagram.Divider(s.label()));
            s.events().forEach(d::add);
            if (i == violationStep && violation != null) {
                d.items.add(new Diagram.Banner(violation));
            }
        }
        return new Diagram(title, d.lanes(steps), d.items);
    }

    private List<String> lanes(List<StepEvents> steps) {
        Set<String> producers = new LinkedHashSet<>();
        boolean coordinator = false;
        for (StepEvents s : steps) {
            for (Event e : s.events()) {
                int p = producerOf(e);
                if (p >= 0) {
                    producers.add(producer(p));
                }
                if (e instanceof ProducerRestart r) {
                    producers.add(producer(r.newProducer()));
                }
                // A message names its endpoints by node id: anything that is not a broker is a producer.
                if (e instanceof NetworkDeliver n) {
                    endpoints(producers, n.source(), n.destination());
                } else if (e instanceof NetworkLoseRequest n) {
                    endpoints(producers, n.source(), n.destination());
                } else if (e instanceof NetworkLoseResponse n) {
                    endpoints(producers, n.source(), n.destination());
                }
                coordinator |= e.name().startsWith("Coordinator") || e instanceof NetworkDeliver n && coordinatorMessage(n.messageType());
            }
        }
        List<String> lanes = new ArrayList<>();
        lanes.add(APPLICATION);
        lanes.addAll(producers);
        for (int b = 0; b < brokers; b++) {
            lanes.add(broker(b));
        }
        if (coordinator) {
            lanes.add(COORDINATOR);
        }
        lanes.add(READER);
        return lanes;
    }

    private void endpoints(Set<String> producers, int source, int destination) {
        for (int node : new int[] {source, destination}) {
            if (node >= brokers) {
                producers.add(producer(node));
            }
        }
    }

    static String producer(int id) {
        return "producer " + id;
    }

    static String broker(int id) {
        return "broker " + id;
    }

    private static int producerOf(Event e) {
        if (e instanceof ProducerSend s) {
            return s.producer();
        } else if (e instanceof ProducerSendBatch s) {
            return s.producer();
        } else if (e instanceof ProducerRetry s) {
            return s.producer();
        } else if (e instanceof ProducerSendAcked s) {
            return s.producer();
        } else if (e instanceof ProducerSendFailed s) {
            return s.producer();
        } else if (e instanceof ProducerInitProducerId s) {
            return s.producer();
        } else if (e instanceof ProducerBumpEpoch s) {
            return s.producer();
        } else if (e instanceof ProducerBeginTxn s) {
            return s.producer();
        } else if (e instanceof ProducerAddPartitions s) {
            return s.producer();
        } else if (e instanceof ProducerEndTxn s) {
            return s.producer();
        } else if (e instanceof ProducerEndTxnResult s) {
            return s.producer();
        } else if (e instanceof ProducerFenced s) {
            return s.producer();
        } else if (e instanceof ProducerRestart s) {
            return s.oldProducer();
        }
        return -1;
    }

    private static boolean coordinatorMessage(String type) {
        return type.startsWith("InitProducerId") || type.startsWith("AddPartitionsToTxn") || type.startsWith("EndTxn")
                || type.startsWith("WriteTxnMarkers");
    }

    private boolean hit(Collection<Long> ids) {
        for (Long id : ids) {
            if (offending.contains(id)) {
                return true;
            }
        }
        return false;
    }

    private static String records(List<Long> ids) {
        StringBuilder sb = new StringBuilder("[");
        for (Long id : ids) {
            sb.append(sb.length() > 1 ? " " : "").append('r').append(id);
        }
        return sb.append(']').toString();
    }

    private static String key(int source, int destination, int correlationId) {
        return source + ">" + destination + "#" + correlationId;
    }

    private void add(Event e) {
        if (e instanceof ProducerSend s) {
            items.add(new Diagram.Arrow(APPLICATION, producer(s.producer()),
                "send() r" + s.recordId() + " to " + s.topicPartition() + (s.transactionIndex() >= 0 ? " txn " + s.transactionIndex() : ""),
                false, offending.contains(s.recordId())));
        } else if (e instanceof ProducerSendBatch b) {
            String label = "Produce #" + b.correlationId() + " " + b.topicPartition() + " pid=" + b.producerId() + " epoch="
                    + b.producerEpoch() + " seq=" + b.baseSequence() + " " + records(b.recordIds());
            requestLabels.put(key(b.producer(), b.broker(), b.correlationId()), label);
            requestRecords.put(key(b.producer(), b.broker(), b.correlationId()), b.recordIds());
            items.add(new Diagram.Note(producer(b.producer()), "ProducerSendBatch #" + b.correlationId() + " "
                    + records(b.recordIds()), hit(b.recordIds()), false));
        } else if (e instanceof ProducerRetry r) {
            String label = "Produce #" + r.correlationId() + " (retry " + r.attempt() + ") " + r.topicPartition() + " pid="
                    + r.producerId() + " epoch=" + r.producerEpoch() + " seq=" + r.baseSequence() + " " + records(r.recordIds());
            requestLabels.put(key(r.producer(), r.broker(), r.correlationId()), label);
            requestRecords.put(key(r.producer(), r.broker(), r.correlationId()), r.recordIds());
            items.add(new Diagram.Note(producer(r.producer()), "ProducerRetry #" + r.correlationId() + " attempt "
                    + r.attempt() + " " + records(r.recordIds()), hit(r.recordIds()), false));
        } else if (e instanceof BrokerAck a) {
            acks.computeIfAbsent(key(a.broker(), a.destination(), a.correlationId()), k -> new ArrayList<>()).add(a);
            items.add(new Diagram.Note(broker(a.broker()), "BrokerAck #" + a.correlationId() + " " + a.topicPartition()
                    + " offset=" + a.baseOffset() + " error=" + a.error(), false, false));
        } else if (e instanceof NetworkDeliver n) {
            message(n.source(), n.destination(), n.correlationId(), n.messageType(), false);
        } else if (e instanceof NetworkLoseRequest n) {
            message(n.source(), n.destination(), n.correlationId(), n.messageType(), true);
        } else if (e instanceof NetworkLoseResponse n) {
            message(n.source(), n.destination(), n.correlationId(), n.messageType(), true);
        } else if (e instanceof BrokerAppend a) {
            items.add(new Diagram.Note(broker(a.broker()), "BrokerAppend " + a.topicPartition() + " offset="
                + a.baseOffset() + " pid=" + a.producerId() + " epoch=" + a.producerEpoch() + " seq=" + a.baseSequence() + " "
                + records(a.recordIds()), hit(a.recordIds()), false));
        } else if (e instanceof BrokerDuplicate d) {
            items.add(new Diagram.Note(broker(d.broker()), "BrokerDuplicate " + d.topicPartition()
                + " pid=" + d.producerId() + " epoch=" + d.producerEpoch() + " seq=" + d.baseSequence() + " (offset "
                + d.originalOffset() + ")", false, false));
        } else if (e instanceof BrokerReject r) {
            items.add(new Diagram.Note(broker(r.broker()), "BrokerReject " + r.topicPartition() + " pid="
                + r.producerId() + " epoch=" + r.producerEpoch() + " seq=" + r.baseSequence() + " error=" + r.error(), false, false));
        } else if (e instanceof BrokerFlush f) {
            items.add(new Diagram.Note(broker(f.broker()), "BrokerFlush " + f.topicPartition()
                + " durable to " + f.logEndOffset(), false, false));
        } else if (e instanceof BrokerCrash c) {
            items.add(new Diagram.Bar(broker(c.broker()), "BrokerCrash", true));
        } else if (e instanceof BrokerRestart r) {
            items.add(new Diagram.Bar(broker(r.broker()), "BrokerRestart", false));
        } else if (e instanceof BrokerRecoverPartition r) {
            items.add(new Diagram.Note(broker(r.broker()), "BrokerRecoverPartition "
                + r.topicPartition() + " log end " + r.logEndOffset() + ", " + r.producersRestored() + " producer(s)", false, false));
        } else if (e instanceof BrokerVerifyPartition v) {
            items.add(new Diagram.Note(broker(v.broker()), "BrokerVerifyPartition "
                + v.topicPartition() + " pid=" + v.producerId() + " epoch=" + v.producerEpoch() + (v.verified() ? " ok" : " refused"),
                false, false));
        } else if (e instanceof ProducerRestart r) {
            items.add(new Diagram.Bar(producer(r.oldProducer()), "ProducerRestart (now a zombie)", true));
            items.add(new Diagram.Bar(producer(r.newProducer()), "ProducerRestart (new instance)", false));
        } else if (e instanceof ProducerSendAcked a) {
            items.add(new Diagram.Arrow(producer(a.producer()), APPLICATION, "ProducerSendAcked r"
                + a.recordId() + " offset=" + a.offset(), false, offending.contains(a.recordId())));
        } else if (e instanceof ProducerSendFailed f) {
            items.add(new Diagram.Arrow(producer(f.producer()), APPLICATION, "ProducerSendFailed r"
                + f.recordId() + " error=" + shortError(f.error()), false, offending.contains(f.recordId())));
        } else if (e instanceof ConsumerFetch f) {
            fetch(f);
        } else if (e instanceof CoordinatorWriteMarker m) {
            items.add(new Diagram.Note(broker(m.broker()), "CoordinatorWriteMarker " + m.type()
                + " " + m.topicPartition() + " offset=" + m.offset() + " pid=" + m.producerId() + " epoch=" + m.producerEpoch(),
                false, true));
        } else if (e instanceof CoordinatorInitProducerId c) {
            coordinator("CoordinatorInitProducerId pid=" + c.producerId() + " epoch=" + c.producerEpoch());
        } else if (e instanceof CoordinatorAddPartitions c) {
            coordinator("CoordinatorAddPartitions " + c.partitions() + " epoch=" + c.producerEpoch());
        } else if (e instanceof CoordinatorPrepare c) {
            coordinator("CoordinatorPrepare " + (c.commit() ? "COMMIT" : "ABORT") + " epoch=" + c.producerEpoch());
        } else if (e instanceof CoordinatorComplete c) {
            coordinator("CoordinatorComplete " + (c.commit() ? "COMMIT" : "ABORT") + " epoch=" + c.producerEpoch());
        } else if (e instanceof CoordinatorTimeoutAbort c) {
            coordinator("CoordinatorTimeoutAbort epoch=" + c.producerEpoch());
        } else if (e instanceof CoordinatorFence c) {
            coordinator("CoordinatorFence epoch " + c.oldEpoch() + " -> " + c.newEpoch());
        } else if (e instanceof ProducerEndTxn t) {
            items.add(new Diagram.Arrow(APPLICATION, producer(t.producer()),
                (t.commit() ? "commitTransaction()" : "abortTransaction()") + " txn " + t.transactionIndex(), false, false));
        } else if (e instanceof ProducerEndTxnResult t) {
            items.add(new Diagram.Arrow(producer(t.producer()), APPLICATION, "ProducerEndTxnResult "
                + (t.commit() ? "commit" : "abort") + " txn " + t.transactionIndex() + (t.error() == null ? " ok" : " error=" + t.error()),
                false, false));
        } else if (e instanceof ProducerBeginTxn b) {
            items.add(new Diagram.Arrow(APPLICATION, producer(b.producer()), "beginTransaction() txn "
                + b.transactionIndex(), false, false));
        } else {
            int p = producerOf(e);
            items.add(new Diagram.Note(p >= 0 ? producer(p) : READER, e.name() + detail(e), false, false));
        }
    }

    private static String detail(Event e) {
        if (e instanceof ProducerInitProducerId i) {
            return " pid=" + i.producerId() + " epoch=" + i.producerEpoch();
        } else if (e instanceof ProducerBumpEpoch b) {
            return " pid=" + b.producerId() + " epoch=" + b.producerEpoch();
        } else if (e instanceof ProducerAddPartitions a) {
            return " " + a.partitions();
        } else if (e instanceof ProducerFenced f) {
            return " pid=" + f.producerId() + " epoch=" + f.producerEpoch();
        }
        return "";
    }

    private void coordinator(String label) {
        items.add(new Diagram.Note(COORDINATOR, label, false, label.contains("ABORT") || label.contains("COMMIT")));
    }

    private static String shortError(String error) {
        int colon = error.indexOf(": ");
        String s = colon > 0 ? error.substring(colon + 2) : error;
        int cut = s.indexOf(':');
        return cut > 0 ? s.substring(0, cut) : s;
    }

    private void message(int source, int destination, int correlationId, String type, boolean lost) {
        boolean response = type.endsWith("Response");
        String from = source < brokers ? broker(source) : producer(source);
        String to = destination < brokers ? broker(destination) : producer(destination);
        if (coordinatorMessage(type)) {
            boolean markers = type.startsWith("WriteTxnMarkers");
            // Producer requests go to the coordinator; WriteTxnMarkers go from it to the partition leaders.
            if (markers != response) {
                from = source < brokers ? COORDINATOR : from;
            } else {
                to = destination < brokers ? COORDINATOR : to;
            }
        }
        String label;
        boolean highlighted = false;
        if (type.equals("ProduceResponse")) {
            List<BrokerAck> answers = acks.getOrDefault(key(source, destination, correlationId), List.of());
            StringBuilder sb = new StringBuilder("ProduceResponse #" + correlationId);
            for (BrokerAck a : answers) {
                sb.append(' ').append(a.topicPartition()).append(" offset=").append(a.baseOffset()).append(" error=").append(a.error());
            }
            label = sb.toString();
        } else if (type.equals("ProduceRequest")) {
            label = requestLabels.getOrDefault(key(source, destination, correlationId), "Produce #" + correlationId);
            highlighted = hit(requestRecords.getOrDefault(key(source, destination, correlationId), List.of()));
        } else {
            label = type + " #" + correlationId;
        }
        String prefix = lost ? (response ? "NetworkLoseResponse: " : "NetworkLoseRequest: ") : "";
        items.add(new Diagram.Arrow(from, to, prefix + label, lost, highlighted));
    }

    private void fetch(ConsumerFetch f) {
        if (f.isolation() != readerIsolation) {
            return;
        }
        String key = f.topicPartition().toString();
        List<Long> previous = lastFetch.put(key, f.recordIds());
        if (f.recordIds().equals(previous) || previous == null && f.recordIds().isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("ConsumerFetch " + f.topicPartition() + " "
                + f.isolation().toString().toLowerCase(java.util.Locale.ROOT) + ":");
        for (int i = 0; i < f.recordIds().size(); i++) {
            sb.append(" r").append(f.recordIds().get(i)).append('@').append(f.offsets().get(i));
        }
        if (f.recordIds().isEmpty()) {
            sb.append(" (empty)");
        }
        items.add(new Diagram.Note(READER, sb.toString(), hit(f.recordIds()), false));
    }
}
