package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.bench.Scenarios;
import dev.deliverycheck.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every scenario runs on the tiny budget ({@code --quick}) and writes well-formed output: the
 * JSON on stdout parses and has the scenario's keys, every CSV parses with rows of the header's
 * width, every PNG listed exists and is a PNG. No timing assertions: benchmarks are not tests.
 */
class BenchCommandTest {
    @TempDir
    Path out;

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run run(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(stdout));
        cl.setErr(new PrintWriter(stderr));
        // the exit-code conventions Main installs for every subcommand
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            if (ex instanceof UsageException) {
                c.getErr().println("deliverycheck: " + ex.getMessage());
                return Main.EXIT_USAGE;
            }
            throw ex;
        });
        int code = cl.execute(args);
        return new Run(code, stdout.toString(), stderr.toString());
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("partitioners", List.of("stickyVsRoundRobinP50", "stickyVsRoundRobinP99", "model",
                        "realTime", "sensitivity", "seedClaim", "costModel")),
                Arguments.of("slow-broker", List.of("loads", "stickyShareToSlowBroker", "uniformStickyShareToSlowBroker",
                        "uniformStickyVsStickyP99", "slowBrokerPartitionShare")),
                Arguments.of("batching", List.of("cells", "ratios", "costModel")),
                Arguments.of("buffer-memory", List.of("runs", "batchSizeTimesPartitions")),
                Arguments.of("throughput", List.of("configs", "ratios")),
                Arguments.of("idempotence-cost", List.of("idempotentVsAtLeastOnce", "atLeastOnce", "idempotent")),
                Arguments.of("transactions", List.of("idempotent", "transactions", "ratios")),
                Arguments.of("pipeline", List.of("figures", "ratios", "loadAverageBefore")),
                Arguments.of("calibrate", List.of("fitted", "target", "loadAverage")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenarioRunsOnATinyBudgetAndWritesWellFormedOutput(String scenario, List<String> keys) throws IOException {
        Run r = run(scenario, "--quick", "--json", "--out", out.toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("bench " + scenario + " [1/");
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(r.stdout().trim());
        assertThat(json).containsEntry("scenario", scenario).containsKeys(keys.toArray(String[]::new));
        @SuppressWarnings("unchecked")
        List<String> files = (List<String>) json.get("files");
        assertThat(files).anyMatch(f -> f.endsWith(".csv")).anyMatch(f -> f.endsWith(".png"))
                .anyMatch(f -> f.endsWith(scenario + ".json"));
        for (String f : files) {
            Path p = Path.of(f);
            assertThat(p).exists().startsWith(out);
            if (f.endsWith(".csv")) {
                assertWellFormedCsv(p);
            } else if (f.endsWith(".png")) {
                byte[] head = Files.readAllBytes(p);
                assertThat(head.length).isGreaterThan(1000);
                assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
            } else if (f.endsWith(".json")) {
                assertThat(Json.parse(Files.readString(p))).isInstanceOf(Map.class);
            }
        }
        if (scenario.equals("partitioners")) {
            assertPartitionersFigures(json);
        }
    }

    private static void assertWellFormedCsv(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSizeGreaterThan(1);
        int width = lines.get(0).split(",", -1).length;
        assertThat(width).isGreaterThan(3);
        for (String line : lines.subList(1, lines.size())) {
            // the bench writes no quoted cells: every value is a number or a plain name
            String[] cells = line.split(",", -1);
            assertThat(cells).as(line).hasSize(width);
            for (String cell : cells) {
                assertThat(cell).doesNotContain("\"");
            }
        }
    }

    /** The ratios are numbers in the model and in real time; each partitioner has its figures. */
    private static void assertPartitionersFigures(Map<String, Object> json) {
        assertThat(json.get("stickyVsRoundRobinP50")).isInstanceOf(Number.class);
        assertThat(json.get("stickyVsRoundRobinP99")).isInstanceOf(Number.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> real = (Map<String, Object>) json.get("realTime");
        assertThat(real.get("stickyVsRoundRobinP50")).isInstanceOf(Number.class);
        assertThat(real.get("stickyVsRoundRobinP99")).isInstanceOf(Number.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> loads = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) json.get("model"))
                .get("loads")).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> perPartitioner = (Map<String, Object>) loads.get("partitioners");
        assertThat(perPartitioner).containsOnlyKeys("round-robin", "sticky", "uniform-sticky");
        @SuppressWarnings("unchecked")
        Map<String, Object> rr = (Map<String, Object>) perPartitioner.get("round-robin");
        assertThat(rr).containsKeys("requests", "meanRecordsPerBatch", "latencyP50Ms", "latencyP99Ms", "latencyP999Ms");
        // issue 19: the model with constants fitted to a broker (ours on the tiny budget) beside the real client on it
        @SuppressWarnings("unchecked")
        Map<String, Object> fitted = (Map<String, Object>) json.get("fitted");
        assertThat(fitted).containsKeys("perRequestUs", "perBatchUs", "perByteNs", "oneWayLatencyUs", "rSquared",
                "rmsResidualUs");
        for (String side : List.of("predicted", "measured")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> ratios = (Map<String, Object>) json.get(side);
            for (String k : List.of("stickyVsRoundRobinP50", "stickyVsRoundRobinP99", "stickyVsRoundRobinMean")) {
                assertThat(ratios.get(k)).as(side + "." + k).isInstanceOf(Number.class);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> onBroker = (Map<String, Object>) json.get("onBroker");
        assertThat(onBroker).containsEntry("broker", "ours");
        assertThat((List<?>) onBroker.get("loads")).hasSize(3);
    }

    @Test
    void anUnknownTargetOrABadCalibrationFileIsAOneLineUsageError() throws IOException {
        Run r = run("calibrate", "--target", "zookeeper", "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.stderr().trim().lines()).hasSize(1);
        assertThat(r.stderr()).contains("unknown --target 'zookeeper'").contains("apache, ours");

        Path bad = out.resolve("calibrate.json");
        Files.writeString(bad, "{\"scenario\":\"calibrate\"}");
        Run b = run("partitioners", "--calibration", bad.toString(), "--out", out.toString());
        assertThat(b.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(b.stderr().trim().lines()).hasSize(1);
        assertThat(b.stderr()).contains("--calibration").contains("no \"fitted\" object");
        Run missing = run("partitioners", "--calibration", out.resolve("none.json").toString(), "--out", out.toString());
        assertThat(missing.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.stderr().trim().lines()).hasSize(1);
        assertThat(missing.stderr().trim()).endsWith(": no such file");
    }

    /** --out is checked before the benchmark runs: no minutes of measuring ending in an internal error. */
    @Test
    void anOutPathThatIsAFileIsAOneLineUsageErrorBeforeAnyRun() throws IOException {
        Path file = Files.writeString(out.resolve("a-file"), "kept");
        Run r = run("batching", "--quick", "--out", file.toString());
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.stderr().trim()).isEqualTo("deliverycheck: --out " + file + " is not a directory");
        assertThat(Files.readString(file)).isEqualTo("kept");
    }

    /** partitioners --calibration takes the fitted constants from the file instead of fitting afresh. */
    @Test
    void partitionersUsesTheCostModelOfACalibrationFile() throws IOException {
        Path file = out.resolve("given.json");
        Files.writeString(file, "{\"fitted\":{\"oneWayLatencyUs\":33,\"perRequestUs\":111,\"perBatchUs\":7,"
                + "\"perByteNs\":2}}");
        Run r = run("partitioners", "--quick", "--json", "--calibration", file.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> fitted = (Map<String, Object>) ((Map<String, Object>) Json.parse(r.stdout().trim())).get("fitted");
        assertThat(fitted).containsEntry("perRequestUs", 111.0).containsEntry("perBatchUs", 7.0)
                .containsEntry("from", file.toString());
    }

    @Test
    void anUnknownScenarioIsAOneLineUsageError() {
        Run r = run("no-such-scenario", "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.stderr().trim().lines()).hasSize(1);
        assertThat(r.stderr()).contains("unknown scenario 'no-such-scenario'").contains(String.join(", ", Scenarios.names()));
    }

    @Test
    void withoutJsonItPrintsASummaryAndTheFiles() {
        Run r = run("buffer-memory", "--quick", "--out", out.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("bench buffer-memory (quick").contains("files:").contains("buffer-memory.csv");
    }
}
