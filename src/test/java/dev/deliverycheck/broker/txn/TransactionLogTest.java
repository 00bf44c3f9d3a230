package dev.deliverycheck.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.sim.SimulatedDisk;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TransactionLogTest {
    private static TransactionMetadata ongoing(String id, int n) {
        TreeSet<TopicPartition> parts = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            parts.add(new TopicPartition("t", i));
        }
        return TransactionMetadata.fresh(id, 7, (short) 3, 60_000).transition(TransactionState.ONGOING, (short) 3,
                parts, 1234);
    }

    @Test
    void writesAreDurableAndTheLatestEntryWins() {
        SimulatedDisk disk = new SimulatedDisk();
        TransactionLog log = new TransactionLog(disk);
        TransactionMetadata m = ongoing("a", 2);
        log.write(m);
        TransactionMetadata prepared = m.transition(TransactionState.PREPARE_COMMIT, (short) 3, m.partitions(), 1234);
        log.write(prepared);
        log.write(ongoing("b", 1));
        disk.crash();
        TransactionLog reopened = new TransactionLog(disk);
        assertThat(reopened.entries()).containsEntry("a", prepared).containsEntry("b", ongoing("b", 1)).hasSize(2);
        assertThat(reopened.truncatedBytes()).isZero();
    }

    @Test
    void aTornOrCorruptTailIsCutAndEarlierEntriesSurvive() {
        for (long seed = 0; seed < 10; seed++) {
            SimulatedDisk disk = new SimulatedDisk(new SeededRandom(seed));
            TransactionLog log = new TransactionLog(disk);
            log.write(ongoing("a", 1));
            long valid = disk.size(TransactionLog.FILE);
            disk.append(TransactionLog.FILE, new byte[] {0, 0, 0, 40, 1, 2, 3});
            disk.crash();
            long afterCrash = disk.size(TransactionLog.FILE);
            TransactionLog reopened = new TransactionLog(disk);
            assertThat(reopened.entries()).containsOnlyKeys("a");
            assertThat(reopened.truncatedBytes()).isEqualTo(afterCrash - valid);
            assertThat(disk.size(TransactionLog.FILE)).isEqualTo(valid);
            reopened.write(ongoing("c", 1));
            assertThat(new TransactionLog(disk).entries()).containsOnlyKeys("a", "c");
        }
        SimulatedDisk disk = new SimulatedDisk();
        TransactionLog log = new TransactionLog(disk);
        log.write(ongoing("a", 1));
        long first = disk.size(TransactionLog.FILE);
        log.write(ongoing("b", 1));
        long total = disk.size(TransactionLog.FILE);
        disk.corrupt(TransactionLog.FILE, first + 12);
        TransactionLog reopened = new TransactionLog(disk);
        assertThat(reopened.entries()).containsOnlyKeys("a");
        assertThat(reopened.truncatedBytes()).isEqualTo(total - first);
        assertThat(disk.size(TransactionLog.FILE)).isEqualTo(first);
    }

    @Test
    void compactionKeepsOnlyTheLatestEntriesAndTheProducerIdBlocks() {
        SimulatedDisk disk = new SimulatedDisk();
        TransactionLog log = new TransactionLog(disk);
        ProducerIdManager ids = new ProducerIdManager(3, log);
        long firstPid = ids.nextProducerId();
        TransactionMetadata m = ongoing("big", 50);
        while (disk.size(TransactionLog.FILE) <= TransactionLog.COMPACT_BYTES) {
            log.write(m);
        }
        log.write(ongoing("small", 1));
        assertThat(disk.size(TransactionLog.FILE)).isLessThan(10_000);
        TransactionLog reopened = new TransactionLog(disk);
        assertThat(reopened.entries()).containsOnlyKeys("big", "small");
        assertThat(reopened.reservedBlocks()).isEqualTo(1);
        long next = new ProducerIdManager(3, reopened).nextProducerId();
        assertThat(next).isNotEqualTo(firstPid).isEqualTo(3 + ProducerIdManager.BLOCK * 1000L);
    }

    @Test
    void producerIdsNeverRepeatAcrossCrashes() {
        SimulatedDisk disk = new SimulatedDisk();
        Set<Long> seen = new HashSet<>();
        for (int restart = 0; restart < 5; restart++) {
            ProducerIdManager ids = new ProducerIdManager(2, new TransactionLog(disk));
            for (int i = 0; i < 130; i++) {
                long pid = ids.nextProducerId();
                assertThat(pid % 1000).isEqualTo(2);
                assertThat(seen.add(pid)).isTrue();
            }
            disk.crash();
        }
    }
}
