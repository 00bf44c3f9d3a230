package dev.deliverycheck.tlc;

/**
 * Ties a child process (a TLC run, a distributed TLC server or worker) to this JVM: a shutdown
 * hook kills the child if this JVM is stopped (kill, a CI timeout, Ctrl-C of a parent whose child
 * is in another process group) before the child's owner stopped it. Without it the child, a JVM
 * of its own, goes on using a core until TLC's watchdog limit.
 *
 * <p>Invariant: after {@link #close()} the child is not alive and no hook of it is registered.
 */
final class ChildReaper implements AutoCloseable {
    private final Process child;
    private final Thread hook;

    private ChildReaper(Process child) {
        this.child = child;
        this.hook = new Thread(child::destroyForcibly, "deliverycheck-tlc-cleanup");
    }

    /**
     * Registers the hook for {@code child}; {@link #close()} when the child's work is over. If this
     * JVM is already shutting down (the child was started as the stop came), the child is killed
     * at once and the {@link IllegalStateException} is rethrown.
     */
    static ChildReaper watch(Process child) {
        ChildReaper reaper = new ChildReaper(child);
        try {
            Runtime.getRuntime().addShutdownHook(reaper.hook);
        } catch (IllegalStateException shuttingDown) {
            child.destroyForcibly();
            throw shuttingDown;
        }
        return reaper;
    }

    /** Kills the child if it still runs and removes the hook. */
    @Override
    public void close() {
        if (child.isAlive()) {
            child.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is shutting down: the hook runs, or has run, and stops the child
        }
    }
}
