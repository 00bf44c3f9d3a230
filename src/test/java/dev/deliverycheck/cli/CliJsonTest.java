package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Expectation;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.TraceSampler;
import dev.deliverycheck.json.Json;
import dev.deliverycheck.tlc.CoverageGate;
import dev.deliverycheck.tlc.ModelCheck;
import dev.deliverycheck.tlc.ModelManifest;
import dev.deliverycheck.tlc.TraceValidation;
import dev.deliverycheck.wire.harness.RealExplorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the {@code --json} documents of verify, check-models and kafka byte for byte (key order, number
 * forms, nulls): scripts read them, and the expected strings were taken from the hand-built maps
 * these documents were before they became records.
 */
class CliJsonTest {
    private static final String PIN_KAFKA = "{\"mode\":\"at-least-once\",\"target\":\"managed\",\"client\":\"ours\",\"producerConfig\":\"pres"
            + "et at-least-once\",\"runs\":20,\"seed\":7,\"invariants\":{\"NoDuplicate\":{\"expected\":\"violat"
            + "ed\",\"observed\":\"violated\",\"ok\":true,\"violatedRuns\":3,\"seed\":1104,\"originalSteps\":12"
            + ",\"shrunkSteps\":3,\"faultSteps\":2,\"schedule\":\"replays/kafka-x.schedule\",\"explanation\":\""
            + "record 7 appears twice\",\"shrinkRuns\":9,\"replays\":5,\"reproduced\":4,\"secondsToFind\":12.3,"
            + "\"secondsToShrink\":60.0},\"NoLoss\":{\"expected\":\"holds\",\"observed\":\"holds\",\"ok\":true,"
            + "\"violatedRuns\":0}},\"seconds\":93.3,\"runsPerMinute\":12.9,\"ok\":true}";
    private static final String PIN_VERIFY = "{\"matrix\":{\"at-most-once\":{\"NoDuplicate\":{\"expected\":\"holds\",\"tlc\":\"holds\",\"code\":\"holds\",\"model"
            + "s\":[\"MCAtMostOnce\"],\"ok\":true},\"NoLoss\":{\"expected\":\"violated\",\"tlc\":\"violated\",\"code\":\"violated"
            + "\",\"models\":[\"MCAtMostOnce_NoLoss\"],\"ok\":true},\"AckedDurable\":{\"expected\":\"holds\",\"tlc\":\"holds\",\""
            + "code\":\"holds\",\"models\":[\"MCAtMostOnce\"],\"ok\":true},\"PartitionOrder\":{\"expected\":\"holds\",\"tlc\":\"n"
            + "one\",\"code\":\"holds\",\"models\":[],\"ok\":false}},\"at-least-once\":{\"NoDuplicate\":{\"expected\":\"violate"
            + "d\",\"tlc\":\"none\",\"code\":\"none\",\"models\":[],\"ok\":false},\"NoLoss\":{\"expected\":\"holds\",\"tlc\":\"none\","
            + "\"code\":\"none\",\"models\":[],\"ok\":false},\"AckedDurable\":{\"expected\":\"holds\",\"tlc\":\"none\",\"code\":\"no"
            + "ne\",\"models\":[],\"ok\":false},\"PartitionOrder\":{\"expected\":\"violated\",\"tlc\":\"none\",\"code\":\"none\",\""
            + "models\":[],\"ok\":false}},\"idempotent\":{\"NoDuplicate\":{\"expected\":\"holds\",\"tlc\":\"none\",\"code\":\"non"
            + "e\",\"models\":[],\"ok\":false},\"NoLoss\":{\"expected\":\"holds\",\"tlc\":\"none\",\"code\":\"none\",\"models\":[],\""
            + "ok\":false},\"AckedDurable\":{\"expected\":\"holds\",\"tlc\":\"none\",\"code\":\"none\",\"models\":[],\"ok\":false}"
            + ",\"PartitionOrder\":{\"expected\":\"holds\",\"tlc\":\"none\",\"code\":\"none\",\"models\":[],\"ok\":false}},\"exact"
            + "ly-once\":{\"NoDuplicate\":{\"expected\":\"holds\",\"tlc\":\"none\",\"code\":\"none\",\"models\":[],\"ok\":false},\""
            + "NoLoss\":{\"expected\":\"holds\",\"tlc\":\"none\",\"code\":\"none\",\"models\":[],\"ok\":false},\"AckedDurable\":{\""
            + "expected\":\"holds\",\"tlc\":\"none\",\"code\":\"none\",\"models\":[],\"ok\":false},\"PartitionOrder\":{\"expected"
            + "\":\"holds\",\"tlc\":\"none\",\"code\":\"none\",\"models\":[],\"ok\":false},\"AtomicCommit\":{\"expected\":\"holds\","
            + "\"tlc\":\"none\",\"code\":\"none\",\"models\":[],\"ok\":false},\"ZombieFenced\":{\"expected\":\"holds\",\"tlc\":\"non"
            + "e\",\"code\":\"none\",\"models\":[],\"ok\":false}}},\"models\":[{\"name\":\"MCAtMostOnce\",\"expected\":\"holds\",\""
            + "observed\":\"holds\",\"distinctStates\":7742,\"seconds\":3.14159,\"ok\":true},{\"name\":\"MCAtMostOnce_NoLos"
            + "s\",\"expected\":\"violates NoLoss\",\"observed\":\"violates NoLoss\",\"distinctStates\":513,\"seconds\":0.25"
            + ",\"ok\":true}],\"explore\":{\"at-most-once\":{\"mode\":\"at-most-once\",\"runs\":100,\"steps\":50,\"seed\":3,\"in"
            + "variants\":{\"NoDuplicate\":{\"expected\":\"holds\",\"observed\":\"holds\",\"ok\":true},\"NoLoss\":{\"expected\":"
            + "\"violated\",\"observed\":\"violated\",\"ok\":true},\"AckedDurable\":{\"expected\":\"holds\",\"observed\":\"holds"
            + "\",\"ok\":true},\"PartitionOrder\":{\"expected\":\"holds\",\"observed\":\"holds\",\"ok\":true}},\"Progress\":{\"ex"
            + "pected\":\"holds\",\"observed\":\"holds\",\"violatingRuns\":0},\"coverage\":{},\"undercovered\":[],\"unsettled"
            + "Runs\":0,\"schedulesPerSecond\":12.3,\"schedulesPerCpuSecond\":5.7,\"ok\":true}},\"runsPerMode\":100,\"sec"
            + "onds\":12.3,\"ok\":false,\"traceValidation\":{\"at-most-once\":{\"validated\":1,\"accepted\":1,\"events\":40,"
            + "\"seconds\":1.3,\"eventsPerSecond\":32,\"rejected\":[],\"ok\":true}}}";
    private static final String PIN_CHECK_MODELS = "{\"models\":[{\"name\":\"MCIdempotent\",\"expected\":\"holds\",\"observed\":\"holds\",\"distinct"
            + "States\":49098,\"seconds\":3.1,\"ok\":true,\"counterexample\":[]},{\"name\":\"MCAtLeastOnceDup\""
            + ",\"expected\":\"violated NoDuplicate\",\"observed\":\"violated NoDuplicate\",\"distinctStates\":"
            + "-1,\"seconds\":0.1,\"ok\":true,\"counterexample\":[\"Init\",\"ProducerSend\",\"NetworkLoseRespon"
            + "se\"]}],\"ok\":false}";

