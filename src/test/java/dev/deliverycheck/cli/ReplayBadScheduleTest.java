package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-edited schedule files that parse but cannot mean what they say: each is one error line
 * naming the file, exit 2, before a single step runs (nothing printed on stdout).
 */
class ReplayBadScheduleTest {
    @TempDir
    Path dir;

    private CliRunner.Result replay(String text) throws Exception {
        Path file = dir.resolve("edited.schedule");
        Files.writeString(file, text);
        return CliRunner.run("replay", file.toString());
    }

    private void assertOneUsageLine(CliRunner.Result r, String expected) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains(expected).doesNotContain("Exception");
    }

    @Test
    void aStepNamingABrokerTheScheduleDoesNotHaveIsRefused() throws Exception {
        CliRunner.Result r = replay("mode: at-least-once\nseed: 1\nbrokers: 2\n---\nsend key=k0\ncrash-broker 7\n");
        assertOneUsageLine(r, ".schedule:6: 'crash-broker 7' names broker 7, but the schedule has 2 (brokers 0..1)");
    }

    @Test
    void anUnknownFailsInvariantIsRefusedBeforeTheRun() throws Exception {
        CliRunner.Result r = replay("mode: at-least-once\nseed: 1\nfails: Nope\n---\nsend key=k0\n");
        assertOneUsageLine(r, ".schedule:3: fails: 'Nope' is not judged in mode at-least-once, expected one of NoDuplicate, "
                + "NoLoss, AckedDurable, PartitionOrder, Progress");
    }

    @Test
    void anInvariantTheModeDoesNotJudgeIsRefused() throws Exception {
        CliRunner.Result r = replay("mode: idempotent\nseed: 1\nfails: AtomicCommit\n---\nsend key=k0\n");
        assertOneUsageLine(r, "fails: 'AtomicCommit' is not judged in mode idempotent");
    }

    @Test
    void moreBrokersThanProducerIdBlocksAllowIsBadInputNotAnInternalError() throws Exception {
        CliRunner.Result r = replay("mode: at-least-once\nseed: 1\nbrokers: 100000\n---\nsend key=k0\n");
        assertOneUsageLine(r, ".schedule:3: brokers must be at most 1000, got 100000");
    }

    @Test
    void aBinaryFileIsNotASchedule() throws Exception {
        Path file = dir.resolve("bin.schedule");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 'x'});
        CliRunner.Result r = CliRunner.run("replay", file.toString());
        assertOneUsageLine(r, file + " is not a schedule file (not UTF-8 text)");
    }

    @Test
    void aDirectoryIsNotASchedule() {
        CliRunner.Result r = CliRunner.run("replay", dir.toString());
        assertOneUsageLine(r, dir + " is a directory, not a schedule file");
    }

    @Test
    void aValidEditedScheduleStillRuns() throws Exception {
        CliRunner.Result r = replay("mode: at-least-once\nseed: 1\nbrokers: 2\n---\nsend key=k0\ncrash-broker 1\n"
                + "restart-broker 1\n");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("crash-broker 1", "restart-broker 1");
    }
}
