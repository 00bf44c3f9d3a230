package dev.deliverycheck.explore;

import dev.deliverycheck.check.Mode;
import java.util.List;

/**
 * A replayable schedule: the mode, the seed that configures the simulation (and generated the
 * steps), the simulation's shape, and the steps. {@code failing} names the invariant the
 * schedule was saved for, or is null.
 */
public record Schedule(Mode mode, long seed, int brokers, int partitions, String failing, List<Step> steps) {
    public Schedule {
        steps = List.copyOf(steps);
        if (brokers < 1 || partitions < 1) {
            throw new IllegalArgumentException("a schedule needs at least one broker and one partition");
        }
    }

    public Schedule withSteps(List<Step> newSteps) {
        return new Schedule(mode, seed, brokers, partitions, failing, newSteps);
    }

    public Schedule failing(String invariant) {
        return new Schedule(mode, seed, brokers, partitions, invariant, steps);
    }
}
