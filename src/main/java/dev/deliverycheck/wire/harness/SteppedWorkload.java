package dev.deliverycheck.wire.harness;

import dev.deliverycheck.event.ProducerRestart;
import dev.deliverycheck.explore.Step;
import dev.deliverycheck.wire.proxy.FaultPlan;
import dev.deliverycheck.wire.observe.Timeline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Utils;

/**
 * What both clients' workloads do the same way: the run-and-settle loop, the meaning of each workload step, the
 * partition of a key (Kafka's murmur2), the transaction bookkeeping of the current producer instance and the
 * producer restart with its zombie. A subclass says how its client connects, sends, flushes, begins and ends a
 * transaction, and what it reports that its producer does not.
 *
 * <p>Invariant: one instance is current; {@code inTransaction} and {@code fenced} describe it (a restart's zombie
 * gets its own for its one write and commit, then the current instance's are back). A fenced instance sends and
 * ends nothing more. Every instance ever opened is closed when the run ends, after a failure without waiting.
 *
 * @param <I> one producer instance of the client (the producer and whatever the subclass keeps per instance)
 */
abstract class SteppedWorkload<I> implements ClientWorkload {
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** The node id of the first producer instance; a restart takes the next one. */
    static final int FIRST_PRODUCER_NODE = 100;

    /** The run's transactional.id, or null when the mode is not transactional. */
    protected final String transactionalId;
    protected final String topic;
    protected final Timeline timeline;
    protected final int partitions;
    private final Target target;
    private final FaultPlan plan;
    private final List<I> all = new ArrayList<>();
    private I current;
    private boolean inTransaction;
    private boolean fenced;
    private volatile boolean abandoned;
    private volatile Throwable failure;

    SteppedWorkload(String transactionalId, String topic, int partitions, Timeline timeline, Target target,
                    FaultPlan plan) {
        this.transactionalId = transactionalId;
        this.topic = topic;
        this.partitions = partitions;
        this.timeline = timeline;
        this.target = target;
        this.plan = plan;
    }

    /** Starts producer instance {@code node} (not yet initialised for transactions). */
    protected abstract I connect(int node);

    protected abstract int node(I instance);

    protected abstract void close(I instance, Duration timeout);

    protected abstract void flush(I instance);

    protected abstract void initTransactions(I instance);

    /** Sends one record of {@code key} to {@code partition}; a fatal error the send reports calls {@link #fence()}. */
    protected abstract void send(I instance, int partition, String key);

    protected abstract void beginTransaction(I instance);

    /** Commits or aborts the instance's transaction; a fatal outcome calls {@link #fence()}. */
    protected abstract void endTransaction(I instance, boolean commit);

    /** Whether {@code e}, thrown while a zombie writes and commits, is its fencing (anything else ends the run). */
    protected abstract boolean fencingOfZombie(RuntimeException e);

    /** The current instance is fenced (or otherwise dead): it sends and ends nothing more. */
    protected final void fence() {
        fenced = true;
    }

    protected final boolean transactional() {
        return transactionalId != null;
    }

    @Override
    public final Throwable failure() {
        return failure;
    }

    @Override
    public final void runAndSettle(List<RealStep> steps) {
        try {
            open(FIRST_PRODUCER_NODE);
            for (RealStep step : steps) {
                plan.workloadWaits(waitsForAnswers(step));
                apply(step);
                plan.workloadWaits(false);
            }
            // settling: nothing more is sent, every answer is waited for
            plan.workloadWaits(true);
            target.restartIfDown();
            if (inTransaction && !fenced) {
                endTransaction(true);
            }
            flush();
        } catch (Throwable t) {
            failure = t;
        } finally {
            plan.workloadWaits(true);
            // After a failure nothing in flight is worth waiting for.
            Duration timeout = failure == null ? CLOSE_TIMEOUT : Duration.ZERO;
            for (I instance : snapshot()) {
                close(instance, timeout);
            }
        }
    }

