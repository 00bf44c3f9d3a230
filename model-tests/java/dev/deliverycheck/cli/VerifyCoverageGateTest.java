package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.tlc.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
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
    void anUnreachedActionFailsTheFullVerify() throws IOException {
        Path root = dir.resolve("repo");
        copy(ProjectRoot.tlaDir(ProjectRoot.locate()), root.resolve("tla"));
        Files.writeString(root.resolve("tla/models.json"), """
                {"models": [
                  {"name": "MCAtMostOnce", "spec": "MCAtMostOnce.tla", "config": "MCAtMostOnce.cfg",
                   "expected": "holds", "distinctStates": null}
                ]}
                """);
        String before = System.getProperty(ProjectRoot.PROPERTY);
        System.setProperty(ProjectRoot.PROPERTY, root.toString());
        try {
            CliRunner.Result r = CliRunner.run("verify", "--runs", "1", "--traces", "0", "--jobs", "2",
                    "--out", dir.resolve("replays").toString());
            assertThat(r.out()).contains("TLC: 1 models, 7742 distinct states, 1 as expected")
                    .containsPattern("coverage: FAIL -- [1-9]\\d* unreached")
                    .contains("never reached: ")
                    .contains("verify: MISMATCH");
            assertThat(r.exitCode()).isEqualTo(Main.EXIT_MISMATCH);
        } finally {
            if (before == null) {
                System.clearProperty(ProjectRoot.PROPERTY);
            } else {
                System.setProperty(ProjectRoot.PROPERTY, before);
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
