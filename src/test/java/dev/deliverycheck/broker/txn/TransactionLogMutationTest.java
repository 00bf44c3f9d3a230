package dev.deliverycheck.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.sim.SimulatedDisk;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Recovery of the transaction log from torn frames and from frames whose CRC matches but whose
 * content is not a log entry (each must end the replay there and be cut), the limits of its
 * strings, and the broker-id range of {@link ProducerIdManager}. Written for the mutants PIT
 * ({@code -Pmutation}) found unpinned.
 */
class TransactionLogMutationTest {
    private static final byte TXN = 1;
    private static final byte PID_BLOCK = 2;

    private static TransactionMetadata ongoing(String id) {
        return TransactionMetadata.fresh(id, 7, (short) 3, 60_000)
                .transition(TransactionState.ONGOING, (short) 3, Set.of(new TopicPartition("t", 1)), 1234);
    }

    /** A frame as the log writes it: [length][CRC-32C of the payload][payload]. */
    private static byte[] frame(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return ByteBuffer.allocate(8 + payload.length).putInt(payload.length).putInt((int) crc.getValue())
                .put(payload).array();
    }

    /** A transaction entry in the log's layout; {@code trailing} extra bytes are appended. */
    private static byte[] txnPayload(int stateOrdinal, int partitionCount, int partition, int trailing) {
        byte[] id = "x".getBytes(StandardCharsets.UTF_8);
        byte[] topic = "t".getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(1 + 2 + id.length + 8 + 2 + 4 + 1 + 8 + 8 + 2 + 8 + 4 + 2 + topic.length
                + 4 + trailing);
        buf.put(TXN).putShort((short) id.length).put(id).putLong(9).putShort((short) 0).putInt(60_000)
                .put((byte) stateOrdinal).putLong(5).putLong(8).putShort((short) 4).putLong(11).putInt(partitionCount)
                .putShort((short) topic.length).put(topic).putInt(partition);
        return buf.array();
    }

    /** Writes one good entry, then appends {@code payload} in a valid frame, and reopens the log. */
    private static void assertCutOnReplay(byte[] payload) {
        SimulatedDisk disk = new SimulatedDisk();
        new TransactionLog(disk).write(ongoing("a"));
        long valid = disk.size(TransactionLog.FILE);
        byte[] bad = frame(payload);
        disk.append(TransactionLog.FILE, bad);
        TransactionLog reopened = new TransactionLog(disk);
        assertThat(reopened.entries()).containsOnlyKeys("a");
        assertThat(reopened.truncatedBytes()).isEqualTo(bad.length);
        assertThat(disk.size(TransactionLog.FILE)).isEqualTo(valid);
    }

    @Test
    void aHandWrittenEntryInTheLogsLayoutIsRead() {
        SimulatedDisk disk = new SimulatedDisk();
        disk.append(TransactionLog.FILE, frame(txnPayload(TransactionState.ONGOING.ordinal(), 1, 2, 0)));
        TransactionLog log = new TransactionLog(disk);
        assertThat(log.truncatedBytes()).isZero();
        TransactionMetadata m = log.entries().get("x");
        assertThat(m.producerId()).isEqualTo(9);
        assertThat(m.state()).isEqualTo(TransactionState.ONGOING);
        assertThat(m.partitions()).containsExactly(new TopicPartition("t", 2));
        assertThat(m.startTimestamp()).isEqualTo(5);
        assertThat(m.lastProducerId()).isEqualTo(8);
        assertThat(m.lastEpoch()).isEqualTo((short) 4);
        assertThat(m.nextProducerId()).isEqualTo(11);
    }

    @Test
    void entriesThatAreNotLogEntriesEndTheReplayAndAreCut() {
        assertCutOnReplay(new byte[] {9, 0, 0});
        assertCutOnReplay(new byte[] {TXN});
        assertCutOnReplay(ByteBuffer.allocate(10).put(PID_BLOCK).putLong(4).array());
        assertCutOnReplay(txnPayload(TransactionState.values().length, 1, 0, 0));
        assertCutOnReplay(txnPayload(-1, 1, 0, 0));
        assertCutOnReplay(txnPayload(TransactionState.ONGOING.ordinal(), -1, 0, 0));
        assertCutOnReplay(txnPayload(TransactionState.ONGOING.ordinal(), 1, -1, 0));
        assertCutOnReplay(txnPayload(TransactionState.ONGOING.ordinal(), 1, 0, 3));
    }

    @Test
    void aFrameTornInsideItsPayloadIsCut() {
        SimulatedDisk disk = new SimulatedDisk();
        TransactionLog log = new TransactionLog(disk);
        log.write(ongoing("a"));
        log.write(ongoing("b"));
        long second = disk.size(TransactionLog.FILE);
        log.write(ongoing("c"));
        long total = disk.size(TransactionLog.FILE);
        disk.truncate(TransactionLog.FILE, total - 1);
        TransactionLog reopened = new TransactionLog(disk);
        assertThat(reopened.entries()).containsOnlyKeys("a", "b");
        assertThat(reopened.truncatedBytes()).isEqualTo(total - 1 - second);
        assertThat(disk.size(TransactionLog.FILE)).isEqualTo(second);
    }

    @Test
    void aTransactionalIdMayUseTheFullLengthOfAKafkaString() {
        SimulatedDisk disk = new SimulatedDisk();
        TransactionLog log = new TransactionLog(disk);
        String longest = "i".repeat(Short.MAX_VALUE);
        log.write(ongoing(longest));
        assertThat(new TransactionLog(disk).entries()).containsOnlyKeys(longest);
        assertThatThrownBy(() -> log.write(ongoing(longest + "i"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void brokerIdsFromZeroToBelowTheMaximumGetProducerIds() {
        SimulatedDisk disk = new SimulatedDisk();
        assertThat(new ProducerIdManager(0, new TransactionLog(disk)).nextProducerId()).isZero();
        assertThat(new ProducerIdManager(ProducerIdManager.MAX_BROKERS - 1, new TransactionLog(new SimulatedDisk()))
                .nextProducerId()).isEqualTo(ProducerIdManager.MAX_BROKERS - 1);
        assertThatThrownBy(() -> new ProducerIdManager(-1, new TransactionLog(disk)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProducerIdManager(ProducerIdManager.MAX_BROKERS, new TransactionLog(disk)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
