package dev.deliverycheck.producer.internals;

import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.producer.errors.ProducerException;
import java.util.concurrent.CompletableFuture;

/**
 * The results the caller of {@code initTransactions()}, {@code commitTransaction()} and
 * {@code abortTransaction()} waits on, Kafka's {@code TransactionalRequestResult}s: the latest
 * InitProducerId's and the latest EndTxn's, with whether that EndTxn commits.
 *
 * <p>Invariants: a result completes once (later completions do nothing); every commit or abort
 * result that completes, and every one refused at once, is reported as one ProducerEndTxnResult
 * with the transaction's index, the producer id and epoch, and the error if it failed.
 */
final class TransactionResults {
    private final ProducerEvents events;
    private CompletableFuture<Void> initResult;
    private CompletableFuture<Void> endResult;
    private boolean endIsCommit;

    TransactionResults(ProducerEvents events) {
        this.events = events;
    }

    /** The result of an InitProducerId still under way, or null. */
    CompletableFuture<Void> pendingInit() {
        return initResult != null && !initResult.isDone() ? initResult : null;
    }

    CompletableFuture<Void> newInit() {
        initResult = new CompletableFuture<>();
        return initResult;
    }

    void completeInit() {
        if (initResult != null) {
            initResult.complete(null);
        }
    }

    void failInit(RuntimeException error) {
        if (initResult != null && !initResult.isDone()) {
            initResult.completeExceptionally(error);
        }
    }

    /** The result of a commit ({@code commit}) or abort still under way, or null. */
    CompletableFuture<Void> pendingEnd(boolean commit) {
        return endResult != null && !endResult.isDone() && endIsCommit == commit ? endResult : null;
    }

    CompletableFuture<Void> newEnd(boolean commit) {
        endResult = new CompletableFuture<>();
        endIsCommit = commit;
        return endResult;
    }

    boolean endIsCommit() {
        return endIsCommit;
    }

    /** Completes the commit's or abort's result, if one is under way: with {@code error}, or successfully if null. */
    @SpecAction("ProducerEndTxnResult")
    void finishEnd(RuntimeException error, int transactionIndex, ProducerIdAndEpoch producerIdAndEpoch) {
        if (endResult == null || endResult.isDone()) {
            return;
        }
        events.endTxnResult(transactionIndex, endIsCommit, error == null ? null : ProducerException.describe(error),
                producerIdAndEpoch);
        if (error == null) {
            endResult.complete(null);
        } else {
            endResult.completeExceptionally(error);
        }
    }

    /** A commit or abort refused at once (the producer is in an error state): reported, and failed. */
    CompletableFuture<Void> failedEnd(boolean commit, RuntimeException error, int transactionIndex,
                                      ProducerIdAndEpoch producerIdAndEpoch) {
        events.endTxnResult(transactionIndex, commit, ProducerException.describe(error), producerIdAndEpoch);
        return CompletableFuture.failedFuture(error);
    }
}
