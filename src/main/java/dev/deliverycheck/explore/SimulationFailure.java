package dev.deliverycheck.explore;

/**
 * The simulated system itself broke while running a schedule (a node threw, or stayed busy
 * forever): not an invariant verdict but a bug, reported with the schedule that provokes it.
 */
public final class SimulationFailure extends RuntimeException {
    private final transient Schedule schedule;

    public SimulationFailure(Schedule schedule, RuntimeException cause) {
        super("simulation failed after step " + schedule.steps().size() + " of a " + schedule.mode().cliName()
                + " schedule (seed " + schedule.seed() + "): " + cause.getMessage(), cause);
        this.schedule = schedule;
    }

    /** The steps up to and including the one that failed. */
    public Schedule schedule() {
        return schedule;
    }
}
