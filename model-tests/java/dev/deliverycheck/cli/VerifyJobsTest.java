package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
    void parallelAndSerialRunsPrintTheSameAndWriteTheSameReplays() throws Exception {
        ProjectCopy project = ProjectCopy.withManifest(dir.resolve("repo"), """
                {"models": [
                  {"name": "MCAtLeastOnce_ReachCrashLostTail", "spec": "MCAtLeastOnce.tla",
                   "config": "MCAtLeastOnce_ReachCrashLostTail.cfg", "expected": "violates ReachCrashLostTail",
                   "distinctStates": null},
                  {"name": "MCExactlyOnce_ReachQuiescent", "spec": "MCExactlyOnce.tla",
                   "config": "MCExactlyOnce_ReachQuiescent.cfg", "expected": "violates ReachQuiescent",
                   "distinctStates": null}
                ]}
                """);
        CliRunner.Result serial = project.run(() -> run("1"));
        CliRunner.Result parallel = project.run(() -> run("2"));
        assertThat(serial.out()).contains("TLC: 2 models").contains("code: 30 schedules");
        assertThat(withoutSeconds(parallel.out())).isEqualTo(withoutSeconds(serial.out()));
        assertThat(parallel.exitCode()).isEqualTo(serial.exitCode());
        assertThat(listing(dir.resolve("replays-2"))).isEqualTo(listing(dir.resolve("replays-1"))).isNotEmpty();
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
}
