package dev.deliverycheck.broker.idempotence;

import dev.deliverycheck.broker.storage.CrcFrame;
import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Snapshot files of a partition's {@link ProducerStateTable}, one per snapshot offset, written
 * atomically to {@code snapshot/<topic>-<partition>/<offset>.snapshot}.
 *
 * <p>A snapshot at offset {@code N} holds the table after every batch below {@code N}; recovery
 * loads the newest snapshot whose offset does not exceed the recovered log end and replays the
 * log from there. Snapshots beyond the log end (taken before a crash took the log tail) are
 * deleted, and so is any snapshot whose CRC-32C does not match: a bad snapshot only costs a
 * longer replay, never a wrong dedup decision.
 */
public final class ProducerStateSnapshots {
    private static final int MAGIC = 0x50534e31; // "PSN1"
    /** Snapshots kept per partition; older ones are deleted when a new one is written. */
    private static final int RETAINED = 2;
    private static final java.util.regex.Pattern FILE_NAME = java.util.regex.Pattern.compile("\\d{20}\\.snapshot");

    private final Storage storage;
    private final String dir;

    /** A loaded snapshot: the offset it is valid at and the producer states. */
    public record Snapshot(long offset, List<ProducerState> states) {
    }

    public ProducerStateSnapshots(Storage storage, TopicPartition tp) {
        this.storage = storage;
        this.dir = "snapshot/" + tp.topic() + "-" + tp.partition() + "/";
    }

    /** Writes a snapshot of {@code table} valid at {@code offset} and prunes old ones. */
    public void write(long offset, ProducerStateTable table) {
        storage.writeAtomically(name(offset), encode(offset, table.all()));
        List<Long> offsets = offsets();
        for (int i = 0; i < offsets.size() - RETAINED; i++) {
            storage.delete(name(offsets.get(i)));
        }
    }

    /**
     * The newest intact snapshot at or below {@code logEndOffset}. Deletes snapshots above it and
     * corrupt ones on the way.
     */
    public Optional<Snapshot> loadLatest(long logEndOffset) {
        List<Long> offsets = offsets();
        for (int i = offsets.size() - 1; i >= 0; i--) {
            long offset = offsets.get(i);
            if (offset > logEndOffset) {
                storage.delete(name(offset));
                continue;
            }
            Optional<Snapshot> s = decode(storage.readAll(name(offset)));
            if (s.isPresent() && s.get().offset() == offset) {
                return s;
            }
            storage.delete(name(offset));
        }
        return Optional.empty();
    }

    /** Offsets of the snapshot files present, ascending. */
    public List<Long> offsets() {
        List<Long> out = new ArrayList<>();
        for (String name : storage.list(dir)) {
            String file = name.substring(dir.length());
            if (FILE_NAME.matcher(file).matches()) {
                out.add(Long.parseLong(file.substring(0, 20)));
            }
        }
        return out;
    }

    private String name(long offset) {
        return dir + String.format("%020d", offset) + ".snapshot";
    }

    static byte[] encode(long offset, List<ProducerState> states) {
        int size = 4 + 8 + 4;
        for (ProducerState s : states) {
            size += 8 + 2 + 8 + 4 + s.batches().size() * (4 + 4 + 8 + 8);
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.putInt(MAGIC).putLong(offset).putInt(states.size());
        for (ProducerState s : states) {
            buf.putLong(s.producerId()).putShort(s.epoch()).putLong(s.ongoingTxnFirstOffset()).putInt(s.batches().size());
            for (BatchMetadata b : s.batches()) {
                buf.putInt(b.firstSeq()).putInt(b.lastSeq()).putLong(b.firstOffset()).putLong(b.lastOffset());
            }
        }
        return CrcFrame.frame(buf.array());
    }

    static Optional<Snapshot> decode(byte[] bytes) {
        int length = CrcFrame.validPayloadLength(bytes, 0, bytes.length);
        if (length < 16 || length != bytes.length - CrcFrame.HEADER_BYTES) {
            return Optional.empty(); // not exactly one whole frame with a matching checksum
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes, CrcFrame.HEADER_BYTES, length);
            if (buf.getInt() != MAGIC) {
                return Optional.empty();
            }
            long offset = buf.getLong();
            int count = buf.getInt();
            if (count < 0 || count > buf.remaining() / 22) {
                return Optional.empty();
            }
            List<ProducerState> states = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long pid = buf.getLong();
                short epoch = buf.getShort();
                long txn = buf.getLong();
                int n = buf.getInt();
                if (n < 0 || n > buf.remaining() / 24) {
                    return Optional.empty();
                }
                List<BatchMetadata> batches = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    batches.add(new BatchMetadata(buf.getInt(), buf.getInt(), buf.getLong(), buf.getLong()));
                }
                states.add(new ProducerState(pid, epoch, batches, txn));
            }
            return buf.hasRemaining() ? Optional.empty() : Optional.of(new Snapshot(offset, states));
        } catch (BufferUnderflowException e) {
            return Optional.empty();
        }
    }
}
