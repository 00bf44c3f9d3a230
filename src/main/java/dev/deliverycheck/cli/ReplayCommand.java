package dev.deliverycheck.cli;

import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.ProgressChecker;
import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.explore.RunResult;
import dev.deliverycheck.explore.Schedule;
import dev.deliverycheck.explore.ScheduleFile;
import dev.deliverycheck.explore.ScheduleRunner;
import dev.deliverycheck.sim.SimulationConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deliverycheck replay FILE}: re-runs a saved schedule step by step, printing events. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-runs a saved schedule step by step, printing each step and the events it caused, then the "
                + "verdicts. Exit 0 if the schedule still shows the failure its header names (or none is named and "
                + "every guarantee of the mode holds), 1 otherwise.")
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a schedule file written by explore")
    Path file;

    @picocli.CommandLine.Option(names = "--validate-trace",
            description = "also check with TLC that the run is a behaviour of the mode's TLA+ spec")
    boolean validateTrace;

    @picocli.CommandLine.Mixin
    ReportOptions reportOptions = new ReportOptions();

    @Override
    public Integer call() {
        reportOptions.checkWritable();
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no such schedule file: " + file);
        }
        Schedule schedule;
        try {
            schedule = ScheduleFile.read(file);
        } catch (ScheduleFile.MalformedScheduleException e) {
            throw new UsageException(e.getMessage());
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("replay %s: mode %s, seed %d, %d broker(s), %d partition(s), %d steps%n", file,
                schedule.mode().cliName(), schedule.seed(), schedule.brokers(), schedule.partitions(),
                schedule.steps().size());
        int[] index = {0};
        ScheduleRunner runner = new ScheduleRunner(SimulationConfig.forExploration(schedule.mode()));
        RunResult result = runner.run(schedule, (step, events) -> {
            if (step == null) {
                w.println("end: faults stop, crashed brokers restart, the producer flushes, the cluster settles");
            } else {
                w.printf("%3d  %s%n", ++index[0], step.toLine());
            }
            for (Event e : events) {
                w.println("       " + e);
            }
        });
        boolean expectedShown = true;
        for (Invariant inv : schedule.mode().invariants()) {
            Verdict v = result.verdicts().get(inv);
            w.printf("  %-15s %s%s%n", inv.tlaName(), v.label(), v.holds() ? "" : ": " + v.explanation());
        }
        if (result.progress() != null) {
            w.printf("  %-15s %s%s%n", ProgressChecker.NAME, result.progress().label(),
                    result.progress().holds() ? "" : ": " + result.progress().explanation());
        }
        if (ProgressChecker.NAME.equals(schedule.failing())) {
            expectedShown = result.progressViolated();
            w.println(expectedShown ? "replay: reproduced Progress violation" : "replay: Progress did NOT fail this time");
        } else if (schedule.failing() != null) {
            Invariant inv = Cli.parse(() -> Invariant.fromTlaName(schedule.failing()));
            expectedShown = result.violated(inv);
            w.println(expectedShown ? "replay: reproduced " + inv.tlaName() + " violation"
                    : "replay: " + inv.tlaName() + " did NOT fail this time");
        }
        boolean traceOk = true;
        String traceMessage = null;
        if (validateTrace) {
            dev.deliverycheck.tlc.TraceValidation v = Traces.validator().validate(schedule.mode(), result.history().events());
            w.println("trace: " + v.message());
            traceOk = v.ok();
            traceMessage = v.message();
        }
        w.flush();
        if (reportOptions.requested()) {
            reportOptions.write(dev.deliverycheck.report.ReportInput.of(ReportOptions.commandLine(spec), expectedShown && traceOk,
                    null).withReplay(new dev.deliverycheck.report.ReportInput.Replay(file, schedule, expectedShown, traceMessage)),
                    spec.commandLine().getErr());
        }
        return expectedShown && traceOk ? Main.EXIT_OK : Main.EXIT_MISMATCH;
    }
}
