package dev.deliverycheck.explore;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.producer.internals.TransactionManager;
import dev.deliverycheck.sim.Simulation;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates a random schedule from a seed, step by step against a live simulation so that each
 * action's precondition can be consulted (deliver only when something is in flight, restart
 * only a crashed broker, commit only inside a transaction, ...). Each action has a weight; the
 * weights favour the ordinary traffic that faults need to act on. Same seed, same schedule.
 */
public final class ScheduleGenerator {
    /** Time steps: small ones let linger and backoff expire, large ones reach request, delivery and transaction timeouts. */
    private static final long[] ADVANCE_MS = {1, 5, 20, 100, 1_000, 31_000, 61_000};
    private static final int KEYS = 6;

    private final Mode mode;

    public ScheduleGenerator(Mode mode) {
        this.mode = mode;
    }

    /**
     * The cluster shape a run seed selects: 1-2 brokers (2 for exactly-once), 1-3 partitions (at
     * least 2 for a run focused on a transaction timeout, which is interesting when it spans partitions).
     */
    public static int[] shapeFor(Mode mode, long runSeed) {
        SeededRandom r = new SeededRandom(runSeed ^ 0x5DEECE66DL);
        int brokers = mode.transactional() ? 2 : 1 + r.nextInt(2);
        int partitions = 1 + r.nextInt(3);
        if (focusFor(mode, runSeed) == Focus.TRANSACTION_TIMEOUT) {
            partitions = Math.max(2, partitions);
        }
        return new int[] {brokers, partitions};
    }

    /**
     * What a run aims at. Half the runs are unfocused; the others weight the actions that lead to
     * one rare situation (a coverage scenario) five to ten times higher, so that schedules that
     * need a lost answer and a request timeout, a crash inside the fsync window, a clean restart
     * from snapshots, a transaction timeout or a zombie are generated on purpose, not by luck.
     */
    public enum Focus {
        NONE, LOST_ANSWER, CRASH_UNFLUSHED, RESTART_FROM_SNAPSHOT, TRANSACTION_TIMEOUT, ZOMBIE;

        boolean transactionalOnly() {
            return this == TRANSACTION_TIMEOUT || this == ZOMBIE;
        }
    }

    /** The focus a run seed selects: NONE for half the seeds, else one of the mode's foci, evenly. */
    public static Focus focusFor(Mode mode, long runSeed) {
        SeededRandom r = new SeededRandom(runSeed ^ 0x2545F4914F6CDD1DL);
        if (r.nextInt(2) == 0) {
            return Focus.NONE;
        }
        List<Focus> foci = new ArrayList<>();
        for (Focus f : Focus.values()) {
            if (f != Focus.NONE && (mode.transactional() || !f.transactionalOnly())) {
                foci.add(f);
            }
        }
        return foci.get(r.nextInt(foci.size()));
    }

    /** Generates a schedule of {@code length} steps from {@code runSeed}, running and checking it on the way. */
    public RunResult generate(long runSeed, int length, ScheduleRunner runner) {
        int[] shape = shapeFor(mode, runSeed);
        Focus focus = focusFor(mode, runSeed);
        Schedule header = new Schedule(mode, runSeed, shape[0], shape[1], null, List.of());
        SeededRandom random = new SeededRandom(runSeed);
        return runner.execute(header, length, (sim, i) -> next(sim, random, focus), null);
    }

