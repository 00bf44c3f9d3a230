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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@link Storage} on a real directory: each name is a file below the root (a {@code /} in a name
 * is a sub-directory). This class is the only place in the broker that touches files.
 *
 * <p>Invariant: when {@link #flush} returns, the file's bytes are on the device
 * ({@code FileChannel.force(true)}) and so is its directory entry if the file was created since
 * the last flush (the parent directory is fsynced too), so a power cut cannot lose a flushed file.
 * Temporary files of {@link #writeAtomically} contain a {@code ~}, which no valid name does, so
 * {@link #list} never shows them and a crash halfway leaves the old content in place.
 */
public final class FileStorage implements Storage, AutoCloseable {
    private static final String TEMP_MARK = "~tmp";

    private final Path root;
    private final Map<String, FileChannel> open = new HashMap<>();
    /** Files whose directory entry has not been fsynced yet. */
    private final Set<String> unsyncedEntries = new HashSet<>();

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

    /** Closes every open file. Does not flush: a caller that wants durability flushes first. */
    @Override
    public synchronized void close() {
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
