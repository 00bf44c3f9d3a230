package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExploreAndReplayCommandTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void exploreFindsTheExpectedDuplicateAndReplayShowsIt() throws Exception {
        CliRunner.Result r = CliRunner.run("explore", "--mode", "at-least-once", "--runs", "60", "--seed", "1",
                "--out", dir.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, Object> json = (Map<String, Object>) Json.parse(r.out());
        assertThat(json).containsKeys("mode", "runs", "seed", "invariants", "coverage", "schedulesPerSecond", "ok");
        assertThat(json.get("ok")).isEqualTo(true);
        Map<String, Object> dup = (Map<String, Object>) ((Map<String, Object>) json.get("invariants")).get("NoDuplicate");
        assertThat(dup.get("expected")).isEqualTo("violated");
        assertThat(dup.get("observed")).isEqualTo("violated");
        assertThat((Long) dup.get("shrunkSteps")).isLessThanOrEqualTo(15L);
        Path schedule = Path.of((String) dup.get("schedule"));
        assertThat(schedule).exists();

        CliRunner.Result replay = CliRunner.run("replay", schedule.toString());
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("ProducerRetry", "BrokerAppend", "replay: reproduced NoDuplicate violation");
    }

    @Test
    void malformedScheduleFileNamesTheLine() throws Exception {
        Path bad = dir.resolve("bad.schedule");
        Files.writeString(bad, "mode: idempotent\nseed: 1\n---\nsend\nteleport 3\n");
        CliRunner.Result r = CliRunner.run("replay", bad.toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().strip()).isEqualTo("deliverycheck: " + bad + ":5: unknown step 'teleport' (known: send, "
                + "deliver, lose-request, lose-response, advance, run, crash-broker, shutdown-broker, restart-broker, restart-producer, "
                + "begin-txn, commit-txn, abort-txn, flush)");
    }

    @Test
    void replayPrintsTheTrafficStepsTheShrinkerWrites() throws Exception {
        Path file = dir.resolve("run.schedule");
        Files.writeString(file, "mode: idempotent\nseed: 3\n---\nsend key=k1\nflush\nrun 2000\nsend key=k2\n"
                + "flush\ndeliver 0 times=2\n");
        CliRunner.Result r = CliRunner.run("replay", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("  3  run 2000", "  6  deliver 0 times=2", "ProducerSendAcked");
    }

    @Test
    void aMalformedRunIsOneLineAndExitTwo() throws Exception {
        Path bad = dir.resolve("bad-run.schedule");
        Files.writeString(bad, "mode: idempotent\nseed: 1\n---\nsend\nrun fast\n");
        CliRunner.Result r = CliRunner.run("replay", bad.toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().strip()).isEqualTo("deliverycheck: " + bad + ":5: expected 'run MS', 'fast' is not a number");
    }

    @Test
    void missingScheduleFileIsAUsageError() {
        CliRunner.Result r = CliRunner.run("replay", dir.resolve("nope.schedule").toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("no such schedule file");
    }

    /** picocli parses --mode: a bad name is one line naming the option and every candidate, exit 2, for each command. */
    @Test
    void aBadModeIsOneLineListingTheModes() {
        for (String command : new String[] {"explore", "simulate", "kafka"}) {
            CliRunner.Result r = CliRunner.run(command, "--mode", "exactly-twice");
            assertThat(r.exitCode()).as(command).isEqualTo(Main.EXIT_USAGE);
            assertThat(r.out()).as(command).isEmpty();
            assertThat(r.err().strip()).as(command).isEqualTo("deliverycheck: Invalid value for option '--mode': unknown mode "
                    + "'exactly-twice', expected one of at-most-once, at-least-once, idempotent, exactly-once (see --help)");
        }
        CliRunner.Result help = CliRunner.run("explore", "--help");
        assertThat(help.out()).contains("--mode=<mode>").contains("at-most-once, at-least-once, idempotent, exactly-once");
    }

    @Test
    void exploreRejectsBadBudgets() {
        CliRunner.Result r = CliRunner.run("explore", "--mode", "idempotent", "--runs", "0");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().strip().lines()).hasSize(1);
    }
}
