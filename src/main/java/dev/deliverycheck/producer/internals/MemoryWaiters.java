package dev.deliverycheck.producer.internals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The records waiting for buffer memory, in the order their {@code send()} came: Kafka's
 * {@code BufferPool} keeps its blocked threads in a deque ({@code waiters}) and serves them first
 * come, first served; here a blocked send is a queued {@link MemoryWaiter} instead of a thread.
 *
 * <p>Invariants: waiters leave from the front only (served, expired, or already completed), or
 * all at once (abort, fatal error, close); so, as long as callers queue every new record behind
 * a non-empty line, a partition's records keep their send order. Every deadline is the enqueue time
 * plus the same {@code max.block.ms} and the clock never runs backwards, so the deadlines rise
 * from front to back and the expired waiters are always a prefix of the line.
 */
public final class MemoryWaiters {
    private final Deque<MemoryWaiter> waiters = new ArrayDeque<>();

    public void add(MemoryWaiter waiter) {
        waiters.addLast(waiter);
    }

    public boolean isEmpty() {
        return waiters.isEmpty();
    }

    public int size() {
        return waiters.size();
    }

    /** The longest-waiting record, or null. */
    public MemoryWaiter peek() {
        return waiters.peekFirst();
    }

    /** Removes and returns the longest-waiting record, or null. */
    public MemoryWaiter poll() {
        return waiters.pollFirst();
    }

    /** Removes and returns the waiters whose {@code max.block.ms} ran out by {@code nowMs}. */
    public List<MemoryWaiter> removeExpired(long nowMs) {
        List<MemoryWaiter> expired = new ArrayList<>();
        while (!waiters.isEmpty() && nowMs >= waiters.peekFirst().deadlineMs()) {
            expired.add(waiters.pollFirst());
        }
        return expired;
    }

    /** Removes and returns every waiter, longest-waiting first (abort, fatal error, close). */
    public List<MemoryWaiter> removeAll() {
        List<MemoryWaiter> all = new ArrayList<>(waiters);
        waiters.clear();
        return all;
    }

    /** The earliest {@code max.block.ms} deadline, that of the front waiter; {@code Long.MAX_VALUE} when none waits. */
    public long nextDeadlineMs() {
        return waiters.isEmpty() ? Long.MAX_VALUE : waiters.peekFirst().deadlineMs();
    }
}
