package dev.deliverycheck.broker.idempotence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.log.StoredBatch;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.sim.SimulatedDisk;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProducerStateSnapshotsTest {

    /** A random but valid history of several producers, transactions and epoch bumps. */
    private static List<StoredBatch> history(long seed, int length) {
        SplittableRandom random = new SplittableRandom(seed);
        ProducerStateTable live = new ProducerStateTable();
        List<StoredBatch> log = new ArrayList<>();
        long offset = 0;
        int[] nextSeq = new int[3];
        short[] epoch = new short[3];
        while (log.size() < length) {
            int p = random.nextInt(3);
            long pid = 100 + p;
            RecordBatch b;
            int roll = random.nextInt(10);
            if (roll == 0) {
                epoch[p]++;
                nextSeq[p] = 0;
                b = RecordBatch.marker(ProducerStateTableTest.TP, pid, epoch[p], ControlType.ABORT);
            } else if (roll == 1) {
                b = RecordBatch.marker(ProducerStateTableTest.TP, pid, epoch[p], ControlType.COMMIT);
            } else {
                int count = 1 + random.nextInt(4);
                b = ProducerStateTableTest.batch(pid, epoch[p], nextSeq[p], count, p != 0);
                if (!(live.check(b) instanceof AppendCheck.Accept)) {
                    continue;
                }
                nextSeq[p] += count;
            }
            StoredBatch stored = new StoredBatch(offset, b);
            offset = stored.nextOffset();
            live.onAppend(stored);
            log.add(stored);
        }
        return log;
    }

    private static ProducerStateTable replay(List<StoredBatch> log, int from, int to) {
        ProducerStateTable t = new ProducerStateTable();
        log.subList(from, to).forEach(t::onAppend);
        return t;
    }

    @Test
    void snapshotPlusReplayGivesTheSameStateAsTheFullLog() {
        for (long seed = 0; seed < 20; seed++) {
            List<StoredBatch> log = history(seed, 60);
            ProducerStateTable full = replay(log, 0, log.size());
            for (int cut = 0; cut <= log.size(); cut += 7) {
                SimulatedDisk disk = new SimulatedDisk();
                ProducerStateSnapshots snapshots = new ProducerStateSnapshots(disk, ProducerStateTableTest.TP);
                long cutOffset = cut == 0 ? 0 : log.get(cut - 1).nextOffset();
                snapshots.write(cutOffset, replay(log, 0, cut));

                ProducerStateSnapshots.Snapshot loaded = snapshots.loadLatest(log.get(log.size() - 1).nextOffset())
                        .orElseThrow();
                assertThat(loaded.offset()).isEqualTo(cutOffset);
                ProducerStateTable restored = new ProducerStateTable();
                restored.restore(loaded.states());
                for (StoredBatch b : log) {
                    if (b.baseOffset() >= loaded.offset()) {
                        restored.onAppend(b);
                    }
                }
                assertThat(restored.all()).as("seed %d cut %d", seed, cut).isEqualTo(full.all());
            }
        }
    }

    @Test
    void snapshotsBeyondTheLogEndAndCorruptOnesAreIgnoredAndDeleted() {
        SimulatedDisk disk = new SimulatedDisk();
        ProducerStateSnapshots snapshots = new ProducerStateSnapshots(disk, ProducerStateTableTest.TP);
        List<StoredBatch> log = history(3, 30);
        snapshots.write(log.get(9).nextOffset(), replay(log, 0, 10));
        snapshots.write(log.get(19).nextOffset(), replay(log, 0, 20));
        snapshots.write(log.get(29).nextOffset(), replay(log, 0, 30));
        assertThat(snapshots.offsets()).hasSize(2);

        // the log lost its tail in a crash: the newest snapshot describes batches that no longer exist
        long logEnd = log.get(24).nextOffset();
        ProducerStateSnapshots.Snapshot s = snapshots.loadLatest(logEnd).orElseThrow();
        assertThat(s.offset()).isEqualTo(log.get(19).nextOffset());
        assertThat(snapshots.offsets()).containsExactly(log.get(19).nextOffset());

        String name = disk.list("snapshot/").get(0);
        disk.corrupt(name, 13);
        assertThat(snapshots.loadLatest(logEnd)).isEmpty();
        assertThat(disk.list("snapshot/")).isEmpty();
    }

    @Test
    void encodingRoundTripsAndRejectsGarbage() {
        List<ProducerState> states = List.of(new ProducerState(7, (short) 2,
                List.of(new BatchMetadata(0, 4, 10, 14), new BatchMetadata(5, 5, 20, 20)), 10),
                new ProducerState(9, (short) 0, List.of(), ProducerState.NO_TXN));
        byte[] bytes = ProducerStateSnapshots.encode(21, states);
        assertThat(ProducerStateSnapshots.decode(bytes)).contains(new ProducerStateSnapshots.Snapshot(21, states));
        for (int len = 0; len < bytes.length; len++) {
            assertThat(ProducerStateSnapshots.decode(java.util.Arrays.copyOf(bytes, len))).isEmpty();
        }
    }
}
