package dev.deliverycheck.broker.idempotence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.storage.CrcFrame;
import dev.deliverycheck.sim.SimulatedDisk;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Snapshot integrity and restore: a bit flip that keeps the layout valid is caught by the CRC, a
 * snapshot exactly at the log end is usable, and restoring replaces the table's content (keeping
 * only the dedup window of each producer). Written for the mutants PIT ({@code -Pmutation})
 * found unpinned.
 */
class ProducerStateSnapshotsMutationTest {
    private static final List<ProducerState> STATES = List.of(
            new ProducerState(7, (short) 2, List.of(new BatchMetadata(0, 4, 10, 14), new BatchMetadata(5, 5, 20, 20)), 10),
            new ProducerState(9, (short) 0, List.of(), ProducerState.NO_TXN));

    @Test
    void aFlippedBitInsideAValidLayoutIsCaughtByTheCrc() {
        byte[] bytes = ProducerStateSnapshots.encode(21, STATES);
        // frame header, magic, offset, count, producer id, then the epoch's second byte
        int epochLowByte = CrcFrame.HEADER_BYTES + 4 + 8 + 4 + 8 + 1;
        bytes[epochLowByte] ^= 1;
        assertThat(ProducerStateSnapshots.decode(bytes)).isEmpty();
        bytes[epochLowByte] ^= 1;
        assertThat(ProducerStateSnapshots.decode(bytes)).contains(new ProducerStateSnapshots.Snapshot(21, STATES));
    }

    @Test
    void aSnapshotTakenExactlyAtTheLogEndIsLoaded() {
        SimulatedDisk disk = new SimulatedDisk();
        ProducerStateSnapshots snapshots = new ProducerStateSnapshots(disk, ProducerStateTableTest.TP);
        ProducerStateTable table = new ProducerStateTable();
        table.restore(STATES);
        snapshots.write(21, table);
        assertThat(snapshots.loadLatest(21)).contains(new ProducerStateSnapshots.Snapshot(21, STATES));
        assertThat(snapshots.offsets()).containsExactly(21L);
        assertThat(snapshots.loadLatest(20)).as("beyond a shorter log end").isEmpty();
        assertThat(snapshots.offsets()).isEmpty();
    }

    @Test
    void restoreReplacesTheTableAndKeepsOnlyTheWindow() {
        ProducerStateTable table = new ProducerStateTable(2, true);
        assertThat(table.window()).isEqualTo(2);
        table.restore(List.of(new ProducerState(1, (short) 0, List.of(new BatchMetadata(0, 0, 0, 0)), ProducerState.NO_TXN)));
        table.restore(List.of(new ProducerState(2, (short) 1, List.of(new BatchMetadata(0, 0, 5, 5),
                new BatchMetadata(1, 1, 6, 6), new BatchMetadata(2, 3, 7, 8)), ProducerState.NO_TXN)));
        assertThat(table.get(1)).as("the earlier content is gone").isEmpty();
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.get(2).orElseThrow().batches())
                .containsExactly(new BatchMetadata(1, 1, 6, 6), new BatchMetadata(2, 3, 7, 8));
    }
}
