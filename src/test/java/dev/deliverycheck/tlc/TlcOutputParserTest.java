package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TlcOutputParserTest {
    private final TlcOutputParser parser = new TlcOutputParser(
            (module, line, col, endLine, endCol) -> module.equals("AtMostOnce") && line == 31 ? "ProducerSendFailed" : null);

    @Test
    void readsASuccessfulRun() {
        TlcResult r = parser.parse(0, List.of(
                "Progress(10) at 2026-11-25 15:20:46: 4,249 states generated (4,249 s/min), 1,687 distinct states found (1,687 ds/min), 763 states left on queue.",
                "Model checking completed. No error has been found.",
                "20155 states generated, 7004 distinct states found, 0 states left on queue."), 3.5);
        assertThat(r.outcome()).isEqualTo(Outcome.holds());
        assertThat(r.distinctStates()).isEqualTo(7004);
        assertThat(r.statesGenerated()).isEqualTo(20155);
        assertThat(r.counterexample()).isEmpty();
        assertThat(r.seconds()).isEqualTo(3.5);
    }

    @Test
    void readsAnInvariantViolationAndNamesEveryStep() {
        TlcResult r = parser.parse(12, List.of(
                "Error: Invariant NoLoss is violated.",
                "Error: The behavior up to this point is:",
                "State 1: <Initial predicate>",
                "/\\ x = 1",
                "State 2: <ProducerSend line 290, col 5 to line 298, col 53 of module DeliveryBase>",
                "State 3: <Next line 31, col 29 to line 31, col 78 of module AtMostOnce>",
                "State 4: <BrokerCrash line 558, col 5 to line 572, col 38 of module DeliveryBase>",
                "2332 states generated, 1022 distinct states found, 434 states left on queue."), 1.0);
        assertThat(r.outcome()).isEqualTo(Outcome.violates("NoLoss"));
        assertThat(r.counterexample()).containsExactly("ProducerSend", "ProducerSendFailed", "BrokerCrash");
        assertThat(r.distinctStates()).isEqualTo(1022);
    }

    @Test
    void keepsTheReportedNameWhenTheSourceCannotBeRead() {
        TlcResult r = parser.parse(12, List.of("Error: Invariant Inv is violated.",
                "State 2: <Next line 9, col 1 to line 9, col 20 of module Other>"), 1.0);
        assertThat(r.counterexample()).containsExactly("Next");
    }

    @Test
    void readsDeadlockParseErrorsAndUnknownFailures() {
        assertThat(parser.parse(11, List.of("Error: Deadlock reached."), 1).outcome()).isEqualTo(Outcome.deadlock());
        TlcResult parse = parser.parse(150, List.of("Unknown operator: `p'.", "Error: Parsing or semantic analysis failed."), 1);
        assertThat(parse.outcome().kind()).isEqualTo(Outcome.Kind.ERROR);
        assertThat(parse.outcome().detail()).contains("could not parse").contains("Unknown operator");
        assertThat(parse.errorLines()).hasSize(2);
        assertThat(parser.parse(75, List.of("Error: TLC threw an unexpected exception."), 1).outcome().detail())
                .contains("exit code 75");
        assertThat(parser.parse(12, List.of("no error line"), 1).outcome().kind()).isEqualTo(Outcome.Kind.ERROR);
    }

    @Test
    void readsTemporalViolations() {
        assertThat(parser.parse(13, List.of("Error: Temporal properties were violated."), 1).outcome())
                .isEqualTo(Outcome.violates("temporal property"));
    }

    @Test
    void readsProgressLines() {
        assertThat(TlcOutputParser.progressDistinct(
                "Progress(22) at 2026-11-25 15:29:23: 524,971 states generated (523,209 s/min), 125,538 distinct states found (124,694 ds/min), 27,608 states left on queue."))
                .isEqualTo(125_538);
        assertThat(TlcOutputParser.progressDistinct("Starting...")).isEqualTo(-1);
    }
}
