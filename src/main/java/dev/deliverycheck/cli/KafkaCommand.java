package dev.deliverycheck.cli;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.json.Json;
import dev.deliverycheck.wire.apache.ApacheKafkaBroker;
import dev.deliverycheck.wire.harness.Client;
import dev.deliverycheck.wire.harness.ManagedBroker;
import dev.deliverycheck.wire.harness.OurBrokerProcess;
import dev.deliverycheck.wire.harness.ProducerSettings;
import dev.deliverycheck.wire.harness.RealExplorer;
import dev.deliverycheck.wire.harness.RealRun;
import dev.deliverycheck.wire.harness.RealSchedule;
import dev.deliverycheck.wire.harness.RealStep;
import dev.deliverycheck.wire.harness.Target;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deliverycheck kafka}: fault schedules against real Kafka software, judged by the same checkers. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Runs fault schedules against real Kafka: the real Java KafkaProducer through a Kafka-aware fault "
                + "proxy to a real Apache Kafka 4.4 broker or deliverycheck's own wire broker (each started as a child "
                + "process), or to a broker at HOST:PORT. "
                + "Judges every run, shrinks each first violation over real runs, saves it and replays it. "
                + "Exit 0 iff every invariant's observed outcome matches the expected column of the mode.")
public final class KafkaCommand implements Callable<Integer> {
    /** num.partitions of deliverycheck's broker, as of the Apache one: runs create their topics with CreateTopics. */
    private static final int OUR_BROKER_PARTITIONS = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--mode", converter = SharedOptions.ModeConverter.class, completionCandidates = SharedOptions.ModeCandidates.class,
            description = "${COMPLETION-CANDIDATES} (the preset and the expected column); optional with --producer-config or --schedule")
    Mode mode;

    @Option(names = "--target", defaultValue = "apache", description = "apache (start a real Apache Kafka 4.4 broker), "
            + "ours (start deliverycheck's wire broker), or HOST:PORT (one running broker) (default ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--client", defaultValue = "real", description = "real (the Java KafkaProducer 4.4.0) or ours "
            + "(deliverycheck's producer over the Kafka wire protocol) (default ${DEFAULT-VALUE})")
    String client;

    @Option(names = "--producer-config", description = "a producer properties file; its settings replace the preset "
            + "and decide the expected column")
    Path producerConfig;

    @Option(names = "--runs", defaultValue = "10", description = "schedules to run, or replays of --schedule (default ${DEFAULT-VALUE})")
    int runs;

    @Mixin
    SharedOptions.SeedOption seed = new SharedOptions.SeedOption();

    @Option(names = "--schedule", description = "replay this schedule --runs times and count how often each invariant fails")
    Path schedule;

    @Option(names = "--shrink-runs", defaultValue = "30", description = "real runs the shrinker may spend per violation (default ${DEFAULT-VALUE})")
    int shrinkRuns;

    @Option(names = "--replays", defaultValue = "3", description = "replays of each shrunk schedule (default ${DEFAULT-VALUE})")
    int replays;

    @Mixin
    SharedOptions.OutOption out = new SharedOptions.OutOption();

    @Mixin
    SharedOptions.JsonOption json = new SharedOptions.JsonOption();

    @picocli.CommandLine.Mixin
    ReportOptions reportOptions = new ReportOptions();

    @Override
    public Integer call() {
        return Slf4jNoticeFilter.around(this::judge);
    }

    private Integer judge() {
        if (runs < 1 || shrinkRuns < 0 || replays < 0) {
            throw new UsageException("--runs must be at least 1 and --shrink-runs, --replays not negative");
        }
        reportOptions.checkWritable();
        Client chosenClient = Cli.parse(() -> Client.named(client));
        boolean started = target.equals("apache") || target.equals("ours");
        Target external = started ? null : Cli.parse(() -> Target.external(target));
        RealSchedule replay = schedule == null ? null : readSchedule();
        ProducerSettings settings = settings(replay);
        Cli.parse(() -> {
            RealRun.check(settings, chosenClient);
            return settings;
        });
        if (replay != null && external != null && replay.steps().stream().anyMatch(RealStep::crashesBroker)) {
            throw new UsageException(schedule + " crashes the broker: that needs a broker deliverycheck started (--target apache or ours)");
        }
        out.checkWritable();
        PrintWriter err = spec.commandLine().getErr();
        ManagedBroker broker = null;
        try {
            Target chosen;
            if (external != null) {
                Cli.parse(() -> {
                    external.requireReachable();
                    return external;
                });
                chosen = external;
            } else if (target.equals("ours")) {
                err.println("kafka: starting deliverycheck's wire broker (child process, loopback) ...");
                err.flush();
                broker = OurBrokerProcess.start(OUR_BROKER_PARTITIONS);
                chosen = Target.started(broker);
            } else {
                err.println("kafka: starting Apache Kafka 4.4 (KRaft, one node, loopback) ...");
                err.flush();
                broker = ManagedBroker.of(ApacheKafkaBroker.start());
                chosen = Target.started(broker);
            }
            RealRun runner = Cli.parse(() -> new RealRun(chosen, settings, chosenClient));
            RealExplorer explorer = new RealExplorer(runner, settings, out.out,
                    replay != null ? 0 : shrinkRuns, replay != null ? 0 : replays, line -> {
                        err.println("kafka: " + line);
                        err.flush();
                    });
            RealExplorer.Report report = replay != null ? explorer.replay(replay, runs) : explorer.explore(runs, seed.seed);
            print(report, chosen, replay, chosenClient);
            if (reportOptions.requested()) {
                String title = String.format("%s (%s) against %s, %s client", report.mode().cliName(), report.settingsSource(),
                        chosen, chosenClient == Client.REAL ? "the real Java" : "deliverycheck's");
                reportOptions.write(dev.deliverycheck.report.ReportInput.of(ReportOptions.commandLine(spec), report.ok(),
                        dev.deliverycheck.tlc.ProjectRoot.locate()).withReal(java.util.List.of(
                        KafkaReport.of(report, title, schedule, external != null ? external.bootstrap() : target, client))), err);
            }
            return replay != null ? replayExit(report, replay) : report.ok() ? Main.EXIT_OK : Main.EXIT_MISMATCH;
        } catch (RealRun.TargetFailure | IOException | IllegalStateException e) {
            err.println("deliverycheck: " + oneLine(e.getMessage()));
            return Main.EXIT_INTERNAL;
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /**
     * A replayed schedule that names the invariant it failed ({@code fails:}) passes when that invariant failed in
     * at least one run, as {@code replay} judges a simulator schedule; one that names none only counts.
     */
    private static int replayExit(RealExplorer.Report report, RealSchedule replay) {
        if (replay.failing() == null) {
            return Main.EXIT_OK;
        }
        RealExplorer.Outcome named = report.invariants().values().stream()
                .filter(o -> o.invariant().tlaName().equals(replay.failing())).findFirst().orElse(null);
        return named != null && named.violatedRuns() > 0 ? Main.EXIT_OK : Main.EXIT_MISMATCH;
    }

    private RealSchedule readSchedule() {
        try {
            return RealSchedule.read(schedule);
        } catch (IOException e) {
            throw new UsageException("cannot read schedule " + schedule + ": " + Cli.ioReason(e));
        } catch (IllegalArgumentException e) {
            if (isSimulatorSchedule(schedule)) {
                throw new UsageException(schedule + " is a simulator schedule (written by explore): replay it with "
                        + "'deliverycheck replay " + schedule + "'");
            }
            throw new UsageException(e.getMessage());
        }
    }

    /** Whether the file starts as the explorer's schedules do (ScheduleFile.format). */
    private static boolean isSimulatorSchedule(java.nio.file.Path file) {
        try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(file)) {
            String first = r.readLine();
            return first != null && first.startsWith("# deliverycheck schedule");
        } catch (IOException e) {
            return false;
        }
    }

    private ProducerSettings settings(RealSchedule replay) {
        Mode named = mode != null ? mode : replay != null ? replay.mode() : null;
        if (producerConfig != null) {
            if (!java.nio.file.Files.isRegularFile(producerConfig)) {
                throw new UsageException("cannot read producer config " + producerConfig + ": no such file");
            }
            ProducerSettings fromFile = Cli.parse(() -> ProducerSettings.fromFile(producerConfig));
            if (mode != null && named != fromFile.mode()) {
                throw new UsageException("--mode " + named.cliName() + " disagrees with " + producerConfig + ", whose settings mean "
                        + fromFile.mode().cliName());
            }
            return fromFile;
        }
        if (named == null) {
            throw new UsageException("--mode is required unless --producer-config or --schedule is given");
        }
        return ProducerSettings.preset(named);
    }

    private void print(RealExplorer.Report report, Target chosen, RealSchedule replay, Client chosenClient) {
        PrintWriter w = spec.commandLine().getOut();
        if (json.json) {
            w.println(json(report, chosen.managed() ? target : chosen.bootstrap(), client));
        } else {
            w.printf("kafka %s (%s) against %s, %s: %d %s, %.1f runs per minute%n", report.mode().cliName(),
                    report.settingsSource(), chosen, chosenClient.description(), report.runs(), replay != null ? "replays of " + schedule
                            : "schedules from seed " + report.seed(), report.runsPerMinute());
            for (RealExplorer.Outcome o : report.invariants().values()) {
                w.printf("  %-15s expected %-9s observed %-9s (violated in %d of %d runs) %s%n", o.invariant().tlaName(),
                        o.expected().label(), o.holds() ? "holds" : "violated", o.violatedRuns(), report.runs(),
                        o.matches() ? "ok" : "MISMATCH");
                if (o.finding() != null) {
                    RealExplorer.Finding f = o.finding();
                    w.printf("      seed %d: %d steps shrunk to %d (%d fault steps) -> %s; reproduced %d of %d replays%n"
                            + "      %s%n", f.seed(), f.originalSteps(), f.shrunkSteps(), f.faultSteps(), f.file(),
                            f.reproduced(), f.replays(), f.explanation());
                }
            }
            w.println(replay != null ? "kafka: replayed" : report.ok() ? "kafka: ok" : "kafka: MISMATCH");
        }
        w.flush();
    }

    private static String oneLine(String message) {
        return message == null ? "unknown error" : message.lines().findFirst().orElse(message);
    }

    /** The {@code kafka --json} document of {@code report} run against {@code target} with {@code client}. */
    static String json(RealExplorer.Report report, String target, String client) {
        return Json.write(KafkaJson.of(report, target, client));
    }
}
