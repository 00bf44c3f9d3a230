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
        NONE, LOST_ANSWER, CRASH_UNFLUSHED, RESTART_FROM_SNAPSHOT, TRANSACTION_TIMEOUT, ZOMBIE,
        /**
         * A transaction's markers outlive {@code request.timeout.ms} on the wire (the coordinator
         * gives up on them and sends them again), and whatever marker is still in flight when the
         * next transaction runs is overtaken by that transaction's traffic, which then ends either way.
         */
        LATE_MARKER;

        boolean transactionalOnly() {
            return this == TRANSACTION_TIMEOUT || this == ZOMBIE || this == LATE_MARKER;
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
        LateMarkerAim aim = focus == Focus.LATE_MARKER ? new LateMarkerAim() : null;
        return runner.execute(header, length, (sim, i) -> next(sim, random, focus, aim), null);
    }

    /** The next step; {@code aim} is the run's late-marker state (null unless the focus is LATE_MARKER). */
    private Step next(Simulation sim, SeededRandom random, Focus focus, LateMarkerAim aim) {
        Options options = new Options();
        int requests = sim.network().inFlightCount(true);
        int responses = sim.network().inFlightCount(false);
        boolean transactional = mode.transactional();
        TransactionManager.State txn = transactional ? sim.transactionState() : null;
        boolean inTxn = txn == TransactionManager.State.IN_TRANSACTION;
        // A run aimed at a late marker needs several transactions to run their course: no losses,
        // crashes or producer restarts, which would reset the connection that holds the marker.
        boolean calm = aim != null;

        if (!transactional || inTxn) {
            String key = random.nextInt(4) == 0 ? null : "k" + random.nextInt(KEYS);
            if (aim != null) {
                key = aim.key(key, random);
            }
            // A late-marker run needs several short transactions within its steps.
            options.add(new Step.Send(key), focus == Focus.RESTART_FROM_SNAPSHOT ? 50 : calm ? aim.sendWeight() : 30);
        }
        Step.Deliver delivery = null;
        if (requests + responses > 0) {
            int index = random.nextInt(3) == 0 ? random.nextInt(4) : 0;
            if (aim != null) {
                index = aim.delivery(sim, index, txn);
            }
            if (index >= 0) {
                delivery = new Step.Deliver(index);
                options.add(delivery, 35);
            }
        }
        if (requests > 0 && !calm) {
            options.add(new Step.LoseRequest(random.nextInt(requests)), 4);
        }
        if (responses > 0 && !calm) {
            options.add(new Step.LoseResponse(random.nextInt(responses)), focus == Focus.LOST_ANSWER ? 25 : 5);
        }
        // A late-marker run keeps its long advance for the markers: a transaction timeout would end it.
        int advance = pickAdvance(random);
        options.add(new Step.Advance(ADVANCE_MS[calm ? Math.min(advance, 4) : advance]), 12);
        Step markerTimeout = aim == null ? null : aim.markerTimeout(sim);
        if (markerTimeout != null) {
            // The decision's markers are on the wire: let request.timeout.ms (30 s) pass over them.
            options.add(markerTimeout, 20);
        }
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
        if (up > 0 && !calm) {
            options.add(new Step.CrashBroker(random.nextInt(sim.brokerCount())), 3);
            // A clean shutdown writes producer-state snapshots: the next recovery starts from them.
            options.add(new Step.ShutdownBroker(random.nextInt(sim.brokerCount())),
                    focus == Focus.RESTART_FROM_SNAPSHOT ? 10 : 2);
        }
        for (int b = 0; b < sim.brokerCount() && !calm; b++) {
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
                    // After a timeout abort the producer, unaware, goes on and commits. Aimed at a
                    // late marker, a transaction ends once its records are acknowledged, mostly the
                    // other way than the one before, so that a marker of the one can meet the other.
                    if (aim == null) {
                        options.add(new Step.CommitTxn(), focus == Focus.TRANSACTION_TIMEOUT ? 10 : 5);
                        options.add(new Step.AbortTxn(), 2);
                    } else if (aim.mayEnd(sim)) {
                        options.add(new Step.CommitTxn(), aim.commitNext() ? 30 : 1);
                        options.add(new Step.AbortTxn(), aim.commitNext() ? 1 : 30);
                    }
                }
            }
            if (txn == TransactionManager.State.ABORTABLE_ERROR) {
                options.add(new Step.AbortTxn(), 10);
            }
            if (!calm) {
                options.add(new Step.RestartProducer(), focus == Focus.ZOMBIE ? 8 : 1);
            }
        }
        Step picked = options.pick(random);
        if (aim != null) {
            aim.picked(picked, markerTimeout, delivery);
        }
        return picked;
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
