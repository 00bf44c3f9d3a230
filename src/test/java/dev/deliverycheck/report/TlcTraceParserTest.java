package dev.deliverycheck.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.tlc.ModelCheck;
import dev.deliverycheck.tlc.ModelManifest;
import dev.deliverycheck.tlc.ProjectRoot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Counterexample states read from TLC's output, on a small hand-written transcript and on a real TLC run. */
class TlcTraceParserTest {
    private static final List<String> TRANSCRIPT = List.of(
            "Error: Invariant NoDuplicate is violated.",
            "Error: The behavior up to this point is:",
            "State 1: <Initial predicate>",
            "/\\ log = (0 :> <<>>)",
            "/\\ aux = [ crash |-> 0,",
            "  timeout |-> 0 ]",
            "",
            "State 2: <ProducerSend line 298, col 5 to line 306, col 53 of module DeliveryBase>",
            "/\\ log = (0 :> <<>>)",
            "/\\ aux = [ crash |-> 0,",
            "  timeout |-> 1 ]",
            "",
            "State 3: <Next line 22, col 29 to line 22, col 103 of module AtLeastOnce>",
            "/\\ log = (0 :> <<1>>)",
            "/\\ aux = [ crash |-> 0,",
            "  timeout |-> 1 ]",
            "",
            "588 states generated, 284 distinct states found, 132 states left on queue.");

    @Test
    void readsStatesJoinsMultiLineValuesAndDiffsSteps() {
        TlaTrace t = TlcTraceParser.parse("M", TRANSCRIPT, List.of("ProducerSend", "BrokerAppend"));
        assertThat(t.violated()).isEqualTo("NoDuplicate");
        assertThat(t.states()).extracting(TlaTrace.State::action).containsExactly("Init", "ProducerSend", "BrokerAppend");
        assertThat(t.states().get(0).variables()).containsExactly(Map.entry("log", "(0 :> <<>>)"),
                Map.entry("aux", "[ crash |-> 0, timeout |-> 0 ]"));
        assertThat(t.diff(0)).hasSize(2);
        assertThat(t.diff(1)).containsExactly(new TlaTrace.Change("aux", "[ crash |-> 0, timeout |-> 0 ]", "[ crash |-> 0, timeout |-> 1 ]"));
        assertThat(t.diff(2)).containsExactly(new TlaTrace.Change("log", "(0 :> <<>>)", "(0 :> <<1>>)"));
    }

    @Test
    void keepsTlcsOwnNamesWhenTheResolvedNamesDoNotLineUp() {
        TlaTrace t = TlcTraceParser.parse("M", TRANSCRIPT, List.of("OnlyOne"));
        assertThat(t.states()).extracting(TlaTrace.State::action).containsExactly("Init", "ProducerSend", "Next");
    }

    @Test
    void aRealCounterexampleIsDrawnWithTheLanesAndNamesOfTheJavaDiagrams() {
        ModelManifest manifest = ModelManifest.read(ProjectRoot.tlaDir(ProjectRoot.locate()).resolve("models.json"));
        ModelCheck check = new ModelCheck("MCAtLeastOnce_NoDuplicate", "violates NoDuplicate", "violates NoDuplicate", 284, 1,
                true, List.of());
        TlaTrace t = TlcCounterexamples.capture(manifest, List.of(check), ProjectRoot.tlaDir(ProjectRoot.locate()))
                .get("MCAtLeastOnce_NoDuplicate");
        assertThat(t.violated()).isEqualTo("NoDuplicate");
        assertThat(t.states()).hasSizeGreaterThan(2);
        assertThat(t.states()).extracting(TlaTrace.State::action).doesNotContain("Next")
                .allMatch(a -> a.equals("Init") || a.matches("(Producer|Broker|Coordinator|Network|Consumer)[A-Z]\\w*"));
        assertThat(t.states().get(0).variables()).containsKeys("log", "net", "bUp", "pState");
        for (int i = 1; i < t.states().size(); i++) {
            assertThat(t.diff(i)).as("state %d changes something", i + 1).isNotEmpty();
        }
        Diagram d = TlaTraceDiagram.of(t);
        assertThat(d.lanes()).containsExactly(EventDiagram.APPLICATION, "producer 100", "broker 0", EventDiagram.READER);
        assertThat(d.items().stream().filter(x -> x instanceof Diagram.Note n && n.label().equals("BrokerAppend")).count())
                .as("the record appended twice").isEqualTo(2);
        assertThat(d.items().get(d.items().size() - 1)).isEqualTo(new Diagram.Banner("NoDuplicate violated in state "
                + t.states().size() + " (TLC on MCAtLeastOnce_NoDuplicate)"));
    }

    @Test
    void theZombieModelsActionsLandOnTheLaneOfTheInstanceThatActed() {
        ModelManifest manifest = ModelManifest.read(ProjectRoot.tlaDir(ProjectRoot.locate()).resolve("models.json"));
        String model = "MCExactlyOnceZombie_ReachZombieFenced";
        ModelCheck check = new ModelCheck(model, "violates ReachZombieFenced", "violates ReachZombieFenced", 1, 1, true, List.of());
        TlaTrace t = TlcCounterexamples.capture(manifest, List.of(check), ProjectRoot.tlaDir(ProjectRoot.locate())).get(model);
        Diagram d = TlaTraceDiagram.of(t);
        assertThat(d.lanes()).contains("producer 100", "producer 101", EventDiagram.COORDINATOR);
        assertThat(d.items()).contains(new Diagram.Bar("producer 101", "ProducerRestart", false));
        assertThat(d.items()).as("the zombie is fenced").contains(new Diagram.Arrow(EventDiagram.COORDINATOR, "producer 100",
                "ProducerFenced", false, true));
    }
}
