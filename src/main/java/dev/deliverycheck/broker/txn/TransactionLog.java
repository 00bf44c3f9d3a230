package dev.deliverycheck.broker.txn;

import dev.deliverycheck.broker.storage.CrcFrame;
import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The coordinator's durable log on {@link Storage}: every {@link TransactionMetadata} it moves
 * to (all its fields, the KIP-890 retry identity and next producer id included, so a recovered
 * coordinator answers a retried EndTxn as before the crash), and the producer-id blocks it
 * reserves, each framed {@code [length][CRC-32C][payload]} in {@value #FILE}.
 *
 * <p>Invariant: every {@link #write} is flushed before it returns, so a coordinator never acts
 * on (or answers with) a state a crash could take back. Opening replays the file: the last entry
 * per {@code transactional.id} wins; a torn or corrupt tail is truncated away. When the file
 * grows past {@link #COMPACT_BYTES} it is rewritten atomically with only the latest entries.
 */
public final class TransactionLog {
    static final String FILE = "txn/transaction.log";
    static final int COMPACT_BYTES = 1 << 20;
    private static final byte TXN = 1;
    private static final byte PID_BLOCK = 2;

    private final Storage storage;
    private final Map<String, TransactionMetadata> latest = new LinkedHashMap<>();
    private long reservedBlocks;
    private final long truncatedBytes;

    public TransactionLog(Storage storage) {
        this.storage = storage;
        this.truncatedBytes = replay();
    }

    /** Latest logged metadata per transactional id, as found on open and kept up to date by writes. */
    public Map<String, TransactionMetadata> entries() {
        return java.util.Collections.unmodifiableMap(latest);
    }

    /** Number of producer-id blocks reserved so far (durably). */
    public long reservedBlocks() {
        return reservedBlocks;
    }

    /** Bytes of a torn or corrupt tail cut on open. */
    public long truncatedBytes() {
        return truncatedBytes;
    }

    /** Durably logs a transaction state. */
    public void write(TransactionMetadata m) {
        latest.put(m.transactionalId(), m);
        append(encodeTxn(m));
    }

    /** Durably reserves the next producer-id block; returns its number. */
    public long reserveBlock() {
        reservedBlocks++;
        append(encodeBlock(reservedBlocks));
        return reservedBlocks - 1;
    }

    private void append(byte[] payload) {
        if (storage.size(FILE) > COMPACT_BYTES) {
            compact();
        }
        storage.append(FILE, CrcFrame.frame(payload));
        storage.flush(FILE);
    }

    private void compact() {
        List<byte[]> frames = new ArrayList<>();
        frames.add(CrcFrame.frame(encodeBlock(reservedBlocks)));
        for (TransactionMetadata m : latest.values()) {
            frames.add(CrcFrame.frame(encodeTxn(m)));
        }
        int size = frames.stream().mapToInt(f -> f.length).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        frames.forEach(all::put);
        storage.writeAtomically(FILE, all.array());
    }

    private long replay() {
        byte[] bytes = storage.readAll(FILE);
        int at = 0;
        while (bytes.length - at >= CrcFrame.HEADER_BYTES) {
            int length = CrcFrame.validPayloadLength(bytes, at, bytes.length - at);
            if (length < 1 || !apply(ByteBuffer.wrap(bytes, at + CrcFrame.HEADER_BYTES, length).slice())) {
                break;
            }
            at += CrcFrame.HEADER_BYTES + length;
        }
        long cut = bytes.length - at;
        if (cut > 0) {
            storage.truncate(FILE, at);
        }
        return cut;
    }

    private boolean apply(ByteBuffer buf) {
        try {
            byte type = buf.get();
            if (type == PID_BLOCK) {
                reservedBlocks = Math.max(reservedBlocks, buf.getLong());
                return !buf.hasRemaining();
            }
            if (type != TXN) {
                return false;
            }
            String id = getString(buf);
            long pid = buf.getLong();
            short epoch = buf.getShort();
            int timeout = buf.getInt();
            int stateOrdinal = buf.get();
            long start = buf.getLong();
            long lastPid = buf.getLong();
            short lastEpoch = buf.getShort();
            long nextPid = buf.getLong();
            int n = buf.getInt();
            if (stateOrdinal < 0 || stateOrdinal >= TransactionState.values().length || n < 0 || n > buf.remaining() / 6) {
                return false;
            }
            TreeSet<TopicPartition> partitions = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                String topic = getString(buf);
                int p = buf.getInt();
                if (p < 0) {
                    return false;
                }
                partitions.add(new TopicPartition(topic, p));
            }
            if (buf.hasRemaining()) {
                return false;
            }
            latest.put(id, new TransactionMetadata(id, pid, epoch, timeout, TransactionState.values()[stateOrdinal],
                    partitions, start, lastPid, lastEpoch, nextPid));
            return true;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] encodeTxn(TransactionMetadata m) {
        byte[] id = m.transactionalId().getBytes(StandardCharsets.UTF_8);
        Collection<TopicPartition> parts = m.partitions();
        int size = 1 + 2 + id.length + 8 + 2 + 4 + 1 + 8 + 8 + 2 + 8 + 4;
        for (TopicPartition tp : parts) {
            size += 2 + tp.topic().getBytes(StandardCharsets.UTF_8).length + 4;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.put(TXN);
        putString(buf, id);
        buf.putLong(m.producerId()).putShort(m.epoch()).putInt(m.timeoutMs()).put((byte) m.state().ordinal())
                .putLong(m.startTimestamp()).putLong(m.lastProducerId()).putShort(m.lastEpoch())
                .putLong(m.nextProducerId()).putInt(parts.size());
        for (TopicPartition tp : parts) {
            putString(buf, tp.topic().getBytes(StandardCharsets.UTF_8));
            buf.putInt(tp.partition());
        }
        return buf.array();
    }

    private static byte[] encodeBlock(long blocks) {
        return ByteBuffer.allocate(9).put(PID_BLOCK).putLong(blocks).array();
    }

    private static void putString(ByteBuffer buf, byte[] s) {
        if (s.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("string too long for the transaction log: " + s.length + " bytes");
        }
        buf.putShort((short) s.length).put(s);
    }

    private static String getString(ByteBuffer buf) {
        int len = buf.getShort();
        if (len < 0 || len > buf.remaining()) {
            throw new IllegalArgumentException("bad string length " + len);
        }
        byte[] b = new byte[len];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

}
