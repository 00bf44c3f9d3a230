package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input files and sizes that cannot be used: one error line saying why in the user's words (not
 * the path repeated, not a decoder's "Input length = 1", not an internal error), exit 2.
 */
class InputFileErrorsTest {
    @TempDir
    Path dir;

    private static void assertOneUsageLine(CliRunner.Result r, String expected) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("deliverycheck: " + expected);
    }

    @Test
    void kafkaWithAMissingScheduleSaysNoSuchFile() {
        Path missing = dir.resolve("none.schedule");
        assertOneUsageLine(CliRunner.run("kafka", "--schedule", missing.toString()),
                "cannot read schedule " + missing + ": no such file or directory");
    }

    @Test
    void kafkaWithAMissingProducerConfigSaysNoSuchFile() {
        Path missing = dir.resolve("none.properties");
        assertOneUsageLine(CliRunner.run("kafka", "--producer-config", missing.toString()),
                "cannot read producer config " + missing + ": no such file");
    }

    @Test
    void kafkaWithASimulatorScheduleSaysWhichCommandReplaysIt() throws Exception {
        Path sim = Files.writeString(dir.resolve("at-least-once-NoDuplicate-seed1.schedule"),
                "# deliverycheck schedule: replay with ./deliverycheck replay FILE\nmode: at-least-once\nseed: 1\n"
                        + "brokers: 2\npartitions: 2\nfails: NoDuplicate\n---\nsend key=k0\n");
        assertOneUsageLine(CliRunner.run("kafka", "--schedule", sim.toString()), sim + " is a simulator schedule "
                + "(written by explore): replay it with 'deliverycheck replay " + sim + "'");
    }

    @Test
    void mergeOfABinaryFileSaysItIsNotText() throws Exception {
        Path bin = Files.write(dir.resolve("shard.json"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, '{'});
        assertOneUsageLine(CliRunner.run("merge", bin.toString()), "cannot read " + bin + ": not UTF-8 text");
    }

    @Test
    void simulateWithMoreBrokersThanBrokerIdsIsBadInputNotAnInternalError() {
        assertOneUsageLine(CliRunner.run("simulate", "--mode", "at-least-once", "--brokers", "5000", "--records", "1"),
                "--brokers must be at most 1000, got 5000");
    }
}