    private Step next(Simulation sim, SeededRandom random, Focus focus) {
        Options options = new Options();
        int requests = sim.network().inFlightCount(true);
        int responses = sim.network().inFlightCount(false);
        boolean transactional = mode.transactional();
        TransactionManager.State txn = transactional ? sim.transactionState() : null;
        boolean inTxn = txn == TransactionManager.State.IN_TRANSACTION;

        if (!transactional || inTxn) {
            String key = random.nextInt(4) == 0 ? null : "k" + random.nextInt(KEYS);
            options.add(new Step.Send(key), focus == Focus.RESTART_FROM_SNAPSHOT ? 50 : 30);
        }
        if (requests + responses > 0) {
            options.add(new Step.Deliver(random.nextInt(3) == 0 ? random.nextInt(4) : 0), 35);
        }
        if (requests > 0) {
            options.add(new Step.LoseRequest(random.nextInt(requests)), 4);
        }
        if (responses > 0) {
            options.add(new Step.LoseResponse(random.nextInt(responses)), focus == Focus.LOST_ANSWER ? 25 : 5);
        }
        options.add(new Step.Advance(ADVANCE_MS[pickAdvance(random)]), 12);
        if (sim.produceAnswerLostSinceLastRetry()) {
            // The producer waits for an answer that was lost: only its request timeout (and then
            // the retry that the broker must recognise as a duplicate) moves the run on.
            options.add(new Step.Advance(ADVANCE_MS[5]), focus == Focus.LOST_ANSWER ? 30 : 6);
        }
        int up = 0;
        for (int b = 0; b < sim.brokerCount(); b++) {
            if (sim.brokerUp(b)) {
                up++;
            } else {
                options.add(new Step.RestartBroker(b), 8);
            }
        }
        if (up > 0) {
            options.add(new Step.CrashBroker(random.nextInt(sim.brokerCount())), 3);
            // A clean shutdown writes producer-state snapshots: the next recovery starts from them.
            options.add(new Step.ShutdownBroker(random.nextInt(sim.brokerCount())),
                    focus == Focus.RESTART_FROM_SNAPSHOT ? 10 : 2);
        }
        for (int b = 0; b < sim.brokerCount(); b++) {
            // A crash while a tail is unflushed is the one that can lose acknowledged-looking data,
            // and it has only a few milliseconds to happen in: aim for it.
            if (sim.hasUnflushedTail(b)) {
                options.add(new Step.CrashBroker(b), focus == Focus.CRASH_UNFLUSHED ? 30 : 3);
            }
        }
        options.add(new Step.Flush(), 3);
        if (transactional) {
            if (txn == TransactionManager.State.READY) {
                options.add(new Step.BeginTxn(), 15);
            }
            if (inTxn) {
                if (focus == Focus.TRANSACTION_TIMEOUT && sim.timeoutAborts() == 0) {
                    // Aimed at a timeout: keep the transaction open past transaction.timeout.ms (60 s)
                    // until the coordinator aborts it for its age.
                    options.add(new Step.CommitTxn(), 1);
                    options.add(new Step.Advance(ADVANCE_MS[6]), 15);
                } else {
                    // After a timeout abort the producer, unaware, goes on and commits.
                    options.add(new Step.CommitTxn(), focus == Focus.TRANSACTION_TIMEOUT ? 10 : 5);
                    options.add(new Step.AbortTxn(), 2);
                }
            }
            if (txn == TransactionManager.State.ABORTABLE_ERROR) {
                options.add(new Step.AbortTxn(), 10);
            }
            options.add(new Step.RestartProducer(), focus == Focus.ZOMBIE ? 8 : 1);
        }
        return options.pick(random);
    }

    /** Small advances are common, timeout-sized ones rare. */
    private static int pickAdvance(SeededRandom random) {
        int r = random.nextInt(20);
        if (r < 14) {
            return random.nextInt(3);
        }
        if (r < 18) {
            return 3 + random.nextInt(2);
        }
        return 5 + random.nextInt(2);
    }

    /** The enabled actions and their weights, in the order they were offered (the order decides the pick). */
    private static final class Options {
        private final List<Step> steps = new ArrayList<>(16);
        private int[] weights = new int[16];
        private int total;

        void add(Step step, int weight) {
            if (steps.size() == weights.length) {
                weights = java.util.Arrays.copyOf(weights, weights.length * 2);
            }
            weights[steps.size()] = weight;
            steps.add(step);
            total += weight;
        }

        /** One draw in [0, total): the action whose cumulative weight first exceeds it. */
        Step pick(SeededRandom random) {
            int pick = random.nextInt(total);
            for (int i = 0; i < steps.size(); i++) {
                pick -= weights[i];
                if (pick < 0) {
                    return steps.get(i);
                }
            }
            throw new IllegalStateException("unreachable: weights sum to " + total);
        }
    }
}
