package dev.deliverycheck.producer;

import dev.deliverycheck.producer.internals.IncompleteSends;
import dev.deliverycheck.producer.internals.RecordAccumulator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The producer's record of which sends have not completed yet, and the flushes waiting for them
 * (Kafka's {@code flush()} without the wait).
 *
 * <p>Invariant: sends are numbered in the order {@code send()} accepted them; a flush's future
 * completes exactly when every send numbered before the flush began has completed (or
 * exceptionally when the producer is closed forcefully first), and the accumulator is flushing
 * (every batch ready at once) exactly while some flush waits.
 */
final class SendCompletions {
    private final RecordAccumulator accumulator;
    private final IncompleteSends incomplete = new IncompleteSends();
    private final List<FlushWaiter> flushWaiters = new ArrayList<>();
    private long sendCounter;

    private record FlushWaiter(long upToSend, CompletableFuture<Void> future) {
    }

    SendCompletions(RecordAccumulator accumulator) {
        this.accumulator = accumulator;
    }

    /** Numbers a new send, incomplete until {@link #done} is called with its number. */
    long add() {
        long sendNumber = sendCounter++;
        incomplete.add(sendNumber);
        return sendNumber;
    }

    /** The send numbered {@code sendNumber} completed; the flushes it was the last to wait for complete. */
    void done(long sendNumber) {
        incomplete.remove(sendNumber);
        if (flushWaiters.isEmpty()) {
            return;
        }
        long firstIncomplete = incomplete.isEmpty() ? Long.MAX_VALUE : incomplete.first();
        flushWaiters.removeIf(w -> {
            if (firstIncomplete > w.upToSend()) {
                w.future().complete(null);
                return true;
            }
            return false;
        });
        accumulator.setFlushing(!flushWaiters.isEmpty());
    }

    /** A flush of every send so far: complete already if none is incomplete, else when the last of them is. */
    CompletableFuture<Void> beginFlush() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        long upTo = sendCounter - 1;
        if (incomplete.isEmpty() || incomplete.first() > upTo) {
            future.complete(null);
        } else {
            flushWaiters.add(new FlushWaiter(upTo, future));
            accumulator.setFlushing(true);
        }
        return future;
    }

    /** Every waiting flush fails with {@code error} (a forced close). */
    void failFlushes(RuntimeException error) {
        for (FlushWaiter w : flushWaiters) {
            w.future().completeExceptionally(error);
        }
        flushWaiters.clear();
    }

    boolean isEmpty() {
        return incomplete.isEmpty();
    }

    int size() {
        return incomplete.size();
    }
}
