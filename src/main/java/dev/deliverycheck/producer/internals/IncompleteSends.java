package dev.deliverycheck.producer.internals;

/**
 * The send numbers (0, 1, 2, ... in {@code send()} order) whose record has not completed yet, for {@code flush()}:
 * which is the oldest incomplete one. A sliding window of bits instead of a sorted set of boxed numbers, because
 * every record passes through it twice on the producer's hot path.
 *
 * <p>Invariants: {@link #add} takes the numbers in increasing order without gaps; a number is incomplete from
 * {@link #add} until its {@link #remove}; {@link #first} is the smallest incomplete number (numbers complete in any
 * order); memory is proportional to the span from the oldest incomplete number to the newest, not to all numbers
 * ever sent.
 */
public final class IncompleteSends {
    /** Bit i of word w (relative to {@link #base}) is set when send number base + 64w + i has completed. */
    private long[] done = new long[16];
    /** The number that bit 0 of word 0 stands for; a multiple of 64. */
    private long base;
    /** The next number {@link #add} takes. */
    private long next;
    /** The smallest incomplete number, or {@link #next} when none is incomplete. */
    private long first;
    private int count;

    /** Takes the next send number; it must be the one after the previous. */
    public void add(long sendNumber) {
        if (sendNumber != next) {
            throw new IllegalArgumentException("send numbers are added in order: expected " + next + ", got " + sendNumber);
        }
        next++;
        count++;
        int words = (int) ((next - base + 63) >>> 6);
        if (words > done.length) {
            compactOrGrow(words);
        }
    }

    /** The record of {@code sendNumber} completed; false if it was not incomplete. */
    public boolean remove(long sendNumber) {
        if (sendNumber < first || sendNumber >= next || isDone(sendNumber)) {
            return false;
        }
        long rel = sendNumber - base;
        done[(int) (rel >>> 6)] |= 1L << (rel & 63);
        count--;
        while (first < next && isDone(first)) {
            first++;
        }
        return true;
    }

    private boolean isDone(long n) {
        long rel = n - base;
        return (done[(int) (rel >>> 6)] & (1L << (rel & 63))) != 0;
    }

    /** The oldest incomplete send number; only while {@link #isEmpty()} is false. */
    public long first() {
        if (count == 0) {
            throw new java.util.NoSuchElementException("no incomplete send");
        }
        return first;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public int size() {
        return count;
    }

    /** Words of bits held now (for tests of the memory bound). */
    int wordsHeld() {
        return done.length;
    }

    /** Drops the words below the oldest incomplete number, and grows when the live span still does not fit. */
    private void compactOrGrow(int wordsNeeded) {
        int drop = (int) ((first - base) >>> 6);
        int live = wordsNeeded - drop;
        long[] target = live * 2 <= done.length ? done : new long[Math.max(live * 2, 16)];
        System.arraycopy(done, drop, target, 0, Math.min(done.length - drop, live));
        java.util.Arrays.fill(target, Math.min(done.length - drop, live), target.length, 0L);
        done = target;
        base += 64L * drop;
    }
}