    @Test
    void kafkaJsonKeepsItsKeysOrderAndNumberForms() {
        Map<Invariant, RealExplorer.Outcome> invariants = new LinkedHashMap<>();
        RealExplorer.Finding finding = new RealExplorer.Finding(1104L, 12, 3, 2L, Path.of("replays/kafka-x.schedule"), null,
                "record 7 appears twice", 9, 5, 4, 12.345, 60.04);
        invariants.put(Invariant.NO_DUPLICATE, new RealExplorer.Outcome(Invariant.NO_DUPLICATE, Expectation.VIOLATED,
                false, 3, finding, null));
        invariants.put(Invariant.NO_LOSS, new RealExplorer.Outcome(Invariant.NO_LOSS, Expectation.HOLDS, true, 0, null,
                null));
        RealExplorer.Report report = new RealExplorer.Report(Mode.AT_LEAST_ONCE, "preset at-least-once", 20, 7L,
                invariants, 93.26, 12.87);

        assertThat(KafkaCommand.json(report, "managed", "ours")).isEqualTo(PIN_KAFKA);
    }

    @Test
    void verifyJsonKeepsItsKeysOrderAndNumberForms(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("models.json"), """
                {"models": [
                  {"name": "MCAtMostOnce", "spec": "MCAtMostOnce.tla", "config": "MCAtMostOnce.cfg",
                   "expected": "holds", "distinctStates": 7742},
                  {"name": "MCAtMostOnce_NoLoss", "spec": "MCAtMostOnce.tla", "config": "MCAtMostOnce_NoLoss.cfg",
                   "expected": "violates NoLoss", "distinctStates": 513}
                ]}
                """);
        Files.writeString(dir.resolve("MCAtMostOnce.cfg"), "INVARIANTS NoDuplicate AckedDurable\n");
        Files.writeString(dir.resolve("MCAtMostOnce_NoLoss.cfg"), "INVARIANT NoLoss\n");
        Files.writeString(dir.resolve("MCAtMostOnce.tla"), "---- MODULE MCAtMostOnce ----\n====\n");
        ModelManifest manifest = ModelManifest.read(dir.resolve("models.json"));
        List<ModelCheck> checks = List.of(
                new ModelCheck("MCAtMostOnce", "holds", "holds", 7742, 3.14159, true, List.of(), null),
                new ModelCheck("MCAtMostOnce_NoLoss", "violates NoLoss", "violates NoLoss", 513, 0.25, true,
                        List.of("Init", "NetworkLoseRequest"), null));
        Map<Invariant, ExploreReport.InvariantOutcome> outcomes = new LinkedHashMap<>();
        for (Invariant inv : Mode.AT_MOST_ONCE.invariants()) {
            boolean holds = inv != Invariant.NO_LOSS;
            outcomes.put(inv, new ExploreReport.InvariantOutcome(inv, Mode.AT_MOST_ONCE.expected(inv), holds, null));
        }
        Map<Mode, ExploreReport> explored = new EnumMap<>(Mode.class);
        explored.put(Mode.AT_MOST_ONCE, new ExploreReport(Mode.AT_MOST_ONCE, 100, 50, 3L, outcomes, Map.of(), Set.of(), 0,
                12.34, 5.678, "real"));
        Map<Mode, TraceSampler.Report> traced = new EnumMap<>(Mode.class);
        traced.put(Mode.AT_MOST_ONCE, new TraceSampler.Report(Mode.AT_MOST_ONCE, List.of(
                new TraceSampler.Sampled(3L, 40, new TraceValidation(true, 40, -1, null, 1.25, 99)))));
        OutcomeMatrix matrix = new OutcomeMatrix(manifest, checks, explored);

