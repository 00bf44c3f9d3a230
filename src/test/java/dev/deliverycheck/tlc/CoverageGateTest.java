package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate on a real TLC run of a spec with an action that is never enabled and a branch never taken. */
class CoverageGateTest {
    private static final String GATE = """
            ---- MODULE Gate ----
            EXTENDS Naturals
            VARIABLE x
            Init == x = 0
            GateStep == \\/ x < 2 /\\ x' = x + 1
                        \\/ x = 7 /\\ x' = 0
            GateNever == x > 5 /\\ x' = 0
            GateRest == x = 2 /\\ \\/ x' = x
                                 \\/ x > 4 /\\ x' = 1
            Next == GateStep \\/ GateNever \\/ GateRest
            ====
            """;

    @TempDir
    static Path dir;
    static Coverage coverage;
    static ModuleSources sources;

    @BeforeAll
    static void runTlcWithCoverage() throws Exception {
        Files.writeString(dir.resolve("Gate.tla"), GATE);
        Files.writeString(dir.resolve("Gate.cfg"), "INIT Init\nNEXT Next\n");
        TlcResult r = new TlcRunner(dir).withProgress(null).withCoverage(true).run(dir.resolve("Gate.tla"),
                dir.resolve("Gate.cfg"));
        assertThat(r.outcome()).isEqualTo(Outcome.holds());
        coverage = r.coverage();
        sources = new ModuleSources(dir);
    }

    private static final List<ModelManifest.Unreachable> EXEMPT = List.of(
            new ModelManifest.Unreachable("Gate!GateStep: x = 7 /\\ x' = 0", "x stops at 2"),
            new ModelManifest.Unreachable("Gate!GateNever", "x stops at 2"),
            new ModelManifest.Unreachable("Gate!GateRest: x' = 1", "x stops at 2"));

    private static CoverageGate.Report gate(List<ModelManifest.Unreachable> exempt) {
        return new CoverageGate(sources, exempt).evaluate(Map.of("Gate", List.of(coverage)));
    }

    @Test
    void listsTheActionNeverEnabledAndTheBranchNeverTaken() {
        CoverageGate.Report r = gate(List.of());
        assertThat(r.ok()).isFalse();
        assertThat(r.unreached()).containsExactlyInAnyOrder("Gate!GateStep: x = 7 /\\ x' = 0", "Gate!GateNever",
                "Gate!GateRest: x' = 1");
        assertThat(r.specs()).singleElement().satisfies(s -> {
            assertThat(s.actions()).isEqualTo(4);
            assertThat(s.actionsEnabled()).isEqualTo(2);
            assertThat(s.branchesEvaluated()).isLessThan(s.branches());
        });
    }

    @Test
    void passesWhenBothAreListedAsUnreachable() {
        CoverageGate.Report r = gate(EXEMPT);
        assertThat(r.ok()).isTrue();
        assertThat(r.exempt()).hasSize(3);
    }

    @Test
    void failsOnAnExemptionThatNamesSomethingReached() {
        List<ModelManifest.Unreachable> exempt = new java.util.ArrayList<>(EXEMPT);
        exempt.add(new ModelManifest.Unreachable("Gate!GateRest", "wrong: it is reached"));
        CoverageGate.Report r = gate(exempt);
        assertThat(r.ok()).isFalse();
        assertThat(r.stale()).containsExactly("Gate!GateRest");
    }
}
