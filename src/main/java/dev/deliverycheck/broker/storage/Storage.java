package dev.deliverycheck.broker.storage;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The broker's disk: a flat namespace of named, append-only files. It offers just what a
 * segment log, a producer-state snapshot and a transaction log need.
 *
 * <p>Durability contract, shared by every implementation:
 * <ul>
 *   <li>{@link #append} bytes are readable at once but <em>volatile</em>: a crash may drop them,
 *       or keep any prefix of them (a torn write);</li>
 *   <li>{@link #flush} makes everything appended to that file before it durable (fsync);
 *       {@link #flushAll} does so for several files at once, and returns only when all are;</li>
 *   <li>{@link #writeAtomically} replaces a whole file durably and all-or-nothing (write a temp
 *       file, fsync, rename), as snapshots need;</li>
 *   <li>{@link #truncate} and {@link #delete} are durable when they return (recovery uses them to
 *       cut a torn tail, and must not see the tail come back after a second crash).</li>
 * </ul>
 *
 * <p>Names are relative paths of {@code [A-Za-z0-9._-]} segments separated by {@code /}, e.g.
 * {@code log/orders-0/00000000000000000000.log}. Failures of the underlying device surface as
 * {@link StorageException}.
 */
public interface Storage {

    /** Names of all existing files starting with {@code prefix}, sorted. */
    List<String> list(String prefix);

    boolean exists(String name);

    /** Current size of a file including volatile bytes; 0 for a missing file. */
    long size(String name);

    /** Appends bytes at the end of a file, creating it if missing. Volatile until {@link #flush}. */
    void append(String name, byte[] bytes);

    /**
     * Appends {@code bytes[offset, offset + length)}: the same as {@code append(name, copyOfRange(...))}, for a
     * caller that writes through one reused buffer. The storage keeps no reference to {@code bytes}.
     */
    default void append(String name, byte[] bytes, int offset, int length) {
        append(name, Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /**
     * Reads up to {@code length} bytes at {@code position}; fewer if the file ends earlier, none
     * for a missing file or a position at or past the end.
     */
    byte[] read(String name, long position, int length);

    /** The whole file, or an empty array for a missing file. */
    default byte[] readAll(String name) {
        long size = size(name);
        if (size > Integer.MAX_VALUE) {
            throw new StorageException("file too large to read at once: " + name + " (" + size + " bytes)");
        }
        return read(name, 0, (int) size);
    }

    /** fsync: every byte appended to {@code name} so far survives a crash. A missing file is a no-op. */
    void flush(String name);

    /**
     * {@link #flush} of every file in {@code names}: when it returns, every byte appended to each of them so far
     * survives a crash. An implementation may fsync them concurrently (the group commit's flush of many partitions
     * then costs about one device round trip instead of one per file); this default does them one by one in the
     * given order, which is what a deterministic disk must do. If a flush fails, a {@link StorageException} is
     * thrown and the caller must count no file of the call as flushed.
     */
    default void flushAll(Collection<String> names) {
        for (String name : names) {
            flush(name);
        }
    }

    /** Cuts a file to {@code size} bytes (no-op if it is not longer), durably. */
    void truncate(String name, long size);

    /** Removes a file, durably. A missing file is a no-op. */
    void delete(String name);

    /** Replaces the whole content of {@code name} atomically and durably. */
    void writeAtomically(String name, byte[] contents);

    /** Checks a name against the naming rule above; every implementation calls this. */
    static String checkName(String name) {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.endsWith("/")) {
            throw new IllegalArgumentException("invalid storage file name: " + name);
        }
        // One pass over the characters (every simulated disk write checks its name): each
        // '/'-separated segment is non-empty, not "." or "..", and made of ASCII letters,
        // digits, '.', '_' and '-'.
        int start = 0;
        for (int i = 0; i <= name.length(); i++) {
            char c = i < name.length() ? name.charAt(i) : '/';
            if (c == '/') {
                int length = i - start;
                boolean dots = (length == 1 || length == 2) && name.regionMatches(start, "..", 0, length);
                if (length == 0 || dots) {
                    throw new IllegalArgumentException("invalid storage file name: " + name);
                }
                start = i + 1;
            } else if (!(c < 128 && Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')) {
                throw new IllegalArgumentException("invalid storage file name: " + name);
            }
        }
        return name;
    }
}
