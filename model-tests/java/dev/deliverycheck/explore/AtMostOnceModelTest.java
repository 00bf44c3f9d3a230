package dev.deliverycheck.explore;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.sim.SimulationConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DESIGN.md's matrix row for AtMostOnce, asserted on the real code under random fault schedules. */
class AtMostOnceModelTest {
    @TempDir
    Path replays;

    @Test
    void matrixRowHoldsOnTheRealCode() {
        ExploreReport report = ModelTestSupport.explore(SimulationConfig.forExploration(Mode.AT_MOST_ONCE), replays,
                ModelTestSupport.runs(1000), 1);
        ModelTestSupport.assertMatrixRow(report);
    }
}
