package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The main job end to end, as a user runs it: {@code deliverycheck verify --quick --json} checks
 * the matrix models with TLC, explores all four modes on the real code, validates one trace per
 * mode, and every cell of DESIGN.md's outcome matrix must match (expected = TLC = code).
 */
class VerifyQuickTest {
    @TempDir
    Path replays;

    @Test
    @SuppressWarnings("unchecked")
    void everyCellOfTheOutcomeMatrixMatches() {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("verify", "--quick", "--json", "--out", replays.toString());

        assertThat(code).as("exit code; stderr:%n%s", err).isZero();
        Map<String, Object> report = (Map<String, Object>) Json.parse(out.toString());
        assertThat(report).containsEntry("ok", true).containsEntry("runsPerMode", (long) VerifyCommand.QUICK_RUNS);
        Map<String, Map<String, Map<String, Object>>> matrix = (Map<String, Map<String, Map<String, Object>>>) report.get("matrix");
        assertThat(matrix).containsOnlyKeys("at-most-once", "at-least-once", "idempotent", "exactly-once");
        matrix.forEach((mode, row) -> row.forEach((invariant, cell) -> {
            assertThat(cell.get("expected")).as("%s %s", mode, invariant).isIn("holds", "violated");
            assertThat(cell.get("tlc")).as("%s %s TLC", mode, invariant).isEqualTo(cell.get("expected"));
            assertThat(cell.get("code")).as("%s %s code", mode, invariant).isEqualTo(cell.get("expected"));
        }));
        assertThat(matrix.get("exactly-once")).containsKeys("AtomicCommit", "ZombieFenced");
        Map<String, Map<String, Object>> traces = (Map<String, Map<String, Object>>) report.get("traceValidation");
        assertThat(traces).hasSize(4).allSatisfy((mode, t) -> {
            assertThat(t.get("validated")).as(mode).isEqualTo(1L);
            assertThat(t.get("accepted")).as(mode).isEqualTo(1L);
        });
    }
}
