package dev.deliverycheck.sim;

import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.env.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /** Bytes of a file's chunk (see {@code SimFile}). */
    static final int CHUNK = 1 << 16;

    /**
     * A file's bytes: up to {@link #CHUNK} in one array that doubles as it grows; beyond, in chunks of exactly
     * {@code CHUNK} bytes, so a growing segment never copies what it already holds (byte {@code p} is in chunk
     * {@code p / CHUNK}). Bytes past {@link #size} are never read.
     */
    private static final class SimFile {
        final List<byte[]> chunks = new ArrayList<>();
        int size;
        /** Length of the durable prefix; bytes beyond it are volatile. */
        int durable;

        void append(byte[] bytes) {
            append(bytes, 0, bytes.length);
        }

        void append(byte[] bytes, int offset, int length) {
            int off = offset;
            int end = offset + length;
            while (off < end) {
                int index = size / CHUNK;
                int at = size % CHUNK;
                int n = Math.min(end - off, CHUNK - at);
                if (index == chunks.size()) {
                    chunks.add(new byte[index == 0 ? Math.max(64, n) : CHUNK]);
                }
                byte[] chunk = chunks.get(index);
                if (at + n > chunk.length) {
                    chunk = Arrays.copyOf(chunk, Math.min(CHUNK, Math.max(at + n, chunk.length * 2)));
                    chunks.set(index, chunk);
                }
                System.arraycopy(bytes, off, chunk, at, n);
                off += n;
                size += n;
            }
        }

        byte[] read(int position, int length) {
            byte[] out = new byte[length];
            int done = 0;
            while (done < length) {
                int p = position + done;
                int n = Math.min(length - done, CHUNK - p % CHUNK);
                System.arraycopy(chunks.get(p / CHUNK), p % CHUNK, out, done, n);
                done += n;
            }
            return out;
        }

        void flip(int position) {
            byte[] chunk = chunks.get(position / CHUNK);
            chunk[position % CHUNK] = (byte) ~chunk[position % CHUNK];
        }

        void cut(int length) {
            size = length;
            durable = Math.min(durable, length);
            int needed = (length + CHUNK - 1) / CHUNK;
            while (chunks.size() > needed) {
                chunks.remove(chunks.size() - 1);
            }
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
        f.flip((int) position);
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
    public void append(String name, byte[] bytes) {
        append(name, bytes, 0, bytes.length);
    }

    @Override
    public synchronized void append(String name, byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        files.computeIfAbsent(Storage.checkName(name), n -> new SimFile()).append(bytes, offset, length);
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
        return f.read((int) position, end - (int) position);
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
