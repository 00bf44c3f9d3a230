package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLC's distributed mode on loopback: a TLCServer and one TLCWorker, both children bound to
 * 127.0.0.1, must find exactly the distinct states one TLC JVM finds, report a violation with
 * its counterexample although TLCServer exits 0, and give up within the bound when no worker
 * comes.
 */
class DistributedTlcTest {
    @TempDir
    Path dir;

    private static DistributedTlc loopback(Path lib, int workers, int workerWaitSeconds) {
        return new DistributedTlc(lib, "127.0.0.1", 0, workers, Duration.ofSeconds(workerWaitSeconds),
                Duration.ofMinutes(5), null);
    }

    @Test
    void aServerAndOneWorkerFindTheSameStatesAsOneJvm() {
        Path root = ProjectRoot.locate();
        ModelManifest manifest = ModelManifest.read(ProjectRoot.tlaDir(root).resolve("models.json"));
        ModelManifest.Entry model = manifest.find("MCAtMostOnce").orElseThrow();
        TlcResult r = loopback(manifest.directory(), 1, 120).run(manifest.specOf(model), manifest.configOf(model));
        assertThat(r.outcome()).isEqualTo(Outcome.holds());
        assertThat(r.distinctStates()).as("distinct states of one TLC JVM, recorded in models.json")
                .isEqualTo(model.distinctStates()).isPositive();
    }

    @Test
    void aViolationIsReportedWithItsCounterexample() throws Exception {
        Path spec = TinySpecs.write(dir);
        TlcResult r = loopback(dir, 1, 120).run(spec, dir.resolve("small.cfg"));
        assertThat(r.outcome()).isEqualTo(Outcome.violates("Small"));
        // TLCServer prints the behaviour from the second state on, labelled as the initial one
        // (x = 1 as "Initial predicate"): one CounterStep of the two is shown
        assertThat(r.counterexample()).containsExactly("CounterStep");
    }

    @Test
    void withoutAWorkerTheServerGivesUpWithinTheBoundAndSaysHowToStartOne() throws Exception {
        Path spec = TinySpecs.write(dir);
        long start = System.nanoTime();
        TlcResult r = loopback(dir, 0, 2).run(spec, dir.resolve("holds.cfg"));
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.ERROR);
        assertThat(r.outcome().toString()).contains("no TLC worker registered within 2 s")
                .contains("tlc2.tool.distributed.TLCWorker 127.0.0.1");
        assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(120);
    }

    @Test
    void readsTheOutcomeFromTheOutputBecauseTheServerExitsZero() {
        assertThat(DistributedTlc.effectiveExit(0, java.util.List.of("Error: Invariant NoLoss is violated."))).isEqualTo(12);
        assertThat(DistributedTlc.effectiveExit(0, java.util.List.of("Error: Deadlock reached."))).isEqualTo(11);
        assertThat(DistributedTlc.effectiveExit(0, java.util.List.of("Finished in 01s"))).isZero();
    }

    @Test
    void namesTheViolatedInvariantFromTheConfigWhenTheServerDoesNot() throws Exception {
        Path cfg = dir.resolve("x.cfg");
        java.nio.file.Files.writeString(cfg, "\\* a comment INVARIANT Fake\nINIT Init\nNEXT Next\nINVARIANTS\n  NoLoss\n  NoDuplicate\n");
        assertThat(DistributedTlc.invariantsOf(cfg)).containsExactly("NoLoss", "NoDuplicate");
        java.util.List<String> behaviour = java.util.List.of("Error: The behavior up to this point is:", "State 1: <Initial predicate>");
        assertThat(DistributedTlc.named(behaviour, java.util.List.of("Small")).get(0))
                .startsWith("Error: Invariant Small is violated");
        assertThat(DistributedTlc.named(behaviour, java.util.List.of("A", "B")).get(0)).contains("one-of:A,B");
        assertThat(DistributedTlc.named(java.util.List.of("Finished"), java.util.List.of("Small"))).containsExactly("Finished");
    }
}
