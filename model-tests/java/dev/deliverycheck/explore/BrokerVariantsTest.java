package dev.deliverycheck.explore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.sim.BrokerFactory;
import dev.deliverycheck.sim.SimulationConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Teeth: the same properties, run against deliberately broken brokers, must fail. Each variant
 * is the production broker with one protection switched off (the switches exist only for
 * these tests), so a property that stays green here would be a property that checks nothing.
 */
class BrokerVariantsTest {
    @TempDir
    Path replays;

    private ExploreReport exploreVariant(Mode mode, BrokerConfig broken, String name, int runs) {
        SimulationConfig template = SimulationConfig.forExploration(mode).withBroker(broken, BrokerFactory.REAL, name);
        return ModelTestSupport.explore(template, replays, ModelTestSupport.runs(runs), 1);
    }

    @Test
    void forgettingProducerStateOnRestartDuplicates() {
        ExploreReport report = exploreVariant(Mode.IDEMPOTENT,
                SimulationConfig.SIMULATED_BROKER.withProducerStateRecovery(false), "no-producer-state-recovery", 1000);
        ModelTestSupport.assertCaught(report, Invariant.NO_DUPLICATE);
    }

    @Test
    void aDedupWindowOfOneDuplicates() {
        ExploreReport report = exploreVariant(Mode.IDEMPOTENT,
                SimulationConfig.SIMULATED_BROKER.withProducerStateWindow(1), "dedup-window-1", 1000);
        ModelTestSupport.assertCaught(report, Invariant.NO_DUPLICATE);
    }

    @Test
    void aCoordinatorThatSkipsFencingLetsZombiesIn() {
        ExploreReport report = exploreVariant(Mode.EXACTLY_ONCE,
                SimulationConfig.SIMULATED_BROKER.withFencingEnabled(false), "no-fencing", 1000);
        ModelTestSupport.assertCaught(report, Invariant.ZOMBIE_FENCED);
    }

    @Test
    void acceptingTransactionalAppendsWithoutVerificationBreaksTransactions() {
        ExploreReport report = exploreVariant(Mode.EXACTLY_ONCE,
                SimulationConfig.SIMULATED_BROKER.withVerifyTransactionalPartitions(false), "no-kip-890-verification", 2000);
        assertThat(report.invariants().values().stream().anyMatch(o -> !o.holds()))
                .as("some invariant must fail without the KIP-890 check; outcomes %s", report.invariants())
                .isTrue();
    }
}
