package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --out} (where shrunk schedules are saved) is checked before any work starts, as
 * {@code --report} and {@code --junit-xml} are: an exploration must not run for minutes and then
 * end in an internal error because its first finding cannot be saved. Also: every option of
 * explore is checked before the exploration, not after it.
 */
class OutDirectoryTest {
    @TempDir
    Path dir;

    private static void assertOneUsageLineBeforeAnyWork(CliRunner.Result r, String expected) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("deliverycheck: " + expected);
    }

    @Test
    void exploreRefusesAnOutPathBehindAFileBeforeExploring() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "kept");
        CliRunner.Result r = CliRunner.run("explore", "--mode", "at-least-once", "--runs", "5", "--seed", "1",
                "--out", file.resolve("replays").toString());
        assertOneUsageLineBeforeAnyWork(r, "cannot write --out " + file.resolve("replays") + ": Not a directory");
        assertThat(Files.readString(file)).isEqualTo("kept");
    }

    @Test
    void exploreRefusesAnOutPathThatIsAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "kept");
        CliRunner.Result r = CliRunner.run("explore", "--mode", "at-least-once", "--runs", "5", "--out", file.toString());
        assertOneUsageLineBeforeAnyWork(r, "--out " + file + " is not a directory");
        assertThat(Files.readString(file)).isEqualTo("kept");
    }

    @Test
    void verifyRefusesAnUnwritableOutBeforeRunningTlc() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "kept");
        CliRunner.Result r = CliRunner.run("verify", "--quick", "--out", file.toString());
        assertOneUsageLineBeforeAnyWork(r, "--out " + file + " is not a directory");
    }

    @Test
    void aBadTraceCountIsRefusedBeforeTheExplorationRuns() {
        CliRunner.Result r = CliRunner.run("explore", "--mode", "at-least-once", "--runs", "5", "--validate-traces", "0",
                "--out", dir.resolve("replays").toString());
        assertOneUsageLineBeforeAnyWork(r, "--validate-traces needs at least 1 trace, got 0");
        assertThat(dir.resolve("replays")).doesNotExist();
    }

    @Test
    void aWritableOutIsCreatedAndUsed() {
        Path out = dir.resolve("new/replays");
        CliRunner.Result r = CliRunner.run("explore", "--mode", "at-least-once", "--runs", "3", "--seed", "1",
                "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(out.resolve("at-least-once-NoDuplicate-seed1.schedule")).exists();
    }
}
