package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParallelJobsTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private ParallelJobs jobs(int threads) {
        return new ParallelJobs("test", threads, new PrintStream(log, true), null, 1);
    }

    /** The first job waits until the second has finished, so they finish in reverse order. */
    @Test
    void logsAppearInTheOrderAddedWhateverOrderTheJobsFinishIn() {
        ParallelJobs work = jobs(2);
        CountDownLatch secondDone = new CountDownLatch(1);
        ParallelJobs.Job<String> first = work.add("first", 1, out -> {
            await(secondDone);
            out.println("first says 1");
            return "one";
        });
        ParallelJobs.Job<String> second = work.add("second", 1, out -> {
            out.println("second says 2");
            secondDone.countDown();
            return "two";
        });
        work.runAll();
        assertThat(first.result()).isEqualTo("one");
        assertThat(second.result()).isEqualTo("two");
        assertThat(log.toString()).isEqualTo(String.format("first says 1%nsecond says 2%n"));
    }

    @Test
    void oneThreadRunsTheJobsInTheOrderAddedAndMoreStartTheCostliestFirst() {
        List<String> started = new CopyOnWriteArrayList<>();
        ParallelJobs serial = jobs(1);
        for (String name : List.of("cheap", "dear", "middle")) {
            serial.add(name, name.length(), out -> started.add(name));
        }
        serial.runAll();
        assertThat(started).containsExactly("cheap", "dear", "middle");

        // two threads; the two costly jobs hold both until both started, so the cheap one
        // (added first) can only start after them
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch bothIn = new CountDownLatch(2);
        ParallelJobs parallel = jobs(2);
        parallel.add("small", 1, out -> order.add("small"));
        for (String name : List.of("large", "medium")) {
            parallel.add(name, name.equals("large") ? 100 : 10, out -> {
                order.add(name);
                bothIn.countDown();
                await(bothIn);
                return true;
            });
        }
        parallel.runAll();
        assertThat(order).hasSize(3).last().isEqualTo("small");
    }

    @Test
    void aFailingJobFailsTheRunAfterEveryJobEnded() {
        ParallelJobs work = jobs(2);
        ParallelJobs.Job<Integer> fine = work.add("fine", 1, out -> {
            out.println("fine ran");
            return 1;
        });
        work.add("broken", 1, out -> {
            throw new IllegalStateException("TLC failed");
        });
        assertThatThrownBy(work::runAll).isInstanceOf(IllegalStateException.class).hasMessage("TLC failed");
        assertThat(fine.result()).isEqualTo(1);
        assertThat(log.toString()).contains("fine ran");
        assertThatThrownBy(() -> new ParallelJobs("test", 0, System.err, null, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as("the other job finished").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
