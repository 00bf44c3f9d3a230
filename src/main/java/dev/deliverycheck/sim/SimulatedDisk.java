package dev.deliverycheck.sim;

import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.env.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory {@link Storage} with a crash button, for deterministic simulation.
 *
 * <p>Every file is a durable prefix plus a volatile tail: {@link #append} grows the tail,
 * {@link #flush} moves the tail into the durable prefix, and {@link #crash()} drops every tail
 * &mdash; or, when the disk was built with a {@link RandomSource}, keeps a random prefix of each
 * tail (a torn write: a frame cut anywhere, possibly in its length field). Reads see prefix and
 * tail, like a page cache. {@link #truncate}, {@link #delete} and {@link #writeAtomically} are
 * durable at once, as the {@link Storage} contract says. Same operations and same random seed give
 * the same disk, byte for byte. Not thread-safe beyond each method being atomic.
 */
public final class SimulatedDisk implements Storage {
    private final RandomSource tornWrites;
    private final Map<String, SimFile> files = new TreeMap<>();
    private long flushes;
    private long crashes;
    private long bytesLostInCrashes;

    /** A disk whose crashes drop every unflushed byte. */
    public SimulatedDisk() {
        this(null);
    }

    /**
     * A disk whose crashes keep a random prefix of each file's unflushed bytes, drawn from
     * {@code tornWrites} (null: drop them all).
     */
    public SimulatedDisk(RandomSource tornWrites) {
        this.tornWrites = tornWrites;
    }

    private static final class SimFile {
        byte[] data = new byte[64];
        int size;
        /** Length of the durable prefix; bytes beyond it are volatile. */
        int durable;

        void append(byte[] bytes) {
            if (size + bytes.length > data.length) {
                data = Arrays.copyOf(data, Math.max(size + bytes.length, data.length * 2));
            }
            System.arraycopy(bytes, 0, data, size, bytes.length);
            size += bytes.length;
        }

        void cut(int length) {
            size = length;
            durable = Math.min(durable, length);
        }
    }

    /**
     * The machine loses power: unflushed bytes are dropped (or torn), everything else stays.
     * The broker object that used this disk must be discarded; a new one opens the same disk.
     */
    public synchronized void crash() {
        crashes++;
        for (SimFile f : files.values()) {
            int tail = f.size - f.durable;
            if (tail == 0) {
                continue;
            }
            int kept = tornWrites == null ? 0 : tornWrites.nextInt(tail + 1);
            bytesLostInCrashes += tail - kept;
            f.cut(f.durable + kept);
            f.durable = f.size;
        }
    }

    /** Flips every bit of one durable byte: silent media corruption, for tests of CRC checking. */
    public synchronized void corrupt(String name, long position) {
        SimFile f = files.get(name);
        if (f == null || position < 0 || position >= f.size) {
            throw new IllegalArgumentException("no byte " + position + " in " + name);
        }
        f.data[(int) position] = (byte) ~f.data[(int) position];
    }

    /** Bytes of {@code name} that would survive a crash now. */
    public synchronized long durableSize(String name) {
        SimFile f = files.get(name);
        return f == null ? 0 : f.durable;
    }

    /** Number of {@link #flush} calls that made at least one byte durable. */
    public synchronized long flushCount() {
        return flushes;
    }

    public synchronized long crashCount() {
        return crashes;
    }

    /** Unflushed bytes dropped by all crashes so far (torn bytes that were kept are not counted). */
    public synchronized long bytesLostInCrashes() {
        return bytesLostInCrashes;
    }

    @Override
    public synchronized List<String> list(String prefix) {
        List<String> names = new ArrayList<>();
        for (String name : files.keySet()) {
            if (name.startsWith(prefix)) {
                names.add(name);
            }
        }
        return names;
    }

    @Override
    public synchronized boolean exists(String name) {
        return files.containsKey(Storage.checkName(name));
    }

    @Override
    public synchronized long size(String name) {
        SimFile f = files.get(name);
        return f == null ? 0 : f.size;
    }

    @Override
    public synchronized void append(String name, byte[] bytes) {
        files.computeIfAbsent(Storage.checkName(name), n -> new SimFile()).append(bytes);
    }

    @Override
    public synchronized byte[] read(String name, long position, int length) {
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("negative position or length: " + position + ", " + length);
        }
        SimFile f = files.get(name);
        if (f == null || position >= f.size) {
            return new byte[0];
        }
        int end = (int) Math.min(f.size, position + (long) length);
        return Arrays.copyOfRange(f.data, (int) position, end);
    }

    @Override
    public synchronized void flush(String name) {
        SimFile f = files.get(name);
        if (f != null && f.durable < f.size) {
            f.durable = f.size;
            flushes++;
        }
    }

    @Override
    public synchronized void truncate(String name, long size) {
        SimFile f = files.get(name);
        if (f != null && f.size > size) {
            // The cut bytes are gone for good, so a later crash cannot bring a truncated tail back.
            f.cut((int) size);
        }
    }

    @Override
    public synchronized void delete(String name) {
        files.remove(name);
    }

    @Override
    public synchronized void writeAtomically(String name, byte[] contents) {
        SimFile f = new SimFile();
        f.append(contents);
        f.durable = f.size;
        files.put(Storage.checkName(name), f);
    }
}
