package dev.deliverycheck.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs independent jobs on up to N threads so that what they print reads exactly as a serial
 * run's: each job writes to its own buffer, and a buffer reaches the log only once every job
 * added before it has finished, in the order the jobs were added. Results are read per job,
 * whatever order the jobs finished in. With more than one thread the most expensive jobs start
 * first (the estimate is the caller's), so a long job does not start last and run alone; with
 * one thread they run in the order added, which is the serial run.
 *
 * <p>While jobs run, a progress line (jobs done, jobs running) goes to the progress stream every
 * {@code progressSeconds}; it is progress, not log, and is never buffered.
 */
final class ParallelJobs {
    /** A job's handle: its result once {@link #runAll} returned. */
    static final class Job<T> {
        private final String name;
        private final double cost;
        private final Function<PrintWriter, T> body;
        private final StringWriter buffer = new StringWriter();
        private volatile boolean done;
        private volatile boolean running;
        private T result;
        private RuntimeException failure;

        private Job(String name, double cost, Function<PrintWriter, T> body) {
            this.name = name;
            this.cost = cost;
            this.body = body;
        }

        T result() {
            if (!done) {
                throw new IllegalStateException("job " + name + " has not run");
            }
            return result;
        }

        private void run() {
            running = true;
            PrintWriter out = new PrintWriter(buffer, true);
            try {
                result = body.apply(out);
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                failure = new IllegalStateException(name + ": " + e, e);
            } finally {
                out.flush();
                running = false;
                done = true;
            }
        }
    }

    private final String label;
    private final int threads;
    private final PrintStream log;
    private final PrintStream progress;
    private final long progressSeconds;
    private final List<Job<?>> jobs = new ArrayList<>();
    private int flushed;

    /** {@code label} starts the progress line: the command whose jobs these are. */
    ParallelJobs(String label, int threads, PrintStream log, PrintStream progress, long progressSeconds) {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one thread, got " + threads);
        }
        this.label = label;
        this.threads = threads;
        this.log = log;
        this.progress = progress;
        this.progressSeconds = progressSeconds;
    }

    /** Adds a job; {@code cost} is a relative estimate of its running time (bigger starts earlier). */
    <T> Job<T> add(String name, double cost, Function<PrintWriter, T> body) {
        Job<T> job = new Job<>(name, cost, body);
        jobs.add(job);
        return job;
    }

    /**
     * Runs every job and returns when all finished, their logs printed in the order added. If a
     * job threw, the first such exception in that order is rethrown (after every job ended).
     */
    void runAll() {
        List<Job<?>> order = new ArrayList<>(jobs);
        if (threads > 1) {
            order.sort(Comparator.comparingDouble((Job<?> j) -> -j.cost));
        }
        CountDownLatch finished = new CountDownLatch(order.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, order.size())), r -> {
            Thread t = new Thread(r, label + "-job");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        try {
            for (Job<?> job : order) {
                pool.execute(() -> {
                    job.run();
                    flushReady();
                    finished.countDown();
                });
            }
            while (!finished.await(progressSeconds, TimeUnit.SECONDS)) {
                if (progress != null) {
                    List<String> running = jobs.stream().filter(j -> j.running).map(j -> j.name).toList();
                    progress.printf("%s: %d/%d jobs done after %d s on %d thread(s); running: %s%n", label,
                            jobs.size() - finished.getCount(), jobs.size(), (System.nanoTime() - start) / 1_000_000_000L,
                            threads, String.join(", ", running));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + label + "'s jobs ran", e);
        } finally {
            pool.shutdownNow();
        }
        for (Job<?> job : jobs) {
            if (job.failure != null) {
                throw job.failure;
            }
        }
    }

    private synchronized void flushReady() {
        while (flushed < jobs.size() && jobs.get(flushed).done) {
            log.print(jobs.get(flushed).buffer);
            log.flush();
            flushed++;
        }
    }
}
