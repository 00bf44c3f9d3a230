package dev.deliverycheck.explore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.event.CoordinatorAddPartitions;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.ProducerAddPartitions;
import dev.deliverycheck.sim.BrokerFactory;
import dev.deliverycheck.sim.SimulationConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once mode under both transaction versions on the real code. Version 2 (what the
 * explorer runs, as a new Kafka 4 cluster): the producer never sends AddPartitionsToTxn, yet the
 * coordinator gets every partition -- from the partition leaders. Version 1 (the switch): the
 * producer adds its partitions itself, and the matrix row holds there too.
 */
class TransactionVersionModelTest {
    private static final int SEEDS = 30;

    @TempDir
    Path replays;

    private static List<Event> events(SimulationConfig config) {
        List<Event> all = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            all.addAll(new ScheduleGenerator(config.mode()).generate(seed, ModelTestSupport.STEPS,
                    new ScheduleRunner(config)).history().events());
        }
        return all;
    }

    private static SimulationConfig version1() {
        return SimulationConfig.forExploration(Mode.EXACTLY_ONCE).withBroker(
                SimulationConfig.EXPLORATION_BROKER.withAddPartitionsOnProduce(false), BrokerFactory.REAL, "real");
    }

    @Test
    void underVersion2OnlyLeadersAddPartitions() {
        List<Event> events = events(SimulationConfig.forExploration(Mode.EXACTLY_ONCE));
        assertThat(events).filteredOn(ProducerAddPartitions.class::isInstance).isEmpty();
        assertThat(events).filteredOn(CoordinatorAddPartitions.class::isInstance).isNotEmpty();
    }

    @Test
    void underVersion1TheProducerAddsThemAndTheMatrixRowHolds() {
        assertThat(events(version1())).filteredOn(ProducerAddPartitions.class::isInstance).isNotEmpty();
        ExploreReport report = ModelTestSupport.explore(version1(), replays, ModelTestSupport.runs(300), 1);
        ModelTestSupport.assertMatrixRow(report);
    }
}
