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
 * {@code verify --jobs 2} prints what {@code verify --jobs 1} prints, and writes the same replay
 * files: same TLC verdicts, same explorations, same traces, same order. To keep it cheap the
 * run uses a copy of {@code tla/} whose manifest lists two small models (so most matrix cells
 * have no TLC verdict and the matrix does not match -- the same way in both runs), 30 schedules
 * per mode and one validated trace per mode.
 */
class VerifyJobsTest {
    @TempDir
    Path dir;

    @Test
    void parallelAndSerialRunsPrintTheSameAndWriteTheSameReplays() throws IOException {
        Path root = dir.resolve("repo");
        copy(ProjectRoot.tlaDir(ProjectRoot.locate()), root.resolve("tla"));
        Files.writeString(root.resolve("tla/models.json"), """
                {"models": [
                  {"name": "MCAtLeastOnce_ReachCrashLostTail", "spec": "MCAtLeastOnce.tla",
                   "config": "MCAtLeastOnce_ReachCrashLostTail.cfg", "expected": "violates ReachCrashLostTail",
                   "distinctStates": null},
                  {"name": "MCExactlyOnce_ReachQuiescent", "spec": "MCExactlyOnce.tla",
                   "config": "MCExactlyOnce_ReachQuiescent.cfg", "expected": "violates ReachQuiescent",
                   "distinctStates": null}
                ]}
                """);
        String before = System.getProperty(ProjectRoot.PROPERTY);
        System.setProperty(ProjectRoot.PROPERTY, root.toString());
        try {
            CliRunner.Result serial = run("1");
            CliRunner.Result parallel = run("2");
            assertThat(serial.out()).contains("TLC: 2 models").contains("code: 30 schedules");
            assertThat(withoutSeconds(parallel.out())).isEqualTo(withoutSeconds(serial.out()));
            assertThat(parallel.exitCode()).isEqualTo(serial.exitCode());
            assertThat(listing(dir.resolve("replays-2"))).isEqualTo(listing(dir.resolve("replays-1"))).isNotEmpty();
        } finally {
            if (before == null) {
                System.clearProperty(ProjectRoot.PROPERTY);
            } else {
                System.setProperty(ProjectRoot.PROPERTY, before);
            }
        }
    }

    private CliRunner.Result run(String jobs) {
        return CliRunner.run("verify", "--runs", "30", "--traces", "1", "--jobs", jobs,
                "--out", dir.resolve("replays-" + jobs).toString());
    }

    /** Times (the run's seconds, trace validation's events per second) and the two replay folders differ; nothing else. */
    private static String withoutSeconds(String out) {
        return out.replaceAll("verify: (ok|MISMATCH) \\(\\d+ s\\)", "verify: $1 (N s)")
                .replaceAll("\\d+ events/s of TLC time", "N events/s of TLC time").replaceAll("replays-\\d", "replays-J");
    }

    private static String listing(Path replays) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(replays)) {
            for (Path f : files.sorted().toList()) {
                all.append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        }
        return all.toString();
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
