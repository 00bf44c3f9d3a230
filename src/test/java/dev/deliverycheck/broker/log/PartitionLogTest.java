package dev.deliverycheck.broker.log;

import static dev.deliverycheck.broker.log.LogTestData.TP;
import static dev.deliverycheck.broker.log.LogTestData.batch;
import static dev.deliverycheck.broker.log.LogTestData.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.broker.storage.FileStorage;
import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.sim.SimulatedDisk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {
    private static final int BIG_SEGMENTS = 1 << 20;

    private static PartitionLog open(Storage storage, int segmentBytes) {
        return PartitionLog.open(storage, TP, segmentBytes, b -> { });
    }

    private static List<Long> range(long from, long toExclusive) {
        return LongStream.range(from, toExclusive).boxed().toList();
    }

    @Test
    void segmentNamesAreTheBaseOffsetPaddedToTwentyDigits() {
        List<Long> offsets = new ArrayList<>(List.of(0L, 1L, 9L, 10L, 99_999L, Long.MAX_VALUE, -1L, Long.MIN_VALUE));
        SeededRandom random = new SeededRandom(7);
        for (int i = 0; i < 2_000; i++) {
            offsets.add(random.nextLong() >>> random.nextInt(64));
        }
        for (long offset : offsets) {
            assertThat(PartitionLog.segmentName(TP, offset))
                    .isEqualTo(PartitionLog.directory(TP) + String.format("%020d", offset) + ".log");
        }
        assertThat(PartitionLog.segmentName(TP, 42)).endsWith("/00000000000000000042.log");
    }

    @Test
    void appendsGetDenseOffsetsAndReadBackInOrder() throws Exception {
        PartitionLog log = open(new SimulatedDisk(), BIG_SEGMENTS);
        assertThat(log.append(batch(0, 3)).stored().baseOffset()).isZero();
        assertThat(log.append(batch(3, 2)).stored().baseOffset()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(ids(log.read(0, Long.MAX_VALUE, 100))).isEqualTo(range(0, 5));
        assertThat(ids(log.read(4, Long.MAX_VALUE, 100))).isEqualTo(range(3, 5));
        assertThat(log.read(0, 3, 100)).hasSize(1);
        assertThat(log.read(0, Long.MAX_VALUE, 1)).hasSize(1);
        assertThat(log.batchAt(4).baseOffset()).isEqualTo(3);
        assertThat(log.batchAt(5)).isNull();
    }

    @Test
    void flushAdvancesTheDurableOffset() {
        SimulatedDisk disk = new SimulatedDisk();
        PartitionLog log = open(disk, BIG_SEGMENTS);
        log.append(batch(0, 2));
        assertThat(log.flushedOffset()).isZero();
        assertThat(log.flush()).isTrue();
        assertThat(log.flushedOffset()).isEqualTo(2);
        assertThat(log.flush()).isFalse();
    }

    @Test
    void segmentsRollBySizeAndRecoveryReadsThemAll() throws Exception {
        SimulatedDisk disk = new SimulatedDisk();
        PartitionLog log = open(disk, 300);
        int rolls = 0;
        for (int i = 0; i < 20; i++) {
            rolls += log.append(batch(i * 2L, 2)).rolled() ? 1 : 0;
        }
        log.flush();
        assertThat(log.segmentNames()).hasSizeGreaterThan(3).hasSize(rolls + 1);
        long previous = -1;
        for (int i = 0; i < log.segmentNames().size(); i++) {
            long base = parseBase(log, i);
            assertThat(base).as("segment named by its first batch's offset").isGreaterThan(previous);
            assertThat(log.batchAt(base).baseOffset()).isEqualTo(base);
            previous = base;
        }
        for (String s : log.segmentNames()) {
            assertThat(disk.size(s)).isLessThanOrEqualTo(300);
        }
        List<StoredBatch> replayed = new ArrayList<>();
        PartitionLog reopened = PartitionLog.open(disk, TP, 300, replayed::add);
        assertThat(reopened.recoveryReport().clean()).isTrue();
        assertThat(reopened.logEndOffset()).isEqualTo(40);
        assertThat(ids(replayed)).isEqualTo(range(0, 40));
        assertThat(ids(reopened.read(0, 40, 1000))).isEqualTo(range(0, 40));
        assertThat(reopened.append(batch(40, 1)).stored().baseOffset()).isEqualTo(40);
    }

    private static long parseBase(PartitionLog log, int segment) {
        String name = log.segmentNames().get(segment);
        return Long.parseLong(name.substring(name.lastIndexOf('/') + 1, name.lastIndexOf('.')));
    }

    @Test
    void aCrashLosesExactlyTheUnflushedBatches() throws Exception {
        SimulatedDisk disk = new SimulatedDisk();
        PartitionLog log = open(disk, BIG_SEGMENTS);
        log.append(batch(0, 3));
        log.flush();
        log.append(batch(3, 3));
        disk.crash();
        PartitionLog reopened = open(disk, BIG_SEGMENTS);
        assertThat(reopened.logEndOffset()).isEqualTo(3);
        assertThat(reopened.recoveryReport().clean()).isTrue();
        assertThat(ids(reopened.read(0, 100, 100))).isEqualTo(range(0, 3));
    }

    @Test
    void tornTailIsTruncatedAndReportedOnEverySeed() throws Exception {
        int torn = 0;
        for (long seed = 0; seed < 40; seed++) {
            SimulatedDisk disk = new SimulatedDisk(new SeededRandom(seed));
            PartitionLog log = open(disk, BIG_SEGMENTS);
            log.append(batch(0, 2));
            log.flush();
            log.append(batch(2, 5));
            disk.crash();
            PartitionLog reopened = open(disk, BIG_SEGMENTS);
            RecoveryReport report = reopened.recoveryReport();
            assertThat(report.corruptionInMiddle()).isFalse();
            if (report.problem() == RecoveryReport.Problem.TORN_TAIL) {
                torn++;
                assertThat(report.truncatedBytes()).isPositive();
                assertThat(report.detail()).contains("cut short");
            }
            // either the torn frame was dropped, or the crash happened to keep it whole
            assertThat(reopened.logEndOffset()).isIn(2L, 7L);
            assertThat(ids(reopened.read(0, 100, 100))).isEqualTo(range(0, reopened.logEndOffset()));
            String segment = reopened.segmentNames().get(0);
            assertThat(disk.size(segment)).as("truncated to the last valid frame").isEqualTo(
                    (long) BatchCodec.frame(new StoredBatch(0, batch(0, 2))).length
                            + (reopened.logEndOffset() == 7 ? BatchCodec.frame(new StoredBatch(2, batch(2, 5))).length : 0));
            reopened.append(batch(100, 1));
            assertThat(reopened.read(reopened.logEndOffset() - 1, 1000, 10).get(0).batch().recordIds()).containsExactly(100L);
        }
        assertThat(torn).isGreaterThan(10);
    }

    @Test
    void corruptCrcInTheMiddleIsTruncatedAtReportedAndNeverServed() throws Exception {
        SimulatedDisk disk = new SimulatedDisk();
        PartitionLog log = open(disk, BIG_SEGMENTS);
        log.append(batch(0, 2));
        log.append(batch(2, 2));
        log.append(batch(4, 2));
        log.flush();
        String segment = log.segmentNames().get(0);
        int firstFrame = BatchCodec.frame(new StoredBatch(0, batch(0, 2))).length;
        long segmentSize = disk.size(segment);
        // a byte inside the second batch's payload: its record values change, so only the CRC can tell
        disk.corrupt(segment, firstFrame + BatchCodec.FRAME_HEADER_BYTES + 60);

        assertThatThrownBy(() -> log.read(0, 100, 100)).isInstanceOf(CorruptBatchException.class)
                .hasMessageContaining("CRC");

        List<StoredBatch> recovered = new ArrayList<>();
        PartitionLog reopened = PartitionLog.open(disk, TP, BIG_SEGMENTS, recovered::add);
        RecoveryReport report = reopened.recoveryReport();
        assertThat(report.problem()).isEqualTo(RecoveryReport.Problem.CRC_MISMATCH);
        assertThat(report.corruptionInMiddle()).isTrue();
        assertThat(report.truncatedBytes()).isEqualTo(segmentSize - firstFrame);
        assertThat(report.validBatches()).isEqualTo(1);
        assertThat(reopened.logEndOffset()).isEqualTo(2);
        assertThat(ids(recovered)).isEqualTo(range(0, 2));
        assertThat(ids(reopened.read(0, 100, 100))).isEqualTo(range(0, 2));
        assertThat(disk.size(segment)).isEqualTo(firstFrame);
    }

    @Test
    void corruptionInAnEarlySegmentDropsLaterSegments() {
        SimulatedDisk disk = new SimulatedDisk();
        PartitionLog log = open(disk, 200);
        for (int i = 0; i < 10; i++) {
            log.append(batch(i, 1));
        }
        log.flush();
        List<String> segments = log.segmentNames();
        assertThat(segments).hasSizeGreaterThan(2);
        disk.corrupt(segments.get(0), BatchCodec.FRAME_HEADER_BYTES + 3);
        PartitionLog reopened = open(disk, 200);
        assertThat(reopened.recoveryReport().problem()).isEqualTo(RecoveryReport.Problem.CRC_MISMATCH);
        assertThat(reopened.recoveryReport().corruptionInMiddle()).isTrue();
        assertThat(reopened.logEndOffset()).isZero();
        assertThat(disk.list(PartitionLog.directory(TP))).containsExactly(segments.get(0));
    }

    @Test
    void aBogusFrameLengthIsCorruptionNotAnAllocation() {
        SimulatedDisk disk = new SimulatedDisk();
        PartitionLog log = open(disk, BIG_SEGMENTS);
        log.append(batch(0, 1));
        log.flush();
        String segment = log.segmentNames().get(0);
        disk.append(segment, new byte[] {(byte) 0x80, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});
        PartitionLog reopened = open(disk, BIG_SEGMENTS);
        assertThat(reopened.recoveryReport().problem()).isEqualTo(RecoveryReport.Problem.INVALID_BATCH);
        assertThat(reopened.recoveryReport().truncatedBytes()).isEqualTo(12);
        assertThat(reopened.logEndOffset()).isEqualTo(1);
    }

    @Test
    void aSegmentThatLeavesAGapIsAnOrphan() {
        SimulatedDisk disk = new SimulatedDisk();
        PartitionLog log = open(disk, BIG_SEGMENTS);
        log.append(batch(0, 1));
        log.flush();
        disk.append(PartitionLog.segmentName(TP, 5), BatchCodec.frame(new StoredBatch(5, batch(5, 1))));
        PartitionLog reopened = open(disk, BIG_SEGMENTS);
        assertThat(reopened.recoveryReport().problem()).isEqualTo(RecoveryReport.Problem.ORPHAN_SEGMENT);
        assertThat(reopened.logEndOffset()).isEqualTo(1);
        assertThat(disk.list(PartitionLog.directory(TP))).hasSize(1);
    }

    @Test
    void aFrameWithTheWrongOffsetIsInvalid() {
        SimulatedDisk disk = new SimulatedDisk();
        disk.append(PartitionLog.segmentName(TP, 0), BatchCodec.frame(new StoredBatch(0, batch(0, 1))));
        disk.append(PartitionLog.segmentName(TP, 0), BatchCodec.frame(new StoredBatch(9, batch(1, 1))));
        PartitionLog reopened = open(disk, BIG_SEGMENTS);
        assertThat(reopened.recoveryReport().problem()).isEqualTo(RecoveryReport.Problem.INVALID_BATCH);
        assertThat(reopened.recoveryReport().detail()).contains("claims offset 9");
        assertThat(reopened.logEndOffset()).isEqualTo(1);
    }

    @Test
    void fileBackedLogSurvivesReopeningAndRepairsATornTail(@TempDir Path dir) throws Exception {
        FileStorage storage = new FileStorage(dir);
        PartitionLog log = open(storage, 256);
        for (int i = 0; i < 12; i++) {
            log.append(batch(i * 3L, 3));
        }
        log.flush();
        String last = log.segmentNames().get(log.segmentNames().size() - 1);
        byte[] half = BatchCodec.frame(new StoredBatch(36, batch(36, 3)));
        storage.append(last, java.util.Arrays.copyOf(half, half.length / 2));
        storage.close();

        FileStorage again = new FileStorage(dir);
        PartitionLog reopened = open(again, 256);
        assertThat(reopened.recoveryReport().problem()).isEqualTo(RecoveryReport.Problem.TORN_TAIL);
        assertThat(reopened.recoveryReport().truncatedBytes()).isEqualTo(half.length / 2);
        assertThat(ids(reopened.read(0, 1000, 1000))).isEqualTo(range(0, 36));
        assertThat(reopened.segmentNames()).hasSizeGreaterThan(1);
        again.close();
    }
}
