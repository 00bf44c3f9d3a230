package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.explore.RunResult;
import dev.deliverycheck.explore.Schedule;
import dev.deliverycheck.explore.ScheduleRunner;
import dev.deliverycheck.explore.ScheduleFile;
import dev.deliverycheck.sim.BrokerFactory;
import dev.deliverycheck.sim.SimulationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} of a schedule that names no failure (no {@code fails:} line): exit 0 iff every
 * guarantee of its mode held, as its --help says; an expected violation (at-least-once
 * duplicates) is no reason to fail, a broken guarantee is.
 */
class ReplayWithoutFailsTest {
    @TempDir
    Path dir;

    /** Exactly-once, seed 7: a late AddPartitionsToTxn after a timeout abort (PinnedFlawSchedulesTest's schedule). */
    private static final String TIMEOUT_ABORT = "deliver 0;deliver 0;begin-txn;send key=k1;flush;deliver 0;deliver 0;"
            + "deliver 0;deliver 0;deliver 0;advance 100;deliver 0;advance 1;send key=k3;advance 61000";

    private CliRunner.Result replay(String text) throws Exception {
        Path file = Files.writeString(dir.resolve("no-fails.schedule"), text);
        return CliRunner.run("replay", file.toString());
    }

    @Test
    void anExpectedViolationIsNoReasonToFail() throws Exception {
        CliRunner.Result r = replay("mode: at-least-once\nseed: 1\nbrokers: 2\npartitions: 2\n---\nsend key=k0\nflush\n"
                + "deliver 0\nadvance 30500\n");
        assertThat(r.out()).contains("NoDuplicate     violated").contains("replay: every guarantee of at-least-once held");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void aBrokenGuaranteeIsNamed() throws Exception {
        SimulationConfig base = SimulationConfig.forExploration(Mode.EXACTLY_ONCE);
        BrokerConfig.Flaw flaw = BrokerConfig.Flaw.NO_EPOCH_BUMP_ON_TIMEOUT_ABORT;
        SimulationConfig flawed = base.withBroker(base.brokerConfig().withFlaw(flaw), BrokerFactory.REAL, flaw.name());
        Path file = Files.writeString(dir.resolve("timeout-abort.schedule"), "mode: exactly-once\nseed: 7\nbrokers: 2\n"
                + "partitions: 2\n---\n" + String.join("\n", TIMEOUT_ABORT.split(";")) + "\n");
        Schedule schedule = ScheduleFile.read(file);

        RunResult broken = new ScheduleRunner(flawed).run(schedule);
        assertThat(ScheduleChecks.brokenGuarantees(Mode.EXACTLY_ONCE, broken)).contains("NoLoss");
        RunResult sound = new ScheduleRunner(base).run(schedule);
        assertThat(ScheduleChecks.brokenGuarantees(Mode.EXACTLY_ONCE, sound)).isEmpty();
    }
}
