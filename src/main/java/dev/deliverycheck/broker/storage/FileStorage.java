package dev.deliverycheck.broker.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@link Storage} on a real directory: each name is a file below the root (a {@code /} in a name
 * is a sub-directory). This class is the only place in the broker that touches files.
 *
 * <p>Invariant: when {@link #flush} returns, the file's bytes are on the device
 * ({@code FileChannel.force(true)}) and so is its directory entry if the file was created since
 * the last flush (the parent directory is fsynced too), so a power cut cannot lose a flushed file.
 * {@link #flushAll} keeps the same invariant for every file it is given, forcing them concurrently on a small
 * pool of daemon threads (this class is real-time only; the simulation uses {@code SimulatedDisk}): the group
 * commit of many partitions then waits about as long as one fsync, because ext4 and other journaling file systems
 * can merge concurrent fsyncs into one journal commit, instead of one device round trip per file.
 * Temporary files of {@link #writeAtomically} contain a {@code ~}, which no valid name does, so
 * {@link #list} never shows them and a crash halfway leaves the old content in place.
 */
public final class FileStorage implements Storage, AutoCloseable {
    private static final String TEMP_MARK = "~tmp";
    /**
     * Concurrent fsyncs of one {@link #flushAll}: the wire broker's default 16 partitions go in one wave, and a broker
     * with many more partitions does not start a thread per file.
     */
    private static final int FLUSH_THREADS = 16;
    private static final AtomicInteger FLUSH_THREAD_IDS = new AtomicInteger();

    private final Path root;
    private final Map<String, FileChannel> open = new HashMap<>();
    /** Files whose directory entry has not been fsynced yet. */
    private final Set<String> unsyncedEntries = new HashSet<>();
    /** The fsync threads of {@link #flushAll}, started on first use; idle ones end after a second. */
    private ThreadPoolExecutor flushPool;

    public FileStorage(Path root) {
        this.root = root.toAbsolutePath();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new StorageException("cannot create data directory " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public synchronized List<String> list(String prefix) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                String name = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                if (!name.contains("~") && name.startsWith(prefix)) {
                    names.add(name);
                }
            });
        } catch (IOException e) {
            throw new StorageException("cannot list " + root, e);
        }
        names.sort(null);
        return names;
    }

    @Override
    public synchronized boolean exists(String name) {
        return Files.isRegularFile(path(name));
    }

    @Override
    public synchronized long size(String name) {
        try {
            FileChannel ch = open.get(name);
            return ch != null ? ch.size() : Files.size(path(name));
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new StorageException("cannot stat " + name, e);
        }
    }

    @Override
    public void append(String name, byte[] bytes) {
        append(name, bytes, 0, bytes.length);
    }

    @Override
    public synchronized void append(String name, byte[] bytes, int offset, int length) {
        try {
            FileChannel ch = channel(name, true);
            ByteBuffer buf = ByteBuffer.wrap(bytes, offset, length);
            long position = ch.size();
            while (buf.hasRemaining()) {
                position += ch.write(buf, position);
            }
        } catch (IOException e) {
            throw new StorageException("cannot append to " + name, e);
        }
    }

    @Override
    public synchronized byte[] read(String name, long position, int length) {
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("negative position or length: " + position + ", " + length);
        }
        try {
            FileChannel ch = channel(name, false);
            if (ch == null) {
                return new byte[0];
            }
            long available = Math.max(0, ch.size() - position);
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(length, available));
            long at = position;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
            return buf.position() == buf.capacity() ? buf.array() : java.util.Arrays.copyOf(buf.array(), buf.position());
        } catch (IOException e) {
            throw new StorageException("cannot read " + name, e);
        }
    }

    @Override
    public synchronized void flush(String name) {
        try {
            FileChannel ch = open.get(name);
            if (ch != null) {
                ch.force(true);
            }
            if (unsyncedEntries.remove(name)) {
                syncDirectory(path(name).getParent());
            }
        } catch (IOException e) {
            throw new StorageException("cannot fsync " + name, e);
        }
    }

    /**
     * {@link #flush} of every file in {@code names}, the file data and the new directory entries (each directory
     * once) forced concurrently. Every force is attempted; the first failure is thrown with the others suppressed.
     */
    @Override
    public synchronized void flushAll(Collection<String> names) {
        Map<Path, List<String>> directories = new LinkedHashMap<>();
        List<Callable<Void>> forces = new ArrayList<>();
        for (String name : new LinkedHashSet<>(names)) {
            FileChannel ch = open.get(name);
            if (ch != null) {
                forces.add(() -> {
                    force(ch, name);
                    return null;
                });
            }
            if (unsyncedEntries.contains(name)) {
                directories.computeIfAbsent(path(name).getParent(), d -> new ArrayList<>()).add(name);
            }
        }
        for (Map.Entry<Path, List<String>> dir : directories.entrySet()) {
            forces.add(() -> {
                syncDirectory(dir.getKey(), dir.getValue().get(0));
                return null;
            });
        }
        StorageException failure = runAll(forces);
        if (failure != null) {
            // Every new entry stays due: fsyncing a directory again is harmless, losing an entry is not.
            throw failure;
        }
        directories.values().forEach(unsyncedEntries::removeAll);
    }

    /** Runs every force, concurrently when there are several; null if all succeeded, else the first failure. */
    private StorageException runAll(List<Callable<Void>> forces) {
        if (forces.isEmpty()) {
            return null;
        }
        List<Throwable> failures = new ArrayList<>();
        if (forces.size() == 1) {
            try {
                forces.get(0).call();
            } catch (Exception e) {
                failures.add(e);
            }
        } else {
            List<Future<Void>> done;
            try {
                done = flushPool().invokeAll(forces);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new StorageException("interrupted while waiting for fsync", e);
            }
            for (Future<Void> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(e);
                }
            }
        }
        if (failures.isEmpty()) {
            return null;
        }
        Throwable first = failures.get(0);
        StorageException failure = first instanceof StorageException se ? se
                : new StorageException("cannot fsync: " + first.getMessage(), first);
        failures.subList(1, failures.size()).forEach(failure::addSuppressed);
        return failure;
    }

    private ThreadPoolExecutor flushPool() {
        if (flushPool == null) {
            flushPool = new ThreadPoolExecutor(FLUSH_THREADS, FLUSH_THREADS, 1, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "deliverycheck-fsync-" + FLUSH_THREAD_IDS.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            flushPool.allowCoreThreadTimeOut(true);
        }
        return flushPool;
    }

    private static void force(FileChannel ch, String name) {
        try {
            ch.force(true);
        } catch (IOException e) {
            throw new StorageException("cannot fsync " + name, e);
        }
    }

    private static void syncDirectory(Path dir, String name) {
        try {
            syncDirectory(dir);
        } catch (IOException e) {
            throw new StorageException("cannot fsync the directory of " + name, e);
        }
    }

    @Override
    public synchronized void truncate(String name, long size) {
        try {
            FileChannel ch = channel(name, false);
            if (ch != null && ch.size() > size) {
                ch.truncate(size);
                ch.force(true);
            }
        } catch (IOException e) {
            throw new StorageException("cannot truncate " + name, e);
        }
    }

    @Override
    public synchronized void delete(String name) {
        try {
            closeChannel(name);
            unsyncedEntries.remove(name);
            Path p = path(name);
            if (Files.deleteIfExists(p)) {
                syncDirectory(p.getParent());
            }
        } catch (IOException e) {
            throw new StorageException("cannot delete " + name, e);
        }
    }

    @Override
    public synchronized void writeAtomically(String name, byte[] contents) {
        Path target = path(name);
        Path temp = target.resolveSibling(target.getFileName() + TEMP_MARK);
        try {
            closeChannel(name);
            Files.createDirectories(target.getParent());
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(contents);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            unsyncedEntries.remove(name);
            syncDirectory(target.getParent());
        } catch (IOException e) {
            throw new StorageException("cannot write " + name, e);
        }
    }

    /** Closes every open file and stops the fsync threads. Does not flush: a caller that wants durability flushes first. */
    @Override
    public synchronized void close() {
        if (flushPool != null) {
            flushPool.shutdown();
            flushPool = null;
        }
        for (String name : new ArrayList<>(open.keySet())) {
            try {
                closeChannel(name);
            } catch (IOException e) {
                throw new StorageException("cannot close " + name, e);
            }
        }
    }

    private Path path(String name) {
        return root.resolve(Storage.checkName(name));
    }

    private FileChannel channel(String name, boolean create) throws IOException {
        FileChannel ch = open.get(name);
        if (ch != null) {
            return ch;
        }
        Path p = path(name);
        if (!Files.exists(p)) {
            if (!create) {
                return null;
            }
            Files.createDirectories(p.getParent());
            unsyncedEntries.add(name);
        }
        ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        open.put(name, ch);
        return ch;
    }

    private void closeChannel(String name) throws IOException {
        FileChannel ch = open.remove(name);
        if (ch != null) {
            ch.close();
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        // Makes a created, renamed or deleted directory entry durable (POSIX: fsync the directory).
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
