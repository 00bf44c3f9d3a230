package dev.deliverycheck.producer.internals;

/**
 * The producer's memory, Kafka's {@code BufferPool} reduced to byte accounting: every batch holds
 * {@code max(batch.size, its first record)} bytes from allocation until it completes.
 *
 * <p>Invariants: {@code 0 <= available <= total} at all times; an allocation either takes all the
 * bytes it asked for or none. Who waits for memory, and in which order, is {@link MemoryWaiters}'
 * business (first come, first served).
 */
public final class BufferPool {
    private final long totalMemory;
    private final int poolableSize;
    private long available;

    public BufferPool(long totalMemory, int poolableSize) {
        this.totalMemory = totalMemory;
        this.poolableSize = poolableSize;
        this.available = totalMemory;
    }

    /** Takes {@code size} bytes if they are available. */
    public boolean tryAllocate(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative allocation " + size);
        }
        if (size > available) {
            return false;
        }
        available -= size;
        return true;
    }

    /** Returns bytes taken by {@link #tryAllocate}. */
    public void deallocate(int size) {
        if (size < 0 || available + size > totalMemory) {
            throw new IllegalStateException("deallocating " + size + " bytes would exceed buffer.memory=" + totalMemory
                    + " (available " + available + ")");
        }
        available += size;
    }

    public long availableMemory() {
        return available;
    }

    public long totalMemory() {
        return totalMemory;
    }

    /** The batch size the pool recycles buffers of ({@code batch.size}). */
    public int poolableSize() {
        return poolableSize;
    }
}