        assertThat(VerifyCommand.json(matrix, checks, explored, traced, false, 12.345, 100, null)).isEqualTo(PIN_VERIFY);
    }

    @Test
    void checkModelsJsonKeepsItsKeysOrderAndNulls() {
        List<ModelCheck> checks = List.of(
                new ModelCheck("MCIdempotent", "holds", "holds", 49098, 3.14159, true, List.of(), null),
                new ModelCheck("MCAtLeastOnceDup", "violated NoDuplicate", "violated NoDuplicate", -1, 0.05, true,
                        List.of("Init", "ProducerSend", "NetworkLoseResponse"), null));

        assertThat(CheckModelsCommand.json(checks, false, null)).isEqualTo(PIN_CHECK_MODELS);
    }

    @Test
    void checkModelsJsonCarriesTheCoverageGateInAFixedKeyOrder() {
        CoverageGate.Report coverage = new CoverageGate.Report(
                List.of(new CoverageGate.SpecSummary("Idempotent", 2, 10, 9, 40, 38)), List.of("Idempotent:Next:3"),
                List.of("Idempotent:Next:4"), List.of("Idempotent:Next:9"));
        List<ModelCheck> checks = List.of(new ModelCheck("MCIdempotent", "holds", "holds", 49098, 1.0, true, List.of(),
                null));

        // Before the record the coverage object was a Map.of, whose key order changes from one JVM to the next; it
        // is fixed now: ok, unreached, stale, specs.
        assertThat(CheckModelsCommand.json(checks, false, coverage)).isEqualTo("{\"models\":[{\"name\":\"MCIdempotent\","
                + "\"expected\":\"holds\",\"observed\":\"holds\",\"distinctStates\":49098,\"seconds\":1.0,\"ok\":true,"
                + "\"counterexample\":[]}],\"ok\":false,\"coverage\":{\"ok\":false,\"unreached\":[\"Idempotent:Next:3\"],"
                + "\"stale\":[\"Idempotent:Next:9\"],\"specs\":[" + Json.write(coverage.specs().get(0).toString()) + "]}}");
    }
}
