package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.event.BrokerAck;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.BrokerDuplicate;
import dev.deliverycheck.event.BrokerRecoverPartition;
import dev.deliverycheck.event.BrokerReject;
import dev.deliverycheck.event.BrokerVerifyPartition;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkLoseRequest;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerFenced;
import dev.deliverycheck.event.ProducerRestart;
import dev.deliverycheck.event.ProducerSendBatch;
import dev.deliverycheck.explore.RunResult;
import dev.deliverycheck.explore.ScheduleGenerator;
import dev.deliverycheck.explore.ScheduleRunner;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.sim.BrokerFactory;
import dev.deliverycheck.sim.SimulationConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The real producer and broker, run by the explorer with random faults, checked against the TLA+
 * spec of their mode: every event of each run must be explained (TraceValidator). Per mode, the
 * first 20 x {@code deliverycheck.budget} runs (seeds 1, 2, ...) that contain at least one fault
 * (a lost request or ACK, a broker crash or a producer restart) are validated; fixed seeds, so a
 * failure names a reproducible run ({@code deliverycheck replay} of the same mode and seed).
 */
class ExploredTracesTest {
    private static final int STEPS = 60;
    /** Bound on TLC's distinct states per event of a validated trace (at most 2.3 measured in issue 15). */
    private static final long STATES_PER_EVENT = 4;
    static final TraceValidator VALIDATOR =
            new TraceValidator(ProjectRoot.tlaDir(ProjectRoot.locate())).withProgress(null);

    private static int runsPerMode() {
        return 20 * Math.max(1, Integer.getInteger("deliverycheck.budget", 1));
    }

    static RunResult run(Mode mode, long seed) {
        return run(SimulationConfig.forExploration(mode), seed);
    }

    private static RunResult run(SimulationConfig config, long seed) {
        return new ScheduleGenerator(config.mode()).generate(seed, STEPS, new ScheduleRunner(config));
    }