    /**
     * Whether {@code step} waits for the client's answers without handing it a record (a flush, the end of a
     * transaction, a producer or broker restart): while it runs, the proxy answers a held late refusal at once,
     * as no later request of the workload's is coming. A send hands a record; await-request waits for a request.
     */
    private static boolean waitsForAnswers(RealStep realStep) {
        Step step = realStep instanceof RealStep.Workload w ? w.step() : null;
        return step instanceof Step.Flush || step instanceof Step.CommitTxn || step instanceof Step.AbortTxn
                || step instanceof Step.RestartProducer || step instanceof Step.CrashBroker
                || step instanceof Step.RestartBroker;
    }

    private synchronized List<I> snapshot() {
        return List.copyOf(all);
    }

    @Override
    public final void abandon() {
        abandoned = true;
        for (I instance : snapshot()) {
            close(instance, Duration.ZERO);
        }
    }

    private void apply(RealStep realStep) {
        if (realStep instanceof RealStep.AwaitRequest a) {
            ClientWorkload.awaitRequest(plan, a);
            return;
        }
        Step step = realStep instanceof RealStep.Workload w ? w.step() : null;
        if (step instanceof Step.Send s) {
            send(s.key());
        } else if (step instanceof Step.Flush) {
            flush();
        } else if (step instanceof Step.BeginTxn) {
            begin();
        } else if (step instanceof Step.CommitTxn) {
            endTransaction(true);
        } else if (step instanceof Step.AbortTxn) {
            endTransaction(false);
        } else if (step instanceof Step.RestartProducer) {
            restartProducer();
        } else if (step instanceof Step.CrashBroker) {
            target.crash();
        } else if (step instanceof Step.RestartBroker) {
            target.restartIfDown();
        }
        // a ProxyFault was armed in the proxy before the run
    }

    private void open(int node) {
        if (abandoned) {
            throw new IllegalStateException("the run was abandoned");
        }
        I instance = connect(node);
        synchronized (this) {
            all.add(instance);
        }
        current = instance;
        inTransaction = false;
        fenced = false;
        if (transactional()) {
            initTransactions(instance);
        }
    }

    private void send(String key) {
        if (fenced) {
            return;
        }
        if (transactional() && !inTransaction) {
            begin();
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        plan.recordHanded();
        send(current, Utils.toPositive(Utils.murmur2(bytes)) % partitions, key);
    }

    private void flush() {
        if (!fenced) {
            flush(current);
        }
    }

    private void begin() {
        if (!transactional() || inTransaction || fenced) {
            return;
        }
        beginTransaction(current);
        inTransaction = true;
    }

    private void endTransaction(boolean commit) {
        if (!inTransaction || fenced) {
            return;
        }
        inTransaction = false;
        endTransaction(current, commit);
    }

    /**
     * ProducerRestart: a new instance takes over. With a transactional.id the new one initialises (fencing the old
     * one) and the old one, now a zombie, tries to write one record and commit; without, the old one is closed.
     */
    private void restartProducer() {
        I old = current;
        boolean oldInTransaction = inTransaction;
        boolean oldFenced = fenced;
        if (!transactional()) {
            close(old, CLOSE_TIMEOUT);
        }
        open(node(old) + 1);
        timeline.add(new ProducerRestart(node(old), node(current), transactionalId));
        if (transactional() && !oldFenced) {
            zombieWrites(old, oldInTransaction);
        }
    }

    private void zombieWrites(I zombie, boolean open) {
        I now = current;
        boolean nowInTransaction = inTransaction;
        current = zombie;
        inTransaction = open;
        fenced = false;
        try {
            send("zombie");
            endTransaction(true);
        } catch (RuntimeException e) {
            if (!fencingOfZombie(e)) {
                throw e;
            }
            // the zombie is fenced somewhere along the way: exactly what must happen
        } finally {
            current = now;
            inTransaction = nowInTransaction;
            fenced = false;
        }
    }
}
