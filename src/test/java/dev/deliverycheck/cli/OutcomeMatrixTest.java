package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.tlc.ModelManifest;
import dev.deliverycheck.tlc.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which TLC models {@code verify --quick} runs: per matrix cell the smallest one that speaks for it. */
class OutcomeMatrixTest {
    @TempDir
    Path tla;

    @Test
    void quickTakesTheSmallestModelOfEachCellAndLeavesTheLargerOnesOut() throws IOException {
        cfg("Big.cfg", "NoLoss AckedDurable");
        cfg("Small.cfg", "NoLoss");
        cfg("Unrecorded.cfg", "NoLoss AckedDurable");
        cfg("Dup.cfg", "NoDuplicate");
        cfg("Bad.cfg", "NoDuplicate");
        Files.writeString(tla.resolve("MCAtLeastOnce.tla"), "---- MODULE MCAtLeastOnce ----\n====\n");
        Files.writeString(tla.resolve("MCIdempotent.tla"), "---- MODULE MCIdempotent ----\n====\n");
        Files.writeString(tla.resolve("models.json"), """
                {"models": [
                  {"name": "MCAtLeastOnceBig", "spec": "MCAtLeastOnce.tla", "config": "Big.cfg", "expected": "holds", "distinctStates": 5000},
                  {"name": "MCAtLeastOnceSmall", "spec": "MCAtLeastOnce.tla", "config": "Small.cfg", "expected": "holds", "distinctStates": 10},
                  {"name": "MCAtLeastOnceUnrecorded", "spec": "MCAtLeastOnce.tla", "config": "Unrecorded.cfg", "expected": "holds", "distinctStates": null},
                  {"name": "MCAtLeastOnce_NoDuplicate", "spec": "MCAtLeastOnce.tla", "config": "Dup.cfg", "expected": "violates NoDuplicate", "distinctStates": 7},
                  {"name": "MCIdempotentSmallWindow", "spec": "MCIdempotent.tla", "config": "Bad.cfg", "expected": "violates NoDuplicate", "distinctStates": 3}
                ]}
                """);
        ModelManifest manifest = ModelManifest.read(tla.resolve("models.json"));

        List<String> quick = OutcomeMatrix.quickModels(manifest).stream().map(ModelManifest.Entry::name).toList();

        // NoLoss: Small (10) beats Big; AckedDurable: only Big and the unrecorded one list it, Big is recorded.
        // The known-bad idempotent variant violates a cell that holds, so it speaks for nothing.
        assertThat(quick).containsExactly("MCAtLeastOnceBig", "MCAtLeastOnceSmall", "MCAtLeastOnce_NoDuplicate");
    }

    @Test
    void theProjectsQuickSetStillSpeaksForEveryCellThatHasAModel() {
        ModelManifest manifest = ModelManifest.read(ProjectRoot.tlaDir(ProjectRoot.locate()).resolve("models.json"));
        List<ModelManifest.Entry> quick = OutcomeMatrix.quickModels(manifest);
        List<ModelManifest.Entry> all = manifest.entries();

        for (Mode mode : Mode.values()) {
            for (Invariant inv : mode.invariants()) {
                boolean anyModel = all.stream().anyMatch(e -> speaks(manifest, e, mode, inv));
                boolean quickModel = quick.stream().anyMatch(e -> speaks(manifest, e, mode, inv));
                assertThat(quickModel).as("%s %s", mode, inv).isEqualTo(anyModel);
            }
        }
        assertThat(quick.size()).as("quick runs fewer models than the manifest has").isLessThan(all.size());
        assertThat(quick.stream().mapToLong(ModelManifest.Entry::distinctStates).sum())
                .as("quick explores fewer states than all models speaking for a cell")
                .isLessThan(all.stream().filter(e -> java.util.Arrays.stream(Mode.values())
                        .anyMatch(m -> m.invariants().stream().anyMatch(i -> speaks(manifest, e, m, i))))
                        .mapToLong(ModelManifest.Entry::distinctStates).sum());
    }

    private static boolean speaks(ModelManifest manifest, ModelManifest.Entry e, Mode mode, Invariant inv) {
        return OutcomeMatrix.speaksForCell(manifest, e, mode, inv);
    }

    private void cfg(String name, String invariants) throws IOException {
        Files.writeString(tla.resolve(name), "SPECIFICATION Spec\nINVARIANTS\n    TypeOK " + invariants + "\n");
    }
}