    /** Whether some EndTxn of the run succeeded and handed its producer another epoch (KIP-890 part 2). */
    static boolean endTxnBumpedAnEpoch(List<Event> events) {
        Map<List<Integer>, Short> sentWith = new HashMap<>();
        for (Event e : events) {
            if (e instanceof ProducerEndTxn end) {
                sentWith.put(List.of(end.producer(), end.transactionIndex()), end.producerEpoch());
            } else if (e instanceof ProducerEndTxnResult r && r.error() == null) {
                Short before = sentWith.get(List.of(r.producer(), r.transactionIndex()));
                if (before != null && before != r.producerEpoch()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The faults a run went through, e.g. "2 lost requests, 1 broker crash"; empty if none. */
    static String faults(List<Event> events) {
        Map<String, Long> counts = new TreeMap<>();
        for (Event e : events) {
            String kind = e instanceof NetworkLoseRequest ? "lost requests"
                    : e instanceof NetworkLoseResponse ? "lost responses"
                    : e instanceof BrokerCrash ? "broker crashes"
                    : e instanceof ProducerRestart ? "producer restarts" : null;
            if (kind != null) {
                counts.merge(kind, 1L, Long::sum);
            }
        }
        return counts.entrySet().stream().map(c -> c.getValue() + " " + c.getKey()).collect(Collectors.joining(", "));
    }

    /**
     * Explored runs that trace validation rejects and that are not yet explained: mode -> seed ->
     * index of the first event no behaviour of the spec explains. Each is written up in
     * spec/tla-trace.md ("Open rejections").
     */
    private static final Map<Mode, Map<Long, Integer>> OPEN_REJECTIONS = Map.of();

    /**
     * Validations run on one thread per core (each is a single-worker TLC child JVM), started when
     * a mode's factory lists its runs; each dynamic test waits for its own run's verdict.
     */
    private static final ExecutorService TLC_JOBS = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()));

    @AfterAll
    static void stopJobs() {
        TLC_JOBS.shutdownNow();
    }

    private static CompletableFuture<TraceValidation> validating(Mode mode, List<Event> events) {
        return CompletableFuture.supplyAsync(() -> VALIDATOR.validate(mode, events), TLC_JOBS);
    }

    private static Stream<DynamicTest> explored(Mode mode) {
        List<Map.Entry<Long, RunResult>> runs = LongStream.iterate(1, seed -> seed + 1)
                .mapToObj(seed -> Map.entry(seed, run(mode, seed)))
                .filter(r -> !faults(r.getValue().history().events()).isEmpty())
                .limit(runsPerMode())
                .toList();
        List<CompletableFuture<TraceValidation>> verdicts = runs.stream()
                .map(r -> validating(mode, r.getValue().history().events())).toList();
        return LongStream.range(0, runs.size()).mapToObj(i -> {
                    Map.Entry<Long, RunResult> r = runs.get((int) i);
                    CompletableFuture<TraceValidation> verdict = verdicts.get((int) i);
                    List<Event> events = r.getValue().history().events();
                    long seed = r.getKey();
                    Integer open = OPEN_REJECTIONS.getOrDefault(mode, Map.of()).get(seed);
                    if (open != null) {
                        // an open finding: checked to be still rejected exactly there, so that the
                        // entry goes (and this run is validated again) once the spec or the code is fixed
                        return DynamicTest.dynamicTest(mode.cliName() + " seed " + seed
                                + " (open finding, spec/tla-trace.md: rejected at event #" + open + ")", () -> {
                            TraceValidation v = verdict.join();
                            assertThat(v.ok()).as("%s seed %d is accepted now: remove it from OPEN_REJECTIONS and "
                                    + "spec/tla-trace.md", mode.cliName(), seed).isFalse();
                            assertThat(v.firstUnexplainedIndex()).isEqualTo(open);
                        });
                    }
                    return DynamicTest.dynamicTest(mode.cliName() + " seed " + seed + " (" + events.size()
                            + " events; " + faults(events) + ")", () -> {
                        TraceValidation v = verdict.join();
                        assertThat(v.ok()).as("%s seed %d: %s", mode.cliName(), seed, v.message()).isTrue();
                        assertThat(v.eventsMatched()).isEqualTo(events.size());
                        // each event is one step: a trace that leaves a choice of the run open multiplies
                        // the states per event (issue 15: 1,290,015 states for 164 events, 129 s)
                        assertThat(v.distinctStates()).as("%s seed %d: TLC states for %d events", mode.cliName(), seed,
                                events.size()).isBetween(1L, STATES_PER_EVENT * (events.size() + 1L));
                    });
                });
    }

    @TestFactory
    Stream<DynamicTest> atMostOnceRunsAreBehavioursOfTheSpec() {
        return explored(Mode.AT_MOST_ONCE);
    }

    @TestFactory
    Stream<DynamicTest> atLeastOnceRunsAreBehavioursOfTheSpec() {
        return explored(Mode.AT_LEAST_ONCE);
    }

    @TestFactory
    Stream<DynamicTest> idempotentRunsAreBehavioursOfTheSpec() {
        return explored(Mode.IDEMPOTENT);
    }

    @TestFactory
    Stream<DynamicTest> exactlyOnceRunsAreBehavioursOfTheSpec() {
        return explored(Mode.EXACTLY_ONCE);
    }

    /**
     * Seed 109 of a 60-step exactly-once exploration, the run that found the stale-marker bug:
     * the coordinator re-sent a WriteTxnMarkers request that had timed out while the first copy
     * was still on the wire, and the copy was written after CoordinatorComplete. The coordinator
     * now closes the connection of a timed-out marker request before resending (as Kafka's
     * NetworkClient does), so no marker follows completion; see spec/tla-trace.md.
     */
    @Test
    void exactlyOnceSeed109NoMarkerFollowsCompletion() {
        List<Event> events = run(Mode.EXACTLY_ONCE, 109).history().events();
        assertThat(VALIDATOR.validate(Mode.EXACTLY_ONCE, events).ok()).isTrue();
        assertThat(faults(events)).isNotEmpty();
    }

    /**
     * Teeth on real runs: in every mode, the first explored run (from seed 1) with an append the
     * producer later saw acknowledged, with that append removed, is rejected at that position or
     * later (the events before it are unchanged). An acknowledged append is chosen because an
     * append a crash later loses leaves a run that is still a behaviour of the spec without it.
     */
    @TestFactory
    Stream<DynamicTest> anExploredRunWithAnAcknowledgedAppendRemovedIsRejected() {
        return Stream.of(Mode.values()).map(mode -> DynamicTest.dynamicTest(mode.cliName(), () -> {
            for (long seed = 1; seed <= 200; seed++) {
                List<Event> events = run(mode, seed).history().events();
                int append = firstAcknowledgedAppend(events);
                if (append < 0) {
                    continue;
                }
                List<Event> altered = new ArrayList<>(events);
                altered.remove(append);
                TraceValidation v = VALIDATOR.validate(mode, altered);
                assertThat(v.ok()).as("%s seed %d without event #%d", mode.cliName(), seed, append).isFalse();
                assertThat(v.firstUnexplainedIndex()).isBetween(append, altered.size() - 1);
                assertThat(v.message()).contains("event #" + v.firstUnexplainedIndex() + " ");
                return;
            }
            throw new AssertionError(mode.cliName() + ": no run among seeds 1..200 had an acknowledged append");
        }));
    }

    /**
     * Index of the first BrokerAppend whose first record a later ProducerSendAcked reports at its
     * offset and that no other append wrote (a retry's second copy could stand in for it); -1 if none.
     */
    private static int firstAcknowledgedAppend(List<Event> events) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof BrokerAppend a && !a.recordIds().isEmpty()) {
                long first = a.recordIds().get(0);
                int self = i;
                boolean writtenTwice = java.util.stream.IntStream.range(0, events.size()).anyMatch(k -> k != self
                        && events.get(k) instanceof BrokerAppend other && other.recordIds().contains(first));
                if (writtenTwice) {
                    continue;
                }
                for (int k = i + 1; k < events.size(); k++) {
                    if (events.get(k) instanceof dev.deliverycheck.event.ProducerSendAcked ack && ack.recordId() == first
                            && ack.offset() == a.baseOffset() && ack.topicPartition().equals(a.topicPartition())) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /**
     * Teeth on a real run: a retry that the idempotent broker recognised as a duplicate, written
     * to the log again instead, is rejected at exactly that event.
     */
    @Test
    void anExploredIdempotentRunWithItsDuplicateWrittenAgainIsRejectedThere() {
        for (long seed = 1; seed <= 50; seed++) {
            List<Event> events = run(Mode.IDEMPOTENT, seed).history().events();
            int d = indexOf(events, BrokerDuplicate.class);
            if (d < 0) {
                continue;
            }
            BrokerDuplicate dup = (BrokerDuplicate) events.get(d);
            List<Long> records = null;
            long logEnd = 0;
            for (Event e : events.subList(0, d)) {
                if (e instanceof ProducerSendBatch b && b.topicPartition().equals(dup.topicPartition())
                        && b.baseSequence() == dup.baseSequence() && b.producerEpoch() == dup.producerEpoch()) {
                    records = b.recordIds();
                } else if (e instanceof BrokerAppend a && a.topicPartition().equals(dup.topicPartition())) {
                    logEnd = a.baseOffset() + a.recordIds().size();
                } else if (e instanceof BrokerRecoverPartition r && r.topicPartition().equals(dup.topicPartition())) {
                    logEnd = r.logEndOffset();
                }
            }
            if (records == null) {
                continue;
            }
            assertThat(VALIDATOR.validate(Mode.IDEMPOTENT, events).ok()).as("seed %d as run", seed).isTrue();
            List<Event> altered = new ArrayList<>(events);
            altered.set(d, new BrokerAppend(dup.broker(), dup.topicPartition(), dup.producerId(), dup.producerEpoch(),
                    dup.baseSequence(), logEnd, records, false));
            TraceValidation v = VALIDATOR.validate(Mode.IDEMPOTENT, altered);
            assertThat(v.ok()).as("seed %d with its duplicate appended", seed).isFalse();
            assertThat(v.firstUnexplainedIndex()).isEqualTo(d);
            assertThat(v.message()).contains("event #" + d + " BrokerAppend");
            return;
        }
        throw new AssertionError("no idempotent run among seeds 1..50 had a duplicate of a batch sent once");
    }

    /**
     * Teeth for the KIP-890 verification check on a real run: the first exactly-once run's first
     * BrokerVerifyPartition with its verdict turned round (a leader that refuses what the
     * coordinator confirmed) is rejected at exactly that event.
     */
    @Test
    void anExploredExactlyOnceRunWithAVerificationVerdictTurnedRoundIsRejectedThere() {
        // The first exactly-once run (from seed 1) in which a leader verified a partition.
        List<Event> events = LongStream.iterate(1, x -> x + 1).limit(1000)
                .mapToObj(x -> run(Mode.EXACTLY_ONCE, x).history().events())
                .filter(e -> indexOf(e, BrokerVerifyPartition.class) >= 0).findFirst().orElseThrow();
        int i = indexOf(events, BrokerVerifyPartition.class);
        BrokerVerifyPartition v = (BrokerVerifyPartition) events.get(i);
        List<Event> altered = new ArrayList<>(events);
        altered.set(i, new BrokerVerifyPartition(v.broker(), v.topicPartition(), v.producerId(), v.producerEpoch(),
                !v.verified()));
        TraceValidation result = VALIDATOR.validate(Mode.EXACTLY_ONCE, altered);
        assertThat(result.ok()).isFalse();
        assertThat(result.firstUnexplainedIndex()).isEqualTo(i);
    }

    static int indexOf(List<Event> events, Class<? extends Event> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A committed producer's EndTxn answer is lost, a new instance initialises, and the old
     * instance's retry (old epoch) is fenced. The spec delivered coordinator answers reliably and
     * had no such step (found at exactly-once seeds 1004 and 1155 of an earlier generator); it now
     * has (spec/tla-trace.md). The first two runs from seed 1000 that go through it must validate.
     */
    @Test
    void aFencedEndTxnRetryAfterALostAnswerIsExplained() {
        firstTwoExactlyOnceRunsValidate("runs from seed 1000 with a fenced EndTxn retry after a lost answer",
                ExploredTracesTest::fencedAfterALostEndTxnAnswer);
    }

    /**
     * The first two exactly-once runs from seed 1000 (of 20,000) that {@code shows} picks out must
     * be behaviours of the spec; finding them by their events, not by seed, keeps the test aimed
     * at its case when the schedule generator changes.
     */
    /**
     * Exactly-once runs of the seed searches below that trace validation rejects, not explained yet (spec/tla-trace.md,
     * "Open rejections"): seed -> the event it is rejected at. Each is checked to be still rejected exactly there and
     * is not counted, so the search validates the next runs that show the case; the entry goes when a fix lands.
     */
    private static final Map<Long, Integer> OPEN_EXACTLY_ONCE_REJECTIONS = Map.of();

    private static void firstTwoExactlyOnceRunsValidate(String what, Predicate<List<Event>> shows) {
        // Up to 20,000 runs: with long-tailed latencies (issue 16) some cases became rarer.
        List<Long> seeds = LongStream.iterate(1000, x -> x + 1).limit(20_000)
                .filter(x -> shows.test(run(Mode.EXACTLY_ONCE, x).history().events()))
                .filter(x -> {
                    Integer open = OPEN_EXACTLY_ONCE_REJECTIONS.get(x);
                    if (open == null) {
                        return true;
                    }
                    TraceValidation v = VALIDATOR.validate(Mode.EXACTLY_ONCE, run(Mode.EXACTLY_ONCE, x).history().events());
                    assertThat(v.ok()).as("exactly-once seed %d is accepted now: remove it from OPEN_EXACTLY_ONCE_REJECTIONS "
                            + "and spec/tla-trace.md", x).isFalse();
                    assertThat(v.firstUnexplainedIndex()).isEqualTo(open);
                    return false;
                })
                .limit(2).boxed().toList();
        assertThat(seeds).as(what).hasSize(2);
        for (long seed : seeds) {
            TraceValidation v = VALIDATOR.validate(Mode.EXACTLY_ONCE, run(Mode.EXACTLY_ONCE, seed).history().events());
            assertThat(v.ok()).as("seed %d: %s", seed, v.message()).isTrue();
        }
    }

    static boolean fencedAfterALostEndTxnAnswer(List<Event> events) {
        boolean lost = false;
        for (Event e : events) {
            if (e instanceof NetworkLoseResponse l && l.messageType().equals("EndTxnResponse")) {
                lost = true;
            } else if (lost && e instanceof ProducerFenced) {
                return true;
            }
        }
        return false;
    }

    /**
     * A Produce response answers every partition of its request at once; the Java broker logs
     * the answers (BrokerAck) in partition order, not in the order it reached its verdicts. The
     * spec let no answer pass an earlier error answer to the same producer, also not one of the
     * same response, so it rejected such runs at the first BrokerAck (exactly-once seeds 1801,
     * 1909, 2019, 2066 of a 60-step exploration); answers of one response now leave together
     * (spec/tla-trace.md). The first two runs from seed 1000 whose response logs an error answer
     * after an answer decided later must validate.
     */
    @Test
    void theAnswersOfOneResponseMayBeLoggedInAnyOrder() {
        firstTwoExactlyOnceRunsValidate("runs from seed 1000 with a response logged out of verdict order",
                ExploredTracesTest::errorAnswerLoggedAfterALaterVerdict);
    }

    /**
     * Whether some response's BrokerAck events (consecutive, same broker, destination and
     * correlation id) log an error answer after an answer whose verdict (the broker's latest
     * BrokerAppend, BrokerDuplicate or BrokerReject on that partition) came later than the
     * error's.
     */
    static boolean errorAnswerLoggedAfterALaterVerdict(List<Event> events) {
        Map<List<Object>, Integer> verdictAt = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (e instanceof BrokerAppend x) {
                verdictAt.put(List.of(x.broker(), x.topicPartition()), i);
            } else if (e instanceof BrokerDuplicate x) {
                verdictAt.put(List.of(x.broker(), x.topicPartition()), i);
            } else if (e instanceof BrokerReject x) {
                verdictAt.put(List.of(x.broker(), x.topicPartition()), i);
            } else if (e instanceof BrokerAck first && !(i > 0 && sameResponse(events.get(i - 1), first))) {
                int latest = -1;
                for (int j = i; j < events.size() && sameResponse(events.get(j), first); j++) {
                    BrokerAck a = (BrokerAck) events.get(j);
                    int verdict = verdictAt.getOrDefault(List.of(a.broker(), a.topicPartition()), -1);
                    if (a.error() != Errors.NONE && verdict < latest) {
                        return true;
                    }
                    latest = Math.max(latest, verdict);
                }
            }
        }
        return false;
    }

    private static boolean sameResponse(Event e, BrokerAck first) {
        return e instanceof BrokerAck a && a.broker() == first.broker() && a.destination() == first.destination()
                && a.correlationId() == first.correlationId();
    }

    /**
     * A batch held for its KIP-890 verification behind an earlier batch of its partition (its
     * verification request lost) is refused with a retriable error (NOT_ENOUGH_REPLICAS) when the
     * connection to the coordinator goes with the coordinator's crash -- although the earlier
     * batch's append has opened the transaction on the partition meanwhile. The spec admitted such
     * a refusal only while the coordinator was up, so it rejected these runs at the BrokerReject
     * (exactly-once seeds 1453, 1785, 2158, 2167); now also while it is down (spec/tla-trace.md).
     * The first two runs from seed 1000 with such a refusal must validate.
     */
    @Test
    void aHeldBatchIsRefusedWhenTheCoordinatorGoesDown() {
        firstTwoExactlyOnceRunsValidate("runs from seed 1000 refusing a held batch of an open transaction",
                ExploredTracesTest::refusedAlthoughItsTransactionWasOpen);
    }

    /**
     * Whether a leader refused a batch with NOT_ENOUGH_REPLICAS (a failed verification) while an
     * earlier transactional append of the same producer id and epoch had the transaction open on
     * that partition (no marker on it and no crash of the leader since).
     */
    static boolean refusedAlthoughItsTransactionWasOpen(List<Event> events) {
        Set<List<Object>> open = new HashSet<>();
        for (Event e : events) {
            if (e instanceof BrokerAppend a && a.transactional()) {
                open.add(List.of(a.broker(), a.topicPartition(), a.producerId(), a.producerEpoch()));
            } else if (e instanceof CoordinatorWriteMarker m) {
                open.removeIf(k -> k.get(1).equals(m.topicPartition()));
            } else if (e instanceof BrokerCrash c) {
                open.removeIf(k -> k.get(0).equals(c.broker()));
            } else if (e instanceof BrokerReject r && r.error() == Errors.NOT_ENOUGH_REPLICAS
                    && open.contains(List.of(r.broker(), r.topicPartition(), r.producerId(), r.producerEpoch()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The trace spec's BumpEpochPerTxn switch has teeth on real runs: the first exploration run in
     * which an EndTxn bumped the epoch is a behaviour of Kafka 4 (the default protocol) but not of
     * KIP-890 part 1 alone; the same schedule on a broker with the bump switched off
     * ({@code BrokerConfig.withBumpEpochPerTxn(false)}) is a behaviour of part 1 alone but not of Kafka 4.
     */
    @Test
    void theEpochBumpPerTransactionIsWhatTellsKafka4FromPart1Alone() {
        long seed = LongStream.iterate(1, x -> x + 1).limit(200)
                .filter(x -> endTxnBumpedAnEpoch(run(Mode.EXACTLY_ONCE, x).history().events()))
                .findFirst().orElseThrow(() -> new AssertionError("no run of 200 ended a transaction with a bump"));
        List<Event> bumped = run(Mode.EXACTLY_ONCE, seed).history().events();
        TraceValidator part1 = VALIDATOR.withProtocol(TraceExporter.Protocol.KIP_890_PART_1);
        assertThat(VALIDATOR.validate(Mode.EXACTLY_ONCE, bumped).ok()).isTrue();
        assertThat(part1.validate(Mode.EXACTLY_ONCE, bumped).ok()).as("seed %d", seed).isFalse();

        SimulationConfig noBump = SimulationConfig.forExploration(Mode.EXACTLY_ONCE).withBroker(
                SimulationConfig.SIMULATED_BROKER.withBumpEpochPerTxn(false).withAddPartitionsOnProduce(false),
                BrokerFactory.REAL, "no-epoch-bump-per-txn"); // part 1 alone: transaction version 1
        List<Event> unbumped = run(noBump, seed).history().events();
        assertThat(endTxnBumpedAnEpoch(unbumped)).isFalse();
        assertThat(part1.validate(Mode.EXACTLY_ONCE, unbumped).ok()).as("seed %d", seed).isTrue();
        assertThat(VALIDATOR.validate(Mode.EXACTLY_ONCE, unbumped).ok()).as("seed %d", seed).isFalse();
    }
}
