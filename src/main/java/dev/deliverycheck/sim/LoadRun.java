package dev.deliverycheck.sim;

import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.producer.internals.TransactionManager;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * A steady load through a {@link Simulation} with seeded fault rates: what
 * {@code deliverycheck simulate} runs. Records are sent one per millisecond of virtual time;
 * broker crashes and producer restarts happen at seeded moments; then faults stop, crashed
 * brokers restart, the producer flushes, the cluster settles, and a reader fetches every
 * partition.
 */
public final class LoadRun {
    /** How long a crashed broker stays down, in records sent (one per ms). */
    static final int DOWNTIME_RECORDS = 25;
    /** Virtual time the end phase may take (beyond delivery.timeout.ms and transaction.timeout.ms). */
    static final long SETTLE_BUDGET_MS = 600_000;
    /** Virtual time a single commit/abort/init may take before the run gives up on it. */
    static final long TRANSACTION_STEP_BUDGET_MS = 300_000;

    /** What to send: plain records, or transactions of records. */
    public record Load(int records, boolean keyed, int transactions, int recordsPerTransaction, double abortRate,
                       int brokerCrashes, int producerRestarts) {
        public Load {
            if (records < 0 || transactions < 0 || recordsPerTransaction < 1) {
                throw new IllegalArgumentException("record and transaction counts must not be negative");
            }
            if (!(abortRate >= 0 && abortRate <= 1)) { // also refuses NaN
                throw new IllegalArgumentException("--abort-rate must be within [0, 1], got " + abortRate);
            }
            if (brokerCrashes < 0 || producerRestarts < 0) {
                throw new IllegalArgumentException("fault counts must not be negative");
            }
        }
    }

    /** Counts of what the run did besides the history. */
    public record Outcome(boolean settled, int requestsLost, int responsesLost, int brokerCrashes,
                          int producerRestarts, int committed, int aborted, long virtualMs) {
    }

    private LoadRun() {
    }

    public static Outcome run(SimulationConfig config, Load load, EventSink events) {
        Simulation sim = new Simulation(config, events);
        SeededRandom random = new SeededRandom(config.seed() * 31 + 7);
        Counter counter = new Counter();
        if (config.mode().transactional()) {
            runTransactions(sim, load, random, counter);
        } else {
            runRecords(sim, load, random);
        }
        sim.heal();
        boolean settled = sim.settle(SETTLE_BUDGET_MS);
        sim.readAll();
        return new Outcome(settled, sim.network().requestsLost(), sim.network().responsesLost(), sim.brokerCrashes(),
                sim.producerRestarts(), counter.committed, counter.aborted, sim.nowMs());
    }

    private static final class Counter {
        int committed;
        int aborted;
    }

    private static TreeSet<Integer> moments(SeededRandom random, int count, int total) {
        TreeSet<Integer> at = new TreeSet<>();
        if (total <= 0) {
            return at;
        }
        int attempts = 0;
        while (at.size() < Math.min(count, total) && attempts++ < 100 * (count + 1)) {
            at.add(total / 10 + random.nextInt(Math.max(1, total - total / 5)));
        }
        return at;
    }

    private static void runRecords(Simulation sim, Load load, SeededRandom random) {
        TreeSet<Integer> crashAt = moments(random, load.brokerCrashes(), load.records());
        int down = -1;
        int restartAt = -1;
        for (int i = 0; i < load.records(); i++) {
            sim.send(load.keyed() ? "key-" + (i % 100) : null);
            if (crashAt.contains(i) && down < 0) {
                down = random.nextInt(sim.brokerCount());
                sim.crashBroker(down);
                restartAt = i + DOWNTIME_RECORDS;
            } else if (i == restartAt) {
                sim.restartBroker(down);
                down = -1;
            }
            sim.runFor(1);
        }
        if (down >= 0) {
            sim.restartBroker(down);
        }
    }

    private static void runTransactions(Simulation sim, Load load, SeededRandom random, Counter counter) {
        sim.runUntilDone(sim.pendingTransactionOp(), TRANSACTION_STEP_BUDGET_MS);
        TreeSet<Integer> crashAt = moments(random, load.brokerCrashes(), load.transactions());
        TreeSet<Integer> restartAt = moments(random, load.producerRestarts(), load.transactions());
        int sent = 0;
        for (int t = 0; t < load.transactions(); t++) {
            if (sim.transactionState() != TransactionManager.State.READY) {
                // A fenced or failed instance cannot go on; a real application would restart it.
                sim.restartProducer();
                sim.runUntilDone(sim.pendingTransactionOp(), TRANSACTION_STEP_BUDGET_MS);
                if (sim.transactionState() != TransactionManager.State.READY) {
                    continue;
                }
            }
            sim.beginTransaction();
            int down = -1;
            for (int r = 0; r < load.recordsPerTransaction(); r++) {
                sim.send(load.keyed() ? "key-" + (sent % 100) : null);
                sent++;
                if (r == load.recordsPerTransaction() / 2 && crashAt.contains(t)) {
                    down = random.nextInt(sim.brokerCount());
                    sim.crashBroker(down);
                }
                sim.runFor(1);
            }
            if (restartAt.contains(t)) {
                // Crash mid-transaction: the old instance becomes a zombie that still tries to commit.
                sim.restartProducer();
                sim.runUntilDone(sim.pendingTransactionOp(), TRANSACTION_STEP_BUDGET_MS);
                sim.zombieCommit();
                sim.runFor(DOWNTIME_RECORDS);
                if (down >= 0) {
                    sim.restartBroker(down);
                }
                continue;
            }
            boolean commit = random.nextDouble() >= load.abortRate();
            if (commit) {
                sim.commitTransaction();
            } else {
                sim.abortTransaction();
            }
            sim.runFor(DOWNTIME_RECORDS);
            if (down >= 0) {
                sim.restartBroker(down);
            }
            CompletableFuture<Void> end = sim.pendingTransactionOp();
            sim.runUntilDone(end, TRANSACTION_STEP_BUDGET_MS);
            if (end.isDone() && !end.isCompletedExceptionally()) {
                if (commit) {
                    counter.committed++;
                } else {
                    counter.aborted++;
                }
            } else if (sim.transactionState() == TransactionManager.State.ABORTABLE_ERROR) {
                sim.abortTransaction();
                CompletableFuture<Void> abort = sim.pendingTransactionOp();
                sim.runUntilDone(abort, TRANSACTION_STEP_BUDGET_MS);
                if (abort.isDone() && !abort.isCompletedExceptionally()) {
                    counter.aborted++;
                }
            }
        }
    }
}
