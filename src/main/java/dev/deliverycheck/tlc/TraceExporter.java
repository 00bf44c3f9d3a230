package dev.deliverycheck.tlc;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.event.CoordinatorFence;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkDeliver;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.TopicPartition;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Writes a Java run -- a {@code List<Event>} -- as a TLA+ module and a TLC config that check it
 * against the trace spec of its mode ({@code tla/trace/Trace<Mode>.tla}).
 *
 * <p>Every event becomes a record with field {@code event} = the event's name and one field per
 * record component, converted generically, so any event type exports without special code and
 * never makes the exporter fail: numbers stay numbers (a value outside TLC's 32-bit integers
 * becomes a string, which no spec value equals), booleans stay booleans, {@code topicPartition}
 * becomes the field {@code partition} holding the partition's number (or, with several topics,
 * its index among the run's partitions), a list of records ids a sequence, a list of partitions a
 * set, enums their name, a null string {@code ""}; a {@code ProducerSendFailed} also gets the
 * derived field {@code errorCode} ({@link #errorCode}). Whether an event is explained is the trace
 * spec's business: an event it does not map is reported as the first unexplained one.
 *
 * <p>The spec's constants are derived from the same run: producers, brokers, partitions and
 * records that occur in it, each producer's send order, the records' partitions and transaction
 * indices, partition leaders and the coordinator; the fault budgets are the run's own counts
 * ({@link TraceFaults}), so the spec may not explain a run with more faults than it went through.
 * {@code max.in.flight} and the epoch bound are set beyond anything a run can use.
 */
public final class TraceExporter {
    /** The TLC-side switches of the protocol variant the Java code implements. */
    public record Protocol(boolean recoverProducerState, boolean fenceEpochs, boolean verifyTxnPartitions,
                           boolean bumpEpochPerTxn, int transactionVersion) {
        /**
         * Kafka 4.x with transaction version 2: every protection on, KIP-890 parts 1 (verification)
         * and 2 (an epoch bump per transaction, no AddPartitionsToTxn from the client). What
         * deliverycheck's broker and producer implement.
         */
        public static final Protocol KAFKA_4 = new Protocol(true, true, true, true, 2);
        /**
         * KIP-890 part 1 without part 2: transaction version 1 and a broker with
         * {@code BrokerConfig.bumpEpochPerTxn} off.
         */
        public static final Protocol KIP_890_PART_1 = new Protocol(true, true, true, false, 1);
    }

    private static final String MAX = "1000000";

    private final Mode mode;
    private final Protocol protocol;
    private final UnaryOperator<TraceFaults> budgets;

    public TraceExporter(Mode mode, Protocol protocol) {
        this(mode, protocol, UnaryOperator.identity());
    }

    /**
     * An exporter whose fault budgets are the run's own ({@link TraceFaults#of}) changed by
     * {@code budgets}: tests use it to show that a behaviour needing one fault more than the
     * budget is rejected.
     */
    public TraceExporter(Mode mode, Protocol protocol, UnaryOperator<TraceFaults> budgets) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.budgets = Objects.requireNonNull(budgets, "budgets");
    }

    /** The trace spec module that validates runs of a mode. */
    public static String traceSpec(Mode mode) {
        return switch (mode) {
            case AT_MOST_ONCE -> "TraceAtMostOnce";
            case AT_LEAST_ONCE -> "TraceAtLeastOnce";
            case IDEMPOTENT -> "TraceIdempotent";
            case EXACTLY_ONCE -> "TraceExactlyOnce";
        };
    }

    /** Name of the module holding a run; {@code tla/trace/TraceCommon.tla} extends it. */
    public static final String DATA_MODULE = "TraceData";

    /** The root module checked by TLC: the mode's trace spec, nothing else. */
    public String module(String moduleName) {
        return "---- MODULE " + moduleName + " ----\n\\* A " + mode.cliName() + " run, checked by TraceValidator.\n"
                + "EXTENDS " + traceSpec(mode) + "\n====\n";
    }

    /**
     * The module {@value #DATA_MODULE}: the trace {@code TraceLog} and the definitions the config
     * gives the spec's constants. The trace is a definition, not a constant substituted in the
     * config, because TLC evaluates a zero-arity definition once but a substituted constant at
     * every use -- which made validation quadratic in the length of the trace.
     */
    public String dataModule(List<Event> events) {
        Facts f = new Facts(events);
        StringBuilder sb = new StringBuilder();
        sb.append("---- MODULE ").append(DATA_MODULE).append(" ----\n");
        sb.append("\\* A ").append(mode.cliName()).append(" run of ").append(events.size())
                .append(" events, written by TraceExporter.\n");
        sb.append("EXTENDS Integers, TLC\n\n");
        sb.append("TR_Producers == ").append(set(f.producers)).append('\n');
        sb.append("TR_Brokers == ").append(set(f.brokers)).append('\n');
        sb.append("TR_Partitions == ").append(set(f.partitions)).append('\n');
        sb.append("TR_Records == ").append(set(f.records)).append('\n');
        sb.append("TR_Coordinator == ").append(f.coordinator).append('\n');
        sb.append("TR_TxnLimit == ").append(f.maxTxnIndex + 1).append('\n');
        sb.append("TR_SendOrder == ").append(function(f.sendOrder, v -> sequence(v))).append('\n');
        sb.append("TR_PartitionOf == ").append(function(f.partitionOf, String::valueOf)).append('\n');
        sb.append("TR_TxnOf == ").append(function(f.txnOf, String::valueOf)).append('\n');
        sb.append("TR_LeaderOf == ").append(function(f.leaderOf, String::valueOf)).append('\n');
        sb.append("TR_InitFrom == ").append(function(f.initFrom, String::valueOf)).append("\n\n");
        sb.append("TraceLog == <<\n");
        for (int i = 0; i < events.size(); i++) {
            sb.append("  ").append(record(events.get(i), f)).append(i + 1 < events.size() ? ",\n" : "\n");
        }
        sb.append(">>\n====\n");
        return sb.toString();
    }

    /** The TLC config for the module: constants, the trace spec's init and next, the end check. */
    public String config(List<Event> events) {
        Facts f = new Facts(events);
        boolean idempotence = mode != Mode.AT_MOST_ONCE && mode != Mode.AT_LEAST_ONCE;
        StringBuilder sb = new StringBuilder("CONSTANTS\n");
        // values taken from the run are definitions of the module: a config cannot spell negative numbers
        for (String c : List.of("Producers", "Brokers", "Partitions", "Records", "SendOrder", "PartitionOf", "TxnOf",
                "TxnLimit", "LeaderOf", "Coordinator")) {
            sb.append("    ").append(c).append(" <- TR_").append(c).append('\n');
        }
        constant(sb, "Idempotence", bool(idempotence));
        constant(sb, "Transactional", bool(mode.transactional()));
        constant(sb, "Retries", bool(mode != Mode.AT_MOST_ONCE));
        constant(sb, "MaxBatch", String.valueOf(Math.max(1, f.maxBatch)));
        constant(sb, "MaxInFlight", MAX);
        // a Java Produce request carries a batch for each ready partition of its broker
        constant(sb, "MaxBatchesPerRequest", String.valueOf(Math.max(1, f.partitions.size())));
        constant(sb, "MaxEpoch", MAX);
        // the run's own fault counts: the spec may not explain it with more faults than it had
        for (Map.Entry<String, Integer> budget : budgets.apply(TraceFaults.of(events)).constants()) {
            constant(sb, budget.getKey(), String.valueOf(budget.getValue()));
        }
        constant(sb, "DedupWindow", "5");
        constant(sb, "RecoverProducerState", bool(protocol.recoverProducerState()));
        constant(sb, "FenceEpochs", bool(protocol.fenceEpochs()));
        constant(sb, "VerifyTxnPartitions", bool(protocol.verifyTxnPartitions()));
        constant(sb, "BumpEpochPerTxn", bool(protocol.bumpEpochPerTxn()));
        constant(sb, "TransactionVersion", String.valueOf(protocol.transactionVersion()));
        sb.append("INIT TraceInit\nNEXT TraceNext\nINVARIANTS\n    TraceIncomplete\n");
        for (String inv : safetyInvariants()) {
            sb.append("    ").append(inv).append('\n');
        }
        sb.append("CHECK_DEADLOCK FALSE\n");
        return sb.toString();
    }

    /**
     * The guarantee's safety invariants (DESIGN.md's matrix: the cells that hold for the mode),
     * checked at every state of the trace, so a run the spec explains only through a state its
     * model checking would flag is rejected at the event that led there. Only for
     * {@link Protocol#KAFKA_4}: a known-bad protocol is validated to show its anomaly.
     */
    public List<String> safetyInvariants() {
        if (!protocol.equals(Protocol.KAFKA_4)) {
            return List.of();
        }
        return switch (mode) {
            case AT_MOST_ONCE -> List.of("NoDuplicate", "AckedDurable", "PartitionOrder");
            case AT_LEAST_ONCE -> List.of("NoLoss", "AckedDurable");
            case IDEMPOTENT -> List.of("NoDuplicate", "NoLoss", "AckedDurable", "PartitionOrder");
            case EXACTLY_ONCE -> List.of("NoDuplicate", "NoLoss", "AckedDurable", "PartitionOrder", "AtomicCommit",
                    "ZombieFenced");
        };
    }

    private static void constant(StringBuilder sb, String name, String value) {
        sb.append("    ").append(name).append(" = ").append(value).append('\n');
    }

    /** One event as a TLA+ record. */
    String record(Event e, Facts f) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("event", quote(e.name()));
        for (RecordComponent c : e.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(e);
            } catch (ReflectiveOperationException | RuntimeException ex) {
                v = null;
            }
            String name = c.getName().equals("topicPartition") ? "partition" : c.getName();
            fields.put(name, value(v, f));
        }
        if (e instanceof ProducerSendFailed failed) {
            fields.put("errorCode", quote(errorCode(failed.error())));
        }
        return fields.entrySet().stream().map(x -> x.getKey() + " |-> " + x.getValue())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * The error a failed send names, for comparison with the spec's reason: the broker's error
     * code of a {@code BrokerErrorException} (e.g. {@code NETWORK_EXCEPTION},
     * {@code INVALID_PRODUCER_EPOCH}), else the exception's simple class name (e.g.
     * {@code TransactionAbortedException}); the event's {@code error} is
     * {@code ProducerException.describe}'s "class: message".
     */
    static String errorCode(String error) {
        if (error == null) {
            return "";
        }
        String broker = "BrokerErrorException: ";
        String rest = error.startsWith(broker) ? error.substring(broker.length()) : error;
        int colon = rest.indexOf(':');
        return (colon < 0 ? rest : rest.substring(0, colon)).trim();
    }

    private static String value(Object v, Facts f) {
        if (v == null) {
            return "\"\"";
        }
        if (v instanceof Boolean b) {
            return bool(b);
        }
        if (v instanceof Number n) {
            long x = n.longValue();
            return x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE ? Long.toString(x) : quote("long:" + x);
        }
        if (v instanceof TopicPartition tp) {
            return String.valueOf(f.partitionNumber(tp));
        }
        if (v instanceof Enum<?> en) {
            return quote(en.name());
        }
        if (v instanceof Collection<?> c) {
            boolean partitions = !c.isEmpty() && c.iterator().next() instanceof TopicPartition;
            String items = c.stream().map(x -> value(x, f)).collect(Collectors.joining(", "));
            return partitions ? "{" + items + "}" : "<<" + items + ">>";
        }
        return quote(v.toString());
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                sb.append('\\').append(ch);
            } else if (ch == '\n' || ch == '\r' || ch == '\t') {
                sb.append(' ');
            } else if (ch >= 0x20 && ch < 0x7f) {
                sb.append(ch);
            } else {
                sb.append('?');
            }
        }
        return sb.append('"').toString();
    }

    private static String bool(boolean b) {
        return b ? "TRUE" : "FALSE";
    }

    private static String set(Collection<Long> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(", ", "{", "}"));
    }

    private static String sequence(List<Long> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(", ", "<<", ">>"));
    }

    private static <V> String function(SortedMap<Long, V> map, java.util.function.Function<V, String> render) {
        if (map.isEmpty()) {
            return "[x \\in {} |-> 0]";
        }
        return map.entrySet().stream().map(x -> "(" + x.getKey() + " :> " + render.apply(x.getValue()) + ")")
                .collect(Collectors.joining(" @@ "));
    }

    /** What the run says about the cluster, the producers and the records. */
    static final class Facts {
        final SortedSet<Long> producers = new TreeSet<>();
        final SortedSet<Long> brokers = new TreeSet<>();
        final SortedSet<Long> partitions = new TreeSet<>();
        final SortedSet<Long> records = new TreeSet<>();
        final SortedMap<Long, List<Long>> sendOrder = new TreeMap<>();
        final SortedMap<Long, Long> partitionOf = new TreeMap<>();
        final SortedMap<Long, Long> txnOf = new TreeMap<>();
        final SortedMap<Long, Long> leaderOf = new TreeMap<>();
        /**
         * Position (1-based, TLA+'s cursor) of each coordinator InitProducerId or fence -> the
         * instance whose InitProducerId request that broker received last: the Java coordinator
         * handles a request when it is delivered, and the event does not name the instance.
         */
        final SortedMap<Long, Long> initFrom = new TreeMap<>();
        final Map<TopicPartition, Long> numbers = new LinkedHashMap<>();
        long coordinator = -1;
        long maxTxnIndex = -1;
        int maxBatch;

        Facts(List<Event> events) {
            SortedSet<TopicPartition> tps = new TreeSet<>();
            for (Event e : events) {
                for (Object v : components(e).values()) {
                    if (v instanceof TopicPartition tp) {
                        tps.add(tp);
                    } else if (v instanceof Collection<?> c) {
                        c.stream().filter(TopicPartition.class::isInstance).map(TopicPartition.class::cast).forEach(tps::add);
                    }
                }
            }
            boolean oneTopic = tps.stream().map(TopicPartition::topic).distinct().count() <= 1;
            long index = 0;
            for (TopicPartition tp : tps) {
                numbers.put(tp, oneTopic ? tp.partition() : index++);
            }
            partitions.addAll(numbers.values());
            Map<Integer, Integer> lastInitRequest = new java.util.HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                learn(e);
                if (e instanceof NetworkDeliver d && d.messageType().equals("InitProducerIdRequest")) {
                    lastInitRequest.put(d.destination(), d.source());
                } else if (e instanceof CoordinatorInitProducerId c && lastInitRequest.containsKey(c.broker())) {
                    initFrom.put(i + 1L, (long) lastInitRequest.get(c.broker()));
                } else if (e instanceof CoordinatorFence c && lastInitRequest.containsKey(c.broker())) {
                    initFrom.put(i + 1L, (long) lastInitRequest.get(c.broker()));
                }
            }
            if (brokers.isEmpty()) {
                brokers.add(0L);
            }
            if (producers.isEmpty()) {
                producers.add(100L);
            }
            if (partitions.isEmpty()) {
                partitions.add(0L);
            }
            if (coordinator < 0 || !brokers.contains(coordinator)) {
                coordinator = brokers.first();
            }
            for (Long p : producers) {
                sendOrder.putIfAbsent(p, new ArrayList<>());
            }
            for (Long r : records) {
                partitionOf.putIfAbsent(r, partitions.first());
                txnOf.putIfAbsent(r, -1L);
            }
            for (Long p : partitions) {
                leaderOf.putIfAbsent(p, brokers.first());
            }
        }

        long partitionNumber(TopicPartition tp) {
            return numbers.getOrDefault(tp, 0L);
        }

        private void learn(Event e) {
            Map<String, Object> c = components(e);
            for (String k : List.of("producer", "oldProducer", "newProducer")) {
                if (c.get(k) instanceof Number n) {
                    producers.add(n.longValue());
                }
            }
            if (c.get("broker") instanceof Number b) {
                brokers.add(b.longValue());
                // an event naming a broker and a partition comes from (or goes to) the partition's leader
                if (c.get("topicPartition") instanceof TopicPartition tp) {
                    leaderOf.putIfAbsent(partitionNumber(tp), b.longValue());
                } else if (e.name().startsWith("Coordinator") && coordinator < 0) {
                    coordinator = b.longValue();
                }
            }
            if (e.name().equals("BrokerAck") && c.get("destination") instanceof Number d) {
                producers.add(d.longValue());
            }
            if (c.get("recordId") instanceof Number r) {
                records.add(r.longValue());
            }
            if (c.get("recordIds") instanceof Collection<?> ids) {
                ids.stream().filter(Number.class::isInstance).map(x -> ((Number) x).longValue()).forEach(records::add);
                if (e.name().startsWith("Producer")) {
                    maxBatch = Math.max(maxBatch, ids.size());
                }
            }
            if (e.name().equals("ProducerSend") && c.get("producer") instanceof Number p
                    && c.get("recordId") instanceof Number r && c.get("topicPartition") instanceof TopicPartition tp) {
                sendOrder.computeIfAbsent(p.longValue(), k -> new ArrayList<>()).add(r.longValue());
                partitionOf.putIfAbsent(r.longValue(), partitionNumber(tp));
                if (c.get("transactionIndex") instanceof Number t) {
                    txnOf.putIfAbsent(r.longValue(), t.longValue());
                    maxTxnIndex = Math.max(maxTxnIndex, t.longValue());
                }
            }
            if (e.name().equals("ProducerBeginTxn") && c.get("transactionIndex") instanceof Number t) {
                maxTxnIndex = Math.max(maxTxnIndex, t.longValue());
            }
        }

        private static Map<String, Object> components(Event e) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (RecordComponent c : e.getClass().getRecordComponents()) {
                try {
                    m.put(c.getName(), c.getAccessor().invoke(e));
                } catch (ReflectiveOperationException | RuntimeException ex) {
                    // an unreadable component is simply not learnt from
                }
            }
            return m;
        }
    }
}
