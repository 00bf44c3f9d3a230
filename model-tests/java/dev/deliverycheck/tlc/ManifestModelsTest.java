package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs TLC on every model of {@code tla/models.json}: {@code mvn -B verify} fails if any model's
 * outcome differs from its expectation (a violation counts only if TLC names the expected
 * property; for a liveness model's temporal property, which TLC reports unnamed with exit code 13,
 * only if that exit code came with the config's one PROPERTY -- {@link TlcConfig}: a safety
 * violation in the same model is named by its invariant and does not count), or if a model that holds no longer has the state count recorded for it -- a
 * changed state space must be re-recorded on purpose with {@code check-models --record}. The last
 * test is the coverage gate over the positive models ({@link CoverageGate}): every action and
 * branch of each spec is reached, or listed as unreachable in the manifest with a reason.
 *
 * <p>Each TLC run is a single-worker child JVM, so the models are started on one thread per core
 * in manifest order and each test waits for its own model; the verdicts do not depend on the order.
 */
class ManifestModelsTest {
    private static final ExecutorService TLC_JOBS = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()));

    @AfterAll
    static void stopJobs() {
        TLC_JOBS.shutdownNow();
    }

    @TestFactory
    Stream<DynamicTest> everyModelShowsItsExpectedOutcome() {
        ModelManifest manifest = ModelManifest.read(ProjectRoot.tlaDir(ProjectRoot.locate()).resolve("models.json"));
        ModelSuite suite = new ModelSuite(manifest, new TlcRunner(manifest.directory()));
        List<CompletableFuture<ModelCheck>> running = manifest.entries().stream()
                .map(entry -> CompletableFuture.supplyAsync(() -> suite.check(entry), TLC_JOBS)).toList();
        List<ModelCheck> checks = new ArrayList<>();
        Stream<DynamicTest> models = manifest.entries().stream().map(entry -> DynamicTest.dynamicTest(entry.name(), () -> {
            ModelCheck check = running.get(manifest.entries().indexOf(entry)).join();
            checks.add(check);
            assertThat(check.observed())
                    .as("%s: TLC observed %s (counterexample %s)", entry.name(), check.observed(), check.counterexample())
                    .isEqualTo(check.expected());
            if (entry.expected().equals("holds") && entry.distinctStates() != null) {
                assertThat(check.distinctStates()).as("%s distinct states (re-record if the spec changed on purpose)",
                        entry.name()).isEqualTo(entry.distinctStates());
            }
            if (check.observed().startsWith("violates")) {
                assertThat(check.counterexample()).as("%s counterexample", entry.name()).isNotEmpty();
            }
        }));
        DynamicTest gate = DynamicTest.dynamicTest("coverage gate", () -> {
            assertThat(suite.coversEveryPositiveModel(checks)).as("every positive model ran").isTrue();
            CoverageGate.Report report = suite.coverage(checks);
            assertThat(report.unreached()).as("actions/branches no positive model reached (%s)", report.specs())
                    .isEmpty();
            assertThat(report.stale()).as("listed as unreachable in models.json but reached").isEmpty();
        });
        return Stream.concat(models, Stream.of(gate));
    }
}
