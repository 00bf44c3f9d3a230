package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Liveness models through the real TLC: a lasso counts only as the temporal property its config lists. */
class ModelSuiteTest {
    @TempDir
    Path dir;
    ModelSuite suite;
    ModelManifest manifest;

    @BeforeEach
    void writeManifest() throws Exception {
        TinySpecs.write(dir);
        Files.writeString(dir.resolve("models.json"), "{\"models\": ["
                + model("Live", "live.cfg", "holds") + ","
                + model("Unfair", "unfair.cfg", "violates ReachesThree") + ","
                + model("UnfairSmall", "unfairSmall.cfg", "violates ReachesThree") + "]}");
        manifest = ModelManifest.read(dir.resolve("models.json"));
        suite = new ModelSuite(manifest, new TlcRunner(dir).withWorkers("1"));
    }

    private static String model(String name, String config, String expected) {
        return "{\"name\": \"" + name + "\", \"spec\": \"Counter.tla\", \"config\": \"" + config
                + "\", \"expected\": \"" + expected + "\", \"distinctStates\": null}";
    }

    @Test
    void aFairLivenessModelHolds() {
        ModelCheck c = suite.check(manifest.find("Live").orElseThrow());
        assertThat(c.observed()).isEqualTo("holds");
        assertThat(c.ok()).isTrue();
    }

    @Test
    void aLassoIsNamedByTheConfigsOneProperty() {
        ModelCheck c = suite.check(manifest.find("Unfair").orElseThrow());
        assertThat(c.observed()).isEqualTo("violates ReachesThree");
        assertThat(c.ok()).isTrue();
        assertThat(c.counterexample()).isNotEmpty();
    }

    @Test
    void aSafetyViolationIsNoTemporalOne() {
        ModelCheck c = suite.check(manifest.find("UnfairSmall").orElseThrow());
        assertThat(c.observed()).isEqualTo("violates Small");
        assertThat(c.ok()).isFalse();
    }

    @Test
    void livenessModelsStayOutOfTheCoverageGate() {
        ModelCheck live = suite.check(manifest.find("Live").orElseThrow());
        assertThat(live.coverage()).isEqualTo(Coverage.NONE);
        assertThat(suite.coverage(java.util.List.of(live)).specs()).isEmpty();
    }
}
