package dev.deliverycheck.explore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.sim.SimulationConfig;
import dev.deliverycheck.tlc.ProjectRoot;
import dev.deliverycheck.tlc.TraceValidator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The link between code and model: traces of explored runs of the real producer and broker,
 * with faults, are behaviours of their mode's TLA+ spec (TLC, breadth-first over the trace).
 * Two runs per mode by default ({@code -Ddeliverycheck.budget=10} validates twenty).
 *
 * <p>Exactly-once is not listed: its trace of run seed 1 is rejected at a BrokerAppend that
 * follows a coordinator crash (event #135), an open spec/code divergence written down in the
 * README; a test that skipped the rejected seed would prove nothing.
 */
class TraceValidationModelTest {
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE", "IDEMPOTENT"})
    void exploredRunsAreBehavioursOfTheSpec(Mode mode) {
        TraceValidator validator = new TraceValidator(ProjectRoot.tlaDir(ProjectRoot.locate())).withProgress(null);
        TraceSampler.Report report = new TraceSampler(validator, line -> { })
                .sample(SimulationConfig.forExploration(mode), 2 * ModelTestSupport.budget(), ModelTestSupport.STEPS, 1);
        for (TraceSampler.Sampled run : report.runs()) {
            assertThat(run.validation().ok())
                    .as("%s run seed %d (%d events): %s", mode.cliName(), run.seed(), run.events(),
                            run.validation().message())
                    .isTrue();
        }
        assertThat(report.events()).as("events validated").isPositive();
    }
}
