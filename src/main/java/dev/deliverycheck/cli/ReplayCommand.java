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

    @Parameters(index = "0", paramLabel = "FILE", description = "a schedule file written by explore, or by kafka (then "
            + "replayed against --target with --client, --runs times)")
    Path file;

    @picocli.CommandLine.Option(names = "--validate-trace",
            description = "also check with TLC that the run is a behaviour of the mode's TLA+ spec")
    boolean validateTrace;

    @picocli.CommandLine.Mixin
    ReportOptions reportOptions = new ReportOptions();

    @picocli.CommandLine.Option(names = "--target", description = "a schedule written by 'kafka' only: apache, ours or "
            + "HOST:PORT, as 'kafka --target' (default apache)")
    String target;

    @picocli.CommandLine.Option(names = "--client", description = "a schedule written by 'kafka' only: real or ours "
            + "(default real)")
    String client;

    @picocli.CommandLine.Option(names = "--runs", description = "a schedule written by 'kafka' only: how many times to "
            + "run it (real runs are not deterministic; default 1)")
    Integer runs;

    /** The first line 'kafka' writes into every schedule it saves (RealSchedule.format). */
    private static final String REAL_KAFKA_HEADER = "# deliverycheck kafka schedule";

    private static boolean isRealKafkaSchedule(Path file) {
        try (java.io.BufferedReader r = Files.newBufferedReader(file)) {
            String first = r.readLine();
            return first != null && first.startsWith(REAL_KAFKA_HEADER);
        } catch (IOException e) {
            throw ScheduleChecks.unreadable(file, e);
        }
    }

    /** A real-Kafka schedule is replayed by the command that wrote it, against the target given here. */
    private int replayAgainstRealKafka() {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("kafka", "--schedule", file.toString(),
                "--target", target == null ? "apache" : target, "--client", client == null ? "real" : client,
                "--runs", String.valueOf(runs == null ? 1 : runs)));
        if (reportOptions.report != null) {
            args.addAll(java.util.List.of("--report", reportOptions.report.toString()));
        }
        if (reportOptions.junitXml != null) {
            args.addAll(java.util.List.of("--junit-xml", reportOptions.junitXml.toString()));
        }
        picocli.CommandLine kafka = Main.commandLine();
        kafka.setOut(spec.commandLine().getOut());
        kafka.setErr(spec.commandLine().getErr());
        return kafka.execute(args.toArray(String[]::new));
    }

    @Override
    public Integer call() {
        reportOptions.checkWritable();
        if (!Files.isRegularFile(file)) {
            throw ScheduleChecks.missing(file);
        }
        if (isRealKafkaSchedule(file)) {
            return replayAgainstRealKafka();
        }
        if (target != null || client != null || runs != null) {
            throw new UsageException("--target, --client and --runs replay a schedule written by 'kafka'; " + file
                    + " is a simulator schedule");
        }
        Schedule schedule;
        try {
            schedule = ScheduleFile.read(file);
        } catch (ScheduleFile.MalformedScheduleException e) {
            throw new UsageException(e.getMessage());
        } catch (IOException e) {
            throw ScheduleChecks.unreadable(file, e);
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
        } else {
            // No failure named: the run must keep every guarantee of its mode (as --help says).
            java.util.List<String> broken = ScheduleChecks.brokenGuarantees(schedule.mode(), result);
            expectedShown = broken.isEmpty();
            w.println(expectedShown ? "replay: every guarantee of " + schedule.mode().cliName() + " held"
                    : "replay: guarantees of " + schedule.mode().cliName() + " broken: " + String.join(", ", broken));
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
