package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.json.Json;
import dev.deliverycheck.tlc.ModelsTable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckModelsCommandTest {
    private static final String COUNTER = """
            ---- MODULE Counter ----
            EXTENDS Naturals
            VARIABLE x
            Init == x = 0
            CounterStep == x < 3 /\\ x' = x + 1
            CounterWrap == x = 3 /\\ x' = 0
            Next == CounterStep \\/ CounterWrap
            TypeOK == x \\in 0..3
            Small == x < 2
            ====
            """;

    @TempDir
    Path root;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void writeModels() throws Exception {
        Path tla = Files.createDirectories(root.resolve("tla"));
        Files.writeString(tla.resolve("Counter.tla"), COUNTER);
        Files.writeString(tla.resolve("holds.cfg"), "INIT Init\nNEXT Next\nINVARIANT TypeOK\n");
        Files.writeString(tla.resolve("small.cfg"), "INIT Init\nNEXT Next\nINVARIANT Small\n");
        manifest("holds", "violates Small");
    }

    private void manifest(String holdsExpected, String smallExpected) throws Exception {
        Files.writeString(root.resolve("tla/models.json"), "{\"models\": ["
                + "{\"name\": \"CounterHolds\", \"spec\": \"Counter.tla\", \"config\": \"holds.cfg\", \"expected\": \""
                + holdsExpected + "\", \"distinctStates\": null},"
                + "{\"name\": \"CounterSmall\", \"spec\": \"Counter.tla\", \"config\": \"small.cfg\", \"expected\": \""
                + smallExpected + "\", \"distinctStates\": null}]}");
    }

    private int run(String... args) {
        CommandLine cl = new CommandLine(new CheckModelsCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "--root";
        all[1] = root.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return cl.execute(all);
    }

    @Test
    void everyModelMatchingExitsZeroAndPrintsEachVerdict() {
        assertThat(run()).isZero();
        assertThat(out.toString())
                .containsPattern("ok +CounterHolds +expected holds +observed holds +4 states")
                .containsPattern("ok +CounterSmall +expected violates Small +observed violates Small")
                .contains("counterexample: CounterStep -> CounterStep")
                .contains("check-models: ok -- 2 model(s)");
    }

    /** Models checked at once print what a serial run prints, in manifest order; only the seconds differ. */
    @Test
    void modelsCheckedInParallelPrintTheSerialRunsOutput() {
        assertThat(run("--jobs", "1")).isZero();
        String serial = withoutSeconds(out.toString());
        out.getBuffer().setLength(0);
        assertThat(run("--jobs", "2")).isZero();
        assertThat(withoutSeconds(out.toString())).isEqualTo(serial);
        assertThat(serial.indexOf("CounterHolds")).isLessThan(serial.indexOf("CounterSmall"));
    }

    private static String withoutSeconds(String s) {
        return s.replaceAll("\\d+\\.\\d s", "N s");
    }

    @Test
    void jobsMustBePositiveAndBelongToTheDefaultTier() {
        assertThat(run("--jobs", "0")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--jobs must be at least 1, got 0");
        assertThat(run("--tier", "deep", "--jobs", "2")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--jobs applies to the default tier");
        assertThat(out.toString()).isEmpty();
    }

    /**
     * check-models stopped by a signal (a CI timeout, kill) takes its TLC child with it: the child,
     * a JVM of its own, would otherwise check an endless model for the watchdog's hour.
     */
    @Test
    void aKilledCheckModelsLeavesNoTlcRunning() throws Exception {
        Files.writeString(root.resolve("tla/Endless.tla"),
                "---- MODULE Endless ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x' = x + 1\n====\n");
        Files.writeString(root.resolve("tla/endless.cfg"), "INIT Init\nNEXT Next\n");
        Files.writeString(root.resolve("tla/models.json"), "{\"models\": [{\"name\": \"Endless\", \"spec\": "
                + "\"Endless.tla\", \"config\": \"endless.cfg\", \"expected\": \"holds\", \"distinctStates\": null}]}");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process cli = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "check-models", "--root", root.toString()).redirectErrorStream(true)
                .redirectOutput(root.resolve("cli.log").toFile()).start();
        List<ProcessHandle> tlc = List.of();
        try {
            // TLC's first progress line means the run is under way, its child watched
            Path log = root.resolve("cli.log");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (cli.isAlive() && System.nanoTime() < deadline && !Files.readString(log).contains("... TLC Endless")) {
                cli.waitFor(50, TimeUnit.MILLISECONDS);
            }
            tlc = cli.descendants().filter(h -> h.info().commandLine().orElse("").contains("tlc2.TLC")).toList();
            assertThat(tlc).as("a TLC child was started (log: %s)", Files.readString(root.resolve("cli.log")))
                    .isNotEmpty();
            cli.destroy();
            assertThat(cli.waitFor(60, TimeUnit.SECONDS)).as("check-models stopped on SIGTERM").isTrue();
            for (ProcessHandle h : tlc) {
                h.onExit().completeOnTimeout(h, 60, TimeUnit.SECONDS).get();
                assertThat(h.isAlive()).as("TLC child %d outlived check-models", h.pid()).isFalse();
            }
        } finally {
            cli.destroyForcibly();
            tlc.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The deep tier reads its own manifest and runs TLC's simulation mode: no coverage gate, states checked. */
    @Test
    void theDeepTierSimulatesTheModelsOfItsOwnManifest() throws Exception {
        Files.copy(root.resolve("tla/models.json"), root.resolve("tla/models-deep.json"));
        Files.writeString(root.resolve("tla/models.json"), "not read by the deep tier");
        assertThat(run("--tier", "deep", "--traces", "20", "--depth", "6", "--seed", "3")).as(err.toString()).isZero();
        assertThat(out.toString())
                .containsPattern("ok +CounterHolds +expected holds +observed holds +[0-9,]+ states checked")
                .containsPattern("ok +CounterSmall +expected violates Small +observed violates Small")
                .contains("check-models --tier deep: ok -- 2 model(s), simulation, 20 traces of depth 6, seed 3")
                .doesNotContain("coverage");
    }

    @Test
    void deepTierOptionsAreCheckedBeforeAnyModelRuns() {
        assertThat(run("--tier", "shallow")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--tier must be 'default' or 'deep', got 'shallow'");
        assertThat(run("--distributed")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--distributed needs --tier deep");
        assertThat(run("--tier", "deep", "--record")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--record applies to the default tier");
        assertThat(run("--tier", "deep", "--traces", "0")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("--tier", "deep", "--distributed", "--listen", "no-such-host.invalid")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--listen no-such-host.invalid: unknown host");
        assertThat(run("--tier", "deep", "--distributed", "--listen", "192.0.2.1")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--listen 192.0.2.1: not an address of this machine");
        assertThat(out.toString()).isEmpty();
    }

    /** The coverage gate at the command: an action no positive model enables fails the run until exempted. */
    @Test
    void anActionNoPositiveModelEnablesIsAMismatchUnlessListedAsUnreachable() throws Exception {
        Files.writeString(root.resolve("tla/Counter.tla"), COUNTER.replace("Next == CounterStep \\/ CounterWrap",
                "CounterNever == x > 5 /\\ x' = 0\nNext == CounterStep \\/ CounterWrap \\/ CounterNever"));
        assertThat(run()).isEqualTo(1);
        assertThat(out.toString()).contains("coverage Counter: 2/3 actions enabled")
                .contains("never reached: Counter!CounterNever").contains("check-models: MISMATCH");
        String json = Files.readString(root.resolve("tla/models.json"));
        Files.writeString(root.resolve("tla/models.json"), json.substring(0, json.length() - 1)
                + ", \"unreachable\": [{\"id\": \"Counter!CounterNever\", \"reason\": \"x stops at 3\"}]}");
        out.getBuffer().setLength(0);
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("coverage: ok -- 0 unreached, 1 exempt");
    }

    @Test
    void jsonGivesOneObjectWithEveryField() {
        assertThat(run("--json", "--model", "CounterSmall")).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(out.toString().trim());
        assertThat(json.get("ok")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> models = (List<Map<String, Object>>) json.get("models");
        assertThat(models).hasSize(1);
        assertThat(models.get(0)).containsEntry("name", "CounterSmall").containsEntry("expected", "violates Small")
                .containsEntry("observed", "violates Small").containsEntry("ok", true)
                .containsKeys("distinctStates", "seconds")
                .containsEntry("counterexample", List.of("CounterStep", "CounterStep"));
    }

    @Test
    void aModelThatDisagreesWithItsExpectationExitsOneAndIsNotRecorded() throws Exception {
        manifest("violates TypeOK", "holds");
        assertThat(run("--record")).isEqualTo(Main.EXIT_MISMATCH);
        assertThat(out.toString()).containsPattern("FAIL +CounterHolds +expected violates TypeOK +observed holds")
                .containsPattern("FAIL +CounterSmall +expected holds +observed violates Small")
                .contains("MISMATCH");
        assertThat(Files.readString(root.resolve("tla/models.json"))).doesNotContain("\"distinctStates\": 4")
                .contains("\"distinctStates\": null");
    }

    @Test
    void anUnknownModelIsAUsageError() {
        assertThat(run("--model", "Nope")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("unknown model 'Nope'").contains("CounterHolds").doesNotContain("Exception");
        assertThat(err.toString().lines().count()).isEqualTo(1);
    }

    @Test
    void aMalformedManifestIsAUsageError() throws Exception {
        Files.writeString(root.resolve("tla/models.json"), "{\"models\": [{\"name\": \"X\"}]}");
        assertThat(run()).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("model X").contains("\"spec\"");
        assertThat(run("--workers", "lots")).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void recordWritesTheStateCountsOfMatchingModels() throws Exception {
        assertThat(run("--record", "--model", "CounterHolds")).isZero();
        String manifest = Files.readString(root.resolve("tla/models.json"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> models = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(manifest)).get("models");
        assertThat(models.get(0)).containsEntry("name", "CounterHolds").containsEntry("distinctStates", 4L).containsKey("seconds");
        assertThat(models.get(1)).containsEntry("distinctStates", null);
    }

    @Test
    void recordAlsoRewritesTheModelsTableOfTheSpecDocument() throws Exception {
        Path doc = Files.createDirectories(root.resolve("spec")).resolve("tla-models.md");
        Files.writeString(doc, "# Models\n\n" + ModelsTable.BEGIN + "\nstale\n" + ModelsTable.END + "\n\nAfter.\n");
        assertThat(run("--record", "--model", "CounterHolds")).isZero();
        String text = Files.readString(doc);
        assertThat(text).startsWith("# Models\n\n").endsWith(ModelsTable.END + "\n\nAfter.\n").doesNotContain("stale");
        assertThat(ModelsTable.extract(text)).contains("| CounterHolds | Counter.tla | holds.cfg | holds | 4 |");
        assertThat(err.toString()).contains("updated the table");
    }
}
