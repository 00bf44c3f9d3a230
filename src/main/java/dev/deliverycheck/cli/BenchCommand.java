package dev.deliverycheck.cli;

import dev.deliverycheck.bench.BenchOptions;
import dev.deliverycheck.bench.Benchmark;
import dev.deliverycheck.bench.CalibrateScenario;
import dev.deliverycheck.bench.ScenarioReport;
import dev.deliverycheck.bench.Scenarios;
import dev.deliverycheck.json.Json;
import dev.deliverycheck.wire.bench.BrokerUnderTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code deliverycheck bench SCENARIO}: runs one benchmark scenario, writes its CSV, PNG and JSON
 * files into {@code --out}, prints a summary (or with {@code --json} the figures as one JSON
 * object) on stdout and a progress line per step on stderr. Benchmarks measure; they never fail
 * on a figure, so the exit code is 0 unless the arguments are wrong (2) or the run broke (3).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks of the producer: partitioners, slow-broker, batching, buffer-memory (bench simulator "
                + "with a cost model, see docs/bench/README.md; partitioners also in real time), throughput, "
                + "idempotence-cost, transactions (real time, in-process broker).",
            "Each scenario writes SCENARIO.csv, SCENARIO*.png and SCENARIO.json into --out."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO",
            description = "partitioners | slow-broker | batching | buffer-memory | throughput | idempotence-cost | transactions")
    String scenario;

    @Option(names = "--json", description = "print the figures as one JSON object")
    boolean json;

    @Option(names = "--out", defaultValue = "bench-out", paramLabel = "DIR",
            description = "directory for CSV, PNG and JSON files (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--quick", description = "tiny budget (milliseconds per run): checks that everything runs, measures nothing")
    boolean quick;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the producers' randomness (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--target", paramLabel = "BROKER", description = "broker of the real-broker runs (calibrate, "
            + "partitioners): apache (a real Apache Kafka 4.4 child process; the default) or ours (deliverycheck's wire "
            + "broker in-process; the default with --quick)")
    String target;

    @Option(names = "--calibration", paramLabel = "FILE", description = "partitioners: take the cost model fitted in "
            + "this calibrate.json instead of fitting one afresh")
    Path calibration;

    @Override
    public Integer call() {
        if (target != null && !BrokerUnderTest.TARGETS.contains(target)) {
            throw new UsageException("unknown --target '" + target + "'; valid: " + String.join(", ", BrokerUnderTest.TARGETS));
        }
        if (calibration != null) {
            try {
                CalibrateScenario.readModel(calibration);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new UsageException("--calibration " + calibration + ": no such file");
            } catch (IOException | IllegalArgumentException e) {
                throw new UsageException("--calibration " + calibration + ": " + e.getMessage());
            }
        }
        Benchmark s = Scenarios.named(scenario).orElseThrow(() -> new UsageException("unknown scenario '" + scenario
                + "'; valid scenarios: " + String.join(", ", Scenarios.names())));
        // Before the benchmark runs: minutes of measuring must not end in "cannot write".
        Cli.parse(() -> {
            dev.deliverycheck.report.OutputTargets.checkDirectory(out, "--out");
            return null;
        });
        PrintWriter err = spec.commandLine().getErr();
        ScenarioReport report;
        try {
            report = s.run(new BenchOptions(out, quick, seed, target, calibration), line -> {
                err.println(line);
                err.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("bench " + s.name() + " (results into " + out + "): " + e.getMessage(), e);
        }
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(Json.write(report.json()));
        } else {
            w.println("bench " + s.name() + (quick ? " (quick: tiny budget, figures are not meaningful)" : ""));
            report.summary().forEach(line -> w.println("  " + line));
            w.println("files:");
            report.files().forEach(f -> w.println("  " + f));
        }
        w.flush();
        return Main.EXIT_OK;
    }
}
