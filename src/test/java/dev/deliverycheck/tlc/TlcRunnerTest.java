package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlcRunnerTest {
    @TempDir
    static Path dir;
    static Path spec;
    static TlcRunner runner;

    @BeforeAll
    static void writeSpec() throws Exception {
        spec = TinySpecs.write(dir);
        runner = new TlcRunner(dir).withProgress(null);
    }

    @Test
    void findsTheTlcJar() {
        assertThat(TlcRunner.tlcJar().toString()).endsWith(".jar");
        assertThat(Files.isRegularFile(TlcRunner.tlcJar())).isTrue();
    }

    @Test
    void buildsTheDesignCommandWithAFreshMetadir() {
        List<String> cmd = runner.command(spec, dir.resolve("holds.cfg"), dir.resolve("meta"));
        assertThat(cmd).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "tlc2.TLC", "-metadir", dir.resolve("meta").toString(),
                "-config", "holds.cfg", "Counter.tla", "-workers", "1",
                "-Djava.io.tmpdir=" + dir.resolve("meta").resolve("tmp"));
        assertThat(cmd.get(0)).endsWith("java");
        assertThat(runner.withWorkers("auto").command(spec, dir.resolve("holds.cfg"), dir)).contains("auto");
        assertThatThrownBy(() -> runner.withWorkers("many")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reportsTheViolatedInvariantAndTheCounterexample() {
        TlcResult r = runner.run(spec, dir.resolve("small.cfg"));
        assertThat(r.exitCode()).isEqualTo(12);
        assertThat(r.outcome()).isEqualTo(Outcome.violates("Small"));
        assertThat(r.counterexample()).containsExactly("CounterStep", "CounterStep");
    }

    @Test
    void simulationRunsRandomBehavioursWithTheGivenBudgetAndFindsTheViolation() {
        TlcRunner sim = runner.withSimulation(new TlcRunner.Simulation(50, 10, 7));
        List<String> cmd = sim.command(spec, dir.resolve("small.cfg"), dir.resolve("meta"));
        assertThat(String.join(" ", cmd)).contains("-XX:+UseParallelGC").contains("-simulate num=50 -depth 10 -seed 7")
                .doesNotContain("-coverage").doesNotContain("TieredStopAtLevel");
        TlcResult violated = sim.run(spec, dir.resolve("small.cfg"));
        assertThat(violated.outcome()).isEqualTo(Outcome.violates("Small"));
        assertThat(violated.counterexample()).isNotEmpty().allMatch("CounterStep"::equals);
        TlcResult holds = sim.run(spec, dir.resolve("holds.cfg"));
        assertThat(holds.outcome()).isEqualTo(Outcome.holds());
        assertThat(holds.distinctStates()).isEqualTo(-1);
        assertThat(holds.statesGenerated()).as("states checked by 50 traces of depth 10").isPositive();
        assertThatThrownBy(() -> new TlcRunner.Simulation(0, 10, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reportsDeadlockAndBrokenConfigs() {
        assertThat(runner.run(spec, dir.resolve("deadlock.cfg")).outcome()).isEqualTo(Outcome.deadlock());
        TlcResult broken = runner.run(spec, dir.resolve("broken.cfg"));
        assertThat(broken.outcome().kind()).isEqualTo(Outcome.Kind.ERROR);
        assertThat(broken.errorLines()).isNotEmpty();
    }

    @Test
    void twoRunsAtOnceDoNotShareAMetadir() throws Exception {
        TlcResult[] results = new TlcResult[2];
        Thread other = new Thread(() -> results[1] = runner.run(spec, dir.resolve("holds.cfg")));
        other.start();
        results[0] = runner.run(spec, dir.resolve("holds.cfg"));
        other.join();
        assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.holds()));
        assertThat(Files.exists(dir.resolve("states"))).isFalse();
    }

    @Test
    void reportsAHoldingModelWithItsExactStateCountAndNoProgressNoiseWhenQuick() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TlcResult r = new TlcRunner(dir).withProgress(new PrintStream(bytes, true)).run(spec, dir.resolve("holds.cfg"));
        assertThat(r.exitCode()).isZero();
        assertThat(r.outcome()).isEqualTo(Outcome.holds());
        assertThat(r.distinctStates()).isEqualTo(4);
        assertThat(r.counterexample()).isEmpty();
        assertThat(r.seconds()).isPositive();
        // progress lines start after 5 s, which a 4-state model reaches only on a loaded machine
        // (load 30 here): then they are progress lines and nothing of TLC's own output
        assertThat(bytes.toString().lines()).allMatch(l -> l.matches("  \\.\\.\\. TLC Counter\\.tla / holds\\.cfg: \\d+s"));
    }

    @Test
    void aRunThatNeverEndsIsStoppedAtItsLimitWithTheReason() throws Exception {
        Path endless = dir.resolve("endless");
        Files.createDirectories(endless);
        Files.writeString(endless.resolve("Endless.tla"),
                "---- MODULE Endless ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x' = x + 1\n====\n");
        Files.writeString(endless.resolve("Endless.cfg"), "INIT Init\nNEXT Next\n");
        TlcResult r = new TlcRunner(endless).withProgress(null).withTimeout(java.time.Duration.ofSeconds(3))
                .run(endless.resolve("Endless.tla"), endless.resolve("Endless.cfg"));
        assertThat(r.outcome().toString()).contains("TLC did not finish within 3 s");
        assertThat(r.seconds()).isGreaterThanOrEqualTo(3.0);
    }

    @Test
    void refusesAConfigOutsideTheSpecDirectory() {
        assertThatThrownBy(() -> runner.run(spec, dir.resolve("sub").resolve("x.cfg")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spec's directory");
    }

    @Test
    void namesTheCalledActionOfASourceRegion() {
        assertThat(TlcRunner.calledAction("\\E bt \\in pInflight[i] : ProducerSendFailed(i, bt)"))
                .isEqualTo("ProducerSendFailed");
        assertThat(TlcRunner.calledAction("\\E i \\in Producers : NeedAdd(i) # {} /\\ ProducerAddPartitions(i, NeedAdd(i))"))
                .isEqualTo("ProducerAddPartitions");
        assertThat(TlcRunner.calledAction("Helper(x)")).isEqualTo("Helper");
        assertThat(TlcRunner.calledAction("x' = x + 1")).isNull();
        assertThat(TlcRunner.calledAction("\\/ CoordinatorComplete")).isEqualTo("CoordinatorComplete");
    }

    @Test
    void resolvesAnActionFromTheSpecSource() {
        assertThat(runner.actionAt("Counter", 5, 1, 5, 11)).isNull();
        assertThat(runner.actionAt("Counter", 7, 9, 7, 35)).isNull();
        assertThat(runner.actionAt("Counter", 12, 16, 12, 47)).isEqualTo("ProducerTick");
        assertThat(runner.actionAt("Missing", 1, 1, 1, 2)).isNull();
    }

    /**
     * TLC copies its standard modules into the JVM's temp directory; runs that shared one read
     * each other's half-written copies when they started together. Eight at once must all parse.
     */
    @Test
    void runsStartedTogetherDoNotShareTemporaryFiles() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<TlcResult>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> runner.run(spec, dir.resolve("holds.cfg"))));
            }
            for (java.util.concurrent.Future<TlcResult> run : runs) {
                assertThat(run.get().outcome()).isEqualTo(Outcome.holds());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
