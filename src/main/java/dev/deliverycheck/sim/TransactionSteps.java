package dev.deliverycheck.sim;

import dev.deliverycheck.producer.ProducerNode;
import dev.deliverycheck.producer.internals.TransactionManager;
import java.util.concurrent.CompletableFuture;

/**
 * The transaction boundaries a schedule asks of the simulation's producer instances
 * (initTransactions, begin, commit, abort, a zombie's commit), taken only where an application
 * could take them.
 *
 * <p>Invariant: a step the producer's transaction state does not allow (or a non-transactional
 * mode) is refused with false and changes nothing; {@link #pending()} is the future of the last
 * initTransactions, commit or abort the current instance accepted. After an accepted step the
 * nodes due run, as after every step of a schedule.
 */
final class TransactionSteps {
    private final boolean transactional;
    private final ProducerInstances producers;
    private final Runnable runDue;
    private CompletableFuture<Void> pending = CompletableFuture.completedFuture(null);

    TransactionSteps(boolean transactional, ProducerInstances producers, Runnable runDue) {
        this.transactional = transactional;
        this.producers = producers;
        this.runDue = runDue;
    }

    /** The current instance initialises (without running the nodes due: the caller does). */
    void initTransactions() {
        pending = producers.current().initTransactions();
    }

    CompletableFuture<Void> pending() {
        return pending;
    }

    TransactionManager.State state() {
        return producers.current().transactionState();
    }

    boolean begin() {
        if (!transactional || state() != TransactionManager.State.READY) {
            return false;
        }
        producers.current().beginTransaction();
        return true;
    }

    /** Commit (only in a transaction) or abort (in a transaction or after an abortable error). */
    boolean end(boolean commit) {
        if (!transactional) {
            return false;
        }
        TransactionManager.State state = state();
        boolean allowed = commit ? state == TransactionManager.State.IN_TRANSACTION
                : state == TransactionManager.State.IN_TRANSACTION || state == TransactionManager.State.ABORTABLE_ERROR;
        if (!allowed) {
            return false;
        }
        try {
            pending = commit ? producers.current().commitTransaction() : producers.current().abortTransaction();
        } catch (RuntimeException refused) {
            return false;
        }
        runDue.run();
        return true;
    }

    /** The newest zombie commits the transaction it had open when it was replaced. */
    boolean zombieCommit() {
        ProducerNode<String, String> zombie = producers.newestZombie();
        if (zombie == null || zombie.transactionState() != TransactionManager.State.IN_TRANSACTION) {
            return false;
        }
        try {
            zombie.commitTransaction();
        } catch (RuntimeException refused) {
            return false;
        }
        runDue.run();
        return true;
    }

    /** At the end of a run: commit an open transaction, abort one that hit an abortable error. */
    void finish() {
        if (transactional && state() == TransactionManager.State.IN_TRANSACTION) {
            end(true);
        } else if (transactional && state() == TransactionManager.State.ABORTABLE_ERROR) {
            end(false);
        }
    }

    /**
     * What an application does once a transaction's last operation is done: flush an open one
     * (so it can be committed), abort one that hit an abortable error. True if it did either.
     */
    boolean actAsApplicationWould() {
        if (!pending.isDone()) {
            return false;
        }
        if (state() == TransactionManager.State.IN_TRANSACTION) {
            producers.current().beginFlush();
            return true;
        }
        if (state() == TransactionManager.State.ABORTABLE_ERROR) {
            end(false);
            return true;
        }
        return false;
    }
}
