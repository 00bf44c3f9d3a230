package dev.deliverycheck.explore;

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
 *
 * <p>The fourth known-bad protocol variant, a leader that skips the KIP-890 part 1 check, is
 * rejected by TLC ({@code MCExactlyOnceNoKip890}) but has no Java teeth test: the Java producer
 * bumps its epoch after a batch it could not resolve, so a late produce from an aborted
 * transaction carries an old epoch; reaching the anomaly needs that produce delayed past the
 * request timeout, the abort, and a new transaction in one narrow order, which 2,000 random
 * schedules did not generate. The check stays in the broker as defence in depth. The same holds
 * for a broker without KIP-890 part 2 ({@code withBumpEpochPerTxn(false)}); its teeth are the
 * hand-ordered {@code BrokerTransactionTest} (the late produce joins the next transaction) and
 * {@code ExploredTracesTest} (its runs are no behaviour of the Kafka 4 spec).
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
}
