package dev.deliverycheck.broker.log;

import dev.deliverycheck.broker.storage.CrcFrame;
import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The log of one partition: a sequence of segment files on {@link Storage}, each a run of
 * frames {@code [length][CRC-32C][batch]}, named by the offset of their first batch and rolled
 * when they reach {@code log.segment.bytes}.
 *
 * <p>Invariants: offsets are dense and increasing across segments; every batch below
 * {@link #logEndOffset()} was validated (on append, or by the recovery pass when the log was
 * opened); bytes are only returned to a reader after their CRC was checked again, so data
 * corrupted on the device is reported, never served. {@link #flushedOffset()} never exceeds
 * {@link #logEndOffset()}, and every batch below it survives a crash.
 */
public final class PartitionLog {
    private static final java.util.regex.Pattern SEGMENT_FILE = java.util.regex.Pattern.compile("\\d{20}\\.log");
    private final Storage storage;
    private final TopicPartition tp;
    private final int segmentBytes;
    private final String dir;
    private final List<Segment> segments = new ArrayList<>();
    /** One entry per batch, in offset order. */
    private final List<IndexEntry> index = new ArrayList<>();
    /** Segments holding bytes appended since the last flush, in offset order. */
    private final Set<Segment> dirty = new LinkedHashSet<>();
    private final RecoveryReport recoveryReport;
    private long logEndOffset;
    private long flushedOffset;
    /**
     * Where {@link #append} encodes each frame before handing it to the storage (which copies it): one buffer per log
     * instead of a new array per batch, kept only up to {@link #MAX_REUSED_FRAME_BYTES} so a rare huge batch does not
     * pin its size in memory.
     */
    private byte[] frameBuffer = new byte[0];
    private static final int MAX_REUSED_FRAME_BYTES = 1 << 20;

    private record Segment(long baseOffset, String name) {
    }

    private record IndexEntry(long baseOffset, long lastOffset, Segment segment, long position, int frameBytes) {
    }

    /** The outcome of an {@link #append}: where the batch went, and whether a new segment was started for it. */
    public record Appended(StoredBatch stored, boolean rolled) {
    }

    private PartitionLog(Storage storage, TopicPartition tp, int segmentBytes, Consumer<StoredBatch> onRecovered) {
        if (segmentBytes < BatchCodec.FRAME_HEADER_BYTES) {
            throw new IllegalArgumentException("log.segment.bytes too small: " + segmentBytes);
        }
        this.storage = storage;
        this.tp = tp;
        this.segmentBytes = segmentBytes;
        this.dir = directory(tp);
        this.recoveryReport = recover(onRecovered);
        this.flushedOffset = logEndOffset;
    }

    /**
     * Opens the log of {@code tp} on {@code storage}, creating it if absent. The recovery pass
     * reads every segment, hands each valid batch to {@code onRecovered} in offset order, and
     * stops at the first torn or corrupt frame: that frame and everything after it is truncated
     * away (see {@link #recoveryReport()}).
     */
    public static PartitionLog open(Storage storage, TopicPartition tp, int segmentBytes,
                                    Consumer<StoredBatch> onRecovered) {
        return new PartitionLog(storage, tp, segmentBytes, onRecovered);
    }

    /** Storage directory of a partition's segments. */
    public static String directory(TopicPartition tp) {
        return "log/" + tp.topic() + "-" + tp.partition() + "/";
    }

    /** {@code directory(tp)}, the base offset zero-padded to 20 digits, {@code .log}. */
    public static String segmentName(TopicPartition tp, long baseOffset) {
        if (baseOffset < 0) {
            return directory(tp) + String.format("%020d", baseOffset) + ".log";
        }
        // String.format is the cost of a segment roll in the simulator; padding by hand gives the same name.
        String digits = Long.toString(baseOffset);
        StringBuilder name = new StringBuilder(directory(tp));
        for (int i = digits.length(); i < 20; i++) {
            name.append('0');
        }
        return name.append(digits).append(".log").toString();
    }

    public TopicPartition topicPartition() {
        return tp;
    }

    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /** Offset the next batch will get. */
    public long logEndOffset() {
        return logEndOffset;
    }

    /** Every batch below this offset is durable. */
    public long flushedOffset() {
        return flushedOffset;
    }

    public List<String> segmentNames() {
        return segments.stream().map(Segment::name).toList();
    }

    /**
     * Appends a batch at the log end (volatile until {@link #flush()}), rolling to a new segment
     * first if the active one would exceed {@code log.segment.bytes}.
     */
    public Appended append(RecordBatch batch) {
        return append(batch, BatchCodec.payloadSize(batch));
    }

    /** {@link #append(RecordBatch)} for a batch whose {@link BatchCodec#payloadSize} is already known. */
    public Appended append(RecordBatch batch, int payloadSize) {
        StoredBatch stored = new StoredBatch(logEndOffset, batch);
        int frameBytes = BatchCodec.FRAME_HEADER_BYTES + payloadSize;
        byte[] frame = frameBuffer.length >= frameBytes ? frameBuffer : new byte[frameBytes];
        if (frameBytes <= MAX_REUSED_FRAME_BYTES) {
            frameBuffer = frame;
        }
        BatchCodec.frameInto(stored, payloadSize, frame);
        boolean rolled = false;
        Segment active = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (active == null || storage.size(active.name()) > 0 && storage.size(active.name()) + frameBytes > segmentBytes) {
            active = new Segment(logEndOffset, segmentName(tp, logEndOffset));
            rolled = !segments.isEmpty();
            segments.add(active);
        }
        long position = storage.size(active.name());
        storage.append(active.name(), frame, 0, frameBytes);
        dirty.add(active);
        index.add(new IndexEntry(stored.baseOffset(), stored.lastOffset(), active, position, frameBytes));
        logEndOffset = stored.nextOffset();
        return new Appended(stored, rolled);
    }

    /** fsync every segment written since the last flush, oldest first. Returns whether anything was flushed. */
    public boolean flush() {
        if (dirty.isEmpty()) {
            return false;
        }
        storage.flushAll(unflushedSegmentNames());
        return flushed();
    }

    /** The segments written since the last flush, oldest first: what {@link #flush()} fsyncs. */
    public List<String> unflushedSegmentNames() {
        return dirty.stream().map(Segment::name).toList();
    }

    /**
     * Records that the caller made every one of {@link #unflushedSegmentNames()} durable (the group commit
     * fsyncs many partitions' segments in one {@link Storage#flushAll}). Returns whether anything was unflushed.
     */
    public boolean flushed() {
        if (dirty.isEmpty()) {
            return false;
        }
        dirty.clear();
        flushedOffset = logEndOffset;
        return true;
    }

    /**
     * Batches holding any offset in {@code [fromOffset, toOffset)}, in order, at most
     * {@code maxBatches}. Each is re-read from storage and checked against its CRC.
     *
     * @throws CorruptBatchException if a stored batch no longer matches its checksum
     */
    public List<StoredBatch> read(long fromOffset, long toOffset, int maxBatches) throws CorruptBatchException {
        List<StoredBatch> out = new ArrayList<>();
        int i = firstEntryEndingAtOrAfter(fromOffset);
        for (; i < index.size() && out.size() < maxBatches; i++) {
            IndexEntry e = index.get(i);
            if (e.baseOffset() >= toOffset) {
                break;
            }
            out.add(readEntry(e));
        }
        return out;
    }

    /** The batch containing {@code offset}, if any. */
    public StoredBatch batchAt(long offset) throws CorruptBatchException {
        int i = firstEntryEndingAtOrAfter(offset);
        if (i < index.size() && index.get(i).baseOffset() <= offset) {
            return readEntry(index.get(i));
        }
        return null;
    }

    private StoredBatch readEntry(IndexEntry e) throws CorruptBatchException {
        byte[] frame = storage.read(e.segment().name(), e.position(), e.frameBytes());
        if (frame.length != e.frameBytes()) {
            throw new CorruptBatchException(tp + ": batch at offset " + e.baseOffset() + " is cut short on storage");
        }
        StoredBatch stored = checkFrame(frame, 0, frame.length);
        if (stored.baseOffset() != e.baseOffset()) {
            throw new CorruptBatchException(tp + ": expected offset " + e.baseOffset() + ", found " + stored.baseOffset());
        }
        return stored;
    }

    private int firstEntryEndingAtOrAfter(long offset) {
        int lo = 0;
        int hi = index.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (index.get(mid).lastOffset() < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Validates one complete frame (length, CRC, payload) starting at {@code at}. */
    private StoredBatch checkFrame(byte[] bytes, int at, int available) throws CorruptBatchException {
        int length = CrcFrame.declaredLength(bytes, at);
        int crc = CrcFrame.declaredCrc(bytes, at);
        if (length < 0 || length > available - BatchCodec.FRAME_HEADER_BYTES) {
            throw new CorruptBatchException("frame length " + length + " does not fit");
        }
        int payloadAt = at + BatchCodec.FRAME_HEADER_BYTES;
        if (CrcFrame.crc(bytes, payloadAt, length) != crc) {
            throw new CrcMismatch(tp + ": CRC-32C mismatch in batch frame of " + length + " bytes");
        }
        return BatchCodec.decode(bytes, payloadAt, length, tp);
    }

    /** A complete frame whose checksum is wrong, as opposed to a frame cut short or garbled. */
    static final class CrcMismatch extends CorruptBatchException {
        CrcMismatch(String message) {
            super(message);
        }
    }

    // --- recovery -----------------------------------------------------------------------------

    private RecoveryReport recover(Consumer<StoredBatch> onRecovered) {
        List<String> names = storage.list(dir);
        long next = 0;
        int valid = 0;
        long truncated = 0;
        RecoveryReport.Problem problem = RecoveryReport.Problem.NONE;
        boolean middle = false;
        String detail = "";
        int s = 0;
        for (; s < names.size() && problem == RecoveryReport.Problem.NONE; s++) {
            String name = names.get(s);
            long base = parseBaseOffset(name);
            if (base != next) {
                problem = RecoveryReport.Problem.ORPHAN_SEGMENT;
                detail = name + " starts at offset " + base + " but the log ends at " + next;
                break;
            }
            Segment segment = new Segment(base, name);
            segments.add(segment);
            byte[] bytes = storage.readAll(name);
            int at = 0;
            while (at < bytes.length) {
                int left = bytes.length - at;
                if (left < BatchCodec.FRAME_HEADER_BYTES
                        || left < BatchCodec.FRAME_HEADER_BYTES + (long) Math.max(0, CrcFrame.declaredLength(bytes, at))) {
                    boolean negative = left >= 4 && CrcFrame.declaredLength(bytes, at) < 0;
                    problem = negative ? RecoveryReport.Problem.INVALID_BATCH : RecoveryReport.Problem.TORN_TAIL;
                    detail = name + " at byte " + at + ": " + (negative ? "negative frame length" : "frame cut short, "
                            + left + " bytes left");
                    middle = negative && (left > BatchCodec.FRAME_HEADER_BYTES || s < names.size() - 1);
                    break;
                }
                StoredBatch stored;
                try {
                    stored = checkFrame(bytes, at, left);
                    if (stored.baseOffset() != next) {
                        throw new CorruptBatchException("batch claims offset " + stored.baseOffset() + ", expected " + next);
                    }
                } catch (CorruptBatchException e) {
                    problem = e instanceof CrcMismatch ? RecoveryReport.Problem.CRC_MISMATCH
                            : RecoveryReport.Problem.INVALID_BATCH;
                    int frameEnd = at + BatchCodec.FRAME_HEADER_BYTES + CrcFrame.declaredLength(bytes, at);
                    middle = frameEnd < bytes.length || s < names.size() - 1;
                    detail = name + " at byte " + at + ": " + e.getMessage();
                    break;
                }
                int frameBytes = BatchCodec.FRAME_HEADER_BYTES + CrcFrame.declaredLength(bytes, at);
                index.add(new IndexEntry(stored.baseOffset(), stored.lastOffset(), segment, at, frameBytes));
                onRecovered.accept(stored);
                valid++;
                next = stored.nextOffset();
                at += frameBytes;
            }
            if (problem != RecoveryReport.Problem.NONE) {
                truncated += bytes.length - at;
                storage.truncate(name, at);
            }
        }
        // Whatever follows the first problem is unreachable: later segments would leave a gap.
        for (int k = segments.size(); k < names.size(); k++) {
            truncated += storage.size(names.get(k));
            storage.delete(names.get(k));
        }
        logEndOffset = next;
        return new RecoveryReport(next, valid, truncated, problem, middle, detail);
    }

    private long parseBaseOffset(String name) {
        String file = name.substring(dir.length());
        if (!SEGMENT_FILE.matcher(file).matches()) {
            return -1;
        }
        return Long.parseLong(file.substring(0, 20));
    }
}
