package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full {@code verify} applies {@code check-models}' coverage gate when every positive model ran:
 * with a manifest whose one positive model leaves actions of its spec unreached and lists no
 * exemption, verify says which and exits 1, though that model holds as expected.
 */
class VerifyCoverageGateTest {
    @TempDir
    Path dir;

    @Test
    void anUnreachedActionFailsTheFullVerify() throws Exception {
        ProjectCopy project = ProjectCopy.withManifest(dir.resolve("repo"), """
                {"models": [
                  {"name": "MCAtMostOnce", "spec": "MCAtMostOnce.tla", "config": "MCAtMostOnce.cfg",
                   "expected": "holds", "distinctStates": null}
                ]}
                """);
        CliRunner.Result r = project.run(() -> CliRunner.run("verify", "--runs", "1", "--traces", "0", "--jobs", "2",
                "--out", dir.resolve("replays").toString()));
        assertThat(r.out()).contains("TLC: 1 models, 7742 distinct states, 1 as expected")
                .containsPattern("coverage: FAIL -- [1-9]\\d* unreached")
                .contains("never reached: ")
                .contains("verify: MISMATCH");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_MISMATCH);
    }
}
