package dev.deliverycheck.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Draws a TLC counterexample with the lanes and event names of {@link EventDiagram}: every TLA+
 * action is named like the Java event it models (DESIGN.md's one vocabulary), so its actor prefix
 * picks the lane and its name picks the shape. A message is drawn when it is consumed, as in the
 * Java diagrams: {@code BrokerAppend} is the Produce request arriving, {@code ProducerSendAcked}
 * the response; {@code NetworkLose*} ends in a cross. TLC does not print an action's arguments,
 * so the diagram says what happened and the state diff beside it says to what.
 *
 * <p>The action of the last state, the one that broke the invariant, is highlighted.
 *
 * <p>Lanes: producers are the domain of {@code pState}, brokers the domain of {@code bUp} (the
 * variables of {@code tla/DeliveryBase.tla}); a spec without them gets one producer and one broker lane.
 */
public final class TlaTraceDiagram {
    private static final Pattern KEY = Pattern.compile("(-?\\d+) :>");

    private TlaTraceDiagram() {
    }

    public static Diagram of(TlaTrace trace) {
        List<String> producers = lanes(trace, "pState", "producer ");
        List<String> brokers = lanes(trace, "bUp", "broker ");
        List<Diagram.Item> items = new ArrayList<>();
        for (int i = 0; i < trace.states().size(); i++) {
            TlaTrace.State s = trace.states().get(i);
            items.add(new Diagram.Divider("state " + s.number() + ": " + s.action()));
            if (i > 0) {
                boolean last = i == trace.states().size() - 1 && trace.violated() != null;
                // TLC names no offending record, so the step that broke the invariant is what is highlighted.
                String producer = actor(trace, i, producers, "producer ");
                String broker = actor(trace, i, brokers, "broker ");
                shapes(s.action(), producer, broker).forEach(item -> items.add(last ? highlighted(item) : item));
            }
        }
        if (trace.violated() != null) {
            items.add(new Diagram.Banner(trace.violated() + " violated in state " + trace.states().size()
                    + " (TLC on " + trace.model() + ")"));
        }
        List<String> lanes = new ArrayList<>();
        lanes.add(EventDiagram.APPLICATION);
        lanes.addAll(producers);
        lanes.addAll(brokers);
        if (items.stream().anyMatch(TlaTraceDiagram::onCoordinator)) {
            lanes.add(EventDiagram.COORDINATOR);
        }
        lanes.add(EventDiagram.READER);
        return new Diagram(trace.model() + ": counterexample to " + trace.violated(), lanes, items);
    }

    /**
     * The lane of the producer (or broker) that step {@code i} changed: the one key of the
     * producer-indexed (broker-indexed) variables whose value changed; the first lane when none or
     * several did.
     */
    static String actor(TlaTrace trace, int i, List<String> lanes, String prefix) {
        if (lanes.size() == 1) {
            return lanes.get(0);
        }
        Set<String> ids = new LinkedHashSet<>();
        lanes.forEach(l -> ids.add(l.substring(prefix.length())));
        Set<String> changed = new LinkedHashSet<>();
        for (TlaTrace.Change c : trace.diff(i)) {
            changed.addAll(TlaFunctions.changedKeys(c.before(), c.after(), ids));
        }
        return changed.size() == 1 ? prefix + changed.iterator().next() : lanes.get(0);
    }

    private static Diagram.Item highlighted(Diagram.Item item) {
        if (item instanceof Diagram.Arrow a) {
            return new Diagram.Arrow(a.from(), a.to(), a.label(), a.lost(), true);
        }
        if (item instanceof Diagram.Note n) {
            return new Diagram.Note(n.lane(), n.label(), true, n.marker());
        }
        return item;
    }

    private static boolean onCoordinator(Diagram.Item item) {
        String c = EventDiagram.COORDINATOR;
        return item instanceof Diagram.Arrow a && (a.from().equals(c) || a.to().equals(c))
                || item instanceof Diagram.Note n && n.lane().equals(c);
    }

    /** The shapes one action is drawn as. */
    static List<Diagram.Item> shapes(String action, String producer, String broker) {
        String c = EventDiagram.COORDINATOR;
        String app = EventDiagram.APPLICATION;
        return switch (action) {
            case "ProducerSend" -> List.of(new Diagram.Arrow(app, producer, "ProducerSend: send()", false, false));
            case "ProducerSendBatch", "ProducerRetry", "ProducerBumpEpoch" -> List.of(new Diagram.Note(producer, action, false, false));
            case "BrokerAppend", "BrokerDuplicate", "BrokerReject" -> List.of(
                    new Diagram.Arrow(producer, broker, "ProduceRequest", false, false),
                    new Diagram.Note(broker, action, false, false));
            case "ProducerSendAcked", "ProducerSendFailed" -> List.of(
                    new Diagram.Arrow(broker, producer, "ProduceResponse", false, false),
                    new Diagram.Arrow(producer, app, action, false, false));
            case "NetworkLoseRequest" -> List.of(new Diagram.Arrow(producer, broker, "NetworkLoseRequest", true, false));
            case "NetworkLoseResponse" -> List.of(new Diagram.Arrow(broker, producer, "NetworkLoseResponse", true, false));
            case "NetworkDeliver" -> List.of(new Diagram.Arrow(broker, producer, "NetworkDeliver", false, false));
            case "BrokerCrash" -> List.of(new Diagram.Bar(broker, action, true));
            case "BrokerRestart" -> List.of(new Diagram.Bar(broker, action, false));
            // The instance whose state changed is the new one starting (the old one is left as it was: a zombie).
            case "ProducerRestart" -> List.of(new Diagram.Bar(producer, action, false));
            case "ProducerBeginTxn" -> List.of(new Diagram.Arrow(app, producer, action, false, false));
            case "ProducerInitProducerId", "ProducerAddPartitions", "ProducerEndTxn" -> List.of(
                    new Diagram.Arrow(producer, c, action, false, false));
            case "ProducerEndTxnResult", "ProducerFenced" -> List.of(new Diagram.Arrow(c, producer, action, false, false));
            case "CoordinatorWriteMarker" -> List.of(new Diagram.Arrow(c, broker, "WriteTxnMarkersRequest", false, false),
                    new Diagram.Note(broker, action, false, true));
            case "ConsumerFetch" -> List.of(new Diagram.Note(EventDiagram.READER, action, false, false));
            default -> List.of(new Diagram.Note(laneOf(action, producer, broker), action, false,
                    action.startsWith("Coordinator") && (action.contains("Prepare") || action.contains("Complete"))));
        };
    }

    private static String laneOf(String action, String producer, String broker) {
        if (action.startsWith("Producer")) {
            return producer;
        }
        if (action.startsWith("Coordinator")) {
            return EventDiagram.COORDINATOR;
        }
        if (action.startsWith("Consumer")) {
            return EventDiagram.READER;
        }
        return broker;
    }

    private static List<String> lanes(TlaTrace trace, String variable, String prefix) {
        Set<String> names = new LinkedHashSet<>();
        if (!trace.states().isEmpty()) {
            String value = trace.states().get(0).variables().get(variable);
            if (value != null) {
                Matcher m = KEY.matcher(value);
                while (m.find()) {
                    names.add(prefix + m.group(1));
                }
            }
        }
        if (names.isEmpty()) {
            names.add(prefix.strip());
        }
        return new ArrayList<>(names);
    }
}
