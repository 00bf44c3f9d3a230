package dev.deliverycheck.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MemoryWaitersTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private long nextId;

    private MemoryWaiter waiter(TopicPartition tp, long enqueuedMs, long deadlineMs) {
        long id = nextId++;
        return new MemoryWaiter(tp, Record.withId(id, 0, null, new byte[1]),
                new RecordCompletion(id, tp, new CompletableFuture<>(), null, 0, n -> { }), false, enqueuedMs, deadlineMs);
    }

    @Test
    void anEmptyLineHasNoDeadlineAndNothingToServe() {
        MemoryWaiters waiters = new MemoryWaiters();
        assertThat(waiters.isEmpty()).isTrue();
        assertThat(waiters.size()).isZero();
        assertThat(waiters.peek()).isNull();
        assertThat(waiters.poll()).isNull();
        assertThat(waiters.nextDeadlineMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(waiters.removeExpired(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void waitersAreServedFirstComeFirstServed() {
        MemoryWaiters waiters = new MemoryWaiters();
        MemoryWaiter a = waiter(P0, 0, 100);
        MemoryWaiter b = waiter(P1, 1, 101);
        MemoryWaiter c = waiter(P0, 2, 102);
        waiters.add(a);
        waiters.add(b);
        waiters.add(c);
        assertThat(waiters.isEmpty()).isFalse();
        assertThat(waiters.size()).isEqualTo(3);
        assertThat(waiters.peek()).as("peek does not remove").isSameAs(a);
        assertThat(waiters.size()).isEqualTo(3);
        assertThat(waiters.poll()).isSameAs(a);
        assertThat(waiters.poll()).isSameAs(b);
        assertThat(waiters.peek()).isSameAs(c);
        assertThat(waiters.size()).isEqualTo(1);
    }

    @Test
    void waitersExpireFromTheFrontAtTheirDeadlineNotBefore() {
        MemoryWaiters waiters = new MemoryWaiters();
        MemoryWaiter first = waiter(P0, 0, 100);
        MemoryWaiter second = waiter(P0, 5, 105);
        waiters.add(first);
        waiters.add(second);
        assertThat(waiters.nextDeadlineMs()).isEqualTo(100);
        assertThat(waiters.removeExpired(99)).isEmpty();
        assertThat(waiters.removeExpired(100)).containsExactly(first);
        assertThat(waiters.size()).isEqualTo(1);
        assertThat(waiters.nextDeadlineMs()).isEqualTo(105);
        waiters.add(waiter(P1, 6, 106));
        assertThat(waiters.removeExpired(1_000)).as("every ran out, in line order").hasSize(2).startsWith(second);
        assertThat(waiters.isEmpty()).isTrue();
    }

    @Test
    void removeAllEmptiesTheLineInOrder() {
        MemoryWaiters waiters = new MemoryWaiters();
        MemoryWaiter a = waiter(P0, 0, 100);
        MemoryWaiter b = waiter(P1, 1, 101);
        waiters.add(a);
        waiters.add(b);
        assertThat(waiters.removeAll()).containsExactly(a, b);
        assertThat(waiters.isEmpty()).isTrue();
        assertThat(waiters.nextDeadlineMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(waiters.removeAll()).isEmpty();
    }
}
