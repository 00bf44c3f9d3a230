package dev.deliverycheck.broker.idempotence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.broker.log.StoredBatch;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProducerStateTableTest {
    static final TopicPartition TP = new TopicPartition("t", 0);
    static final long PID = 1000;

    private ProducerStateTable table;
    private long nextOffset;

    @BeforeEach
    void setUp() {
        table = new ProducerStateTable();
        nextOffset = 0;
    }

    static RecordBatch batch(long pid, int epoch, int baseSeq, int count, boolean transactional) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(Record.withId(i, 0, null, new byte[] {1}));
        }
        return new RecordBatch(TP, pid, (short) epoch, baseSeq, transactional, null, records);
    }

    static RecordBatch batch(int epoch, int baseSeq, int count) {
        return batch(PID, epoch, baseSeq, count, false);
    }

    /** check + append, as the broker does; returns the verdict. */
    private AppendCheck offer(RecordBatch b) {
        AppendCheck verdict = table.check(b);
        if (verdict instanceof AppendCheck.Accept) {
            StoredBatch stored = new StoredBatch(nextOffset, b);
            nextOffset = stored.nextOffset();
            table.onAppend(stored);
        }
        return verdict;
    }

    private static Errors errorOf(AppendCheck verdict) {
        assertThat(verdict).isInstanceOf(AppendCheck.Reject.class);
        return ((AppendCheck.Reject) verdict).error();
    }

    @Test
    void firstBatchOfANewProducerStartsAtZero() {
        assertThat(offer(batch(0, 0, 3))).isEqualTo(AppendCheck.ACCEPT);
        ProducerState s = table.get(PID).orElseThrow();
        assertThat(s.epoch()).isZero();
        assertThat(s.lastSeq()).isEqualTo(2);
        assertThat(s.batches()).containsExactly(new BatchMetadata(0, 2, 0, 2));
    }

    /** Issue 14 rule 1 (failed before: OUT_OF_ORDER_SEQUENCE_NUMBER): Kafka's checkSequence accepts it. */
    @Test
    void unknownIdempotentProducerMayStartAtAnySequence() {
        assertThat(offer(batch(0, 5, 1))).isEqualTo(AppendCheck.ACCEPT);
        assertThat(table.get(PID).orElseThrow().lastSeq()).isEqualTo(5);
        assertThat(offer(batch(0, 6, 2))).as("and continues from there").isEqualTo(AppendCheck.ACCEPT);
        assertThat(errorOf(offer(batch(0, 0, 1)))).as("an earlier sequence now is a gap")
                .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void unknownTransactionalProducerMustStartAtZeroUnderTransactionsV2() {
        assertThat(errorOf(offer(batch(PID, 0, 5, 1, true)))).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(table.get(PID)).isEmpty();
        assertThat(offer(batch(PID, 0, 0, 1, true))).isEqualTo(AppendCheck.ACCEPT);
    }

    @Test
    void unknownTransactionalProducerMayStartAnywhereUnderTransactionsV1() {
        table = new ProducerStateTable(5, true, false);
        assertThat(offer(batch(PID, 0, 5, 1, true))).isEqualTo(AppendCheck.ACCEPT);
    }

    @Test
    void duplicateOfACachedBatchReturnsTheOriginalOffsetsAndWritesNothing() {
        offer(batch(0, 0, 3));
        offer(batch(0, 3, 2));
        AppendCheck verdict = offer(batch(0, 0, 3));
        assertThat(verdict).isEqualTo(new AppendCheck.Duplicate(new BatchMetadata(0, 2, 0, 2)));
        assertThat(nextOffset).isEqualTo(5);
        assertThat(offer(batch(0, 3, 2))).isEqualTo(new AppendCheck.Duplicate(new BatchMetadata(3, 4, 3, 4)));
    }

    @Test
    void aGapIsOutOfOrder() {
        offer(batch(0, 0, 3));
        assertThat(errorOf(offer(batch(0, 4, 1)))).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        // a batch overlapping a cached one without matching it is out of order too
        assertThat(errorOf(offer(batch(0, 1, 2)))).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(offer(batch(0, 3, 1))).isEqualTo(AppendCheck.ACCEPT);
    }

    @Test
    void aNewerEpochMustStartAtZeroAndResetsTheWindow() {
        offer(batch(0, 0, 3));
        assertThat(errorOf(offer(batch(1, 3, 1)))).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(offer(batch(1, 0, 2))).isEqualTo(AppendCheck.ACCEPT);
        ProducerState s = table.get(PID).orElseThrow();
        assertThat(s.epoch()).isEqualTo((short) 1);
        assertThat(s.batches()).containsExactly(new BatchMetadata(0, 1, 3, 4));
        // the old epoch's batch 0..2 is no duplicate any more: its epoch is fenced
        assertThat(errorOf(offer(batch(0, 0, 3)))).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    /** The window of the old epoch goes with it: the new epoch's batch 0..1 is no duplicate of the old 0..1. */
    @Test
    void aBatchOfANewEpochWithAnOldSequenceRangeIsWritten() {
        offer(batch(0, 0, 2));
        assertThat(offer(batch(1, 0, 2))).isEqualTo(AppendCheck.ACCEPT);
        assertThat(nextOffset).isEqualTo(4);
    }

    /** The NO_SEQUENCE_RESET_ON_NEW_EPOCH flaw: the same batch is taken for the old epoch's and dropped. */
    @Test
    void withoutTheResetANewEpochsBatchIsTakenForAnOldDuplicate() {
        table = new ProducerStateTable(5, true, true, false);
        offer(batch(PID, 0, 0, 2, true));
        table.onAppend(new StoredBatch(nextOffset++, RecordBatch.marker(TP, PID, (short) 1, ControlType.COMMIT)));
        assertThat(table.get(PID).orElseThrow().epoch()).isEqualTo((short) 1);
        assertThat(offer(batch(PID, 1, 0, 2, true))).isEqualTo(new AppendCheck.Duplicate(new BatchMetadata(0, 1, 0, 1)));
        assertThat(nextOffset).isEqualTo(3);
    }

    @Test
    void anOlderEpochIsInvalid() {
        offer(batch(3, 0, 1));
        assertThat(errorOf(offer(batch(2, 1, 1)))).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(errorOf(offer(batch(2, 0, 1)))).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void theWindowRemembersExactlyTheLastFiveBatches() {
        for (int i = 0; i < 6; i++) {
            assertThat(offer(batch(0, i, 1))).isEqualTo(AppendCheck.ACCEPT);
        }
        assertThat(table.get(PID).orElseThrow().batches()).hasSize(5);
        for (int seq = 1; seq < 6; seq++) {
            assertThat(offer(batch(0, seq, 1))).as("seq " + seq).isInstanceOf(AppendCheck.Duplicate.class);
        }
        // the sixth-newest batch fell out of the window: Kafka answers out-of-order, not duplicate
        assertThat(errorOf(offer(batch(0, 0, 1)))).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void aWindowOfOneForgetsTheSecondNewestBatch() {
        table = new ProducerStateTable(1, true);
        offer(batch(0, 0, 1));
        offer(batch(0, 1, 1));
        assertThat(offer(batch(0, 1, 1))).isInstanceOf(AppendCheck.Duplicate.class);
        assertThat(errorOf(offer(batch(0, 0, 1)))).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThatThrownBy(() -> new ProducerStateTable(0, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sequencesWrapFromIntegerMaxValueToZero() {
        table.restore(List.of(new ProducerState(PID, (short) 0,
                List.of(new BatchMetadata(Integer.MAX_VALUE - 9, Integer.MAX_VALUE - 2, 0, 7)), ProducerState.NO_TXN)));
        nextOffset = 8;
        RecordBatch wrapping = batch(0, Integer.MAX_VALUE - 1, 4);
        assertThat(wrapping.lastSequence()).isEqualTo(1);
        assertThat(offer(wrapping)).isEqualTo(AppendCheck.ACCEPT);
        assertThat(table.get(PID).orElseThrow().lastSeq()).isEqualTo(1);
        assertThat(offer(batch(0, 2, 1))).isEqualTo(AppendCheck.ACCEPT);
        assertThat(offer(batch(0, Integer.MAX_VALUE - 1, 4))).isInstanceOf(AppendCheck.Duplicate.class);

        ProducerStateTable t = new ProducerStateTable();
        t.restore(List.of(new ProducerState(PID, (short) 0,
                List.of(new BatchMetadata(Integer.MAX_VALUE, Integer.MAX_VALUE, 0, 0)), ProducerState.NO_TXN)));
        assertThat(t.check(batch(0, 0, 1))).isEqualTo(AppendCheck.ACCEPT);
        assertThat(((AppendCheck.Reject) t.check(batch(0, 1, 1))).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void transactionsOpenOnTheFirstTransactionalBatchAndCloseOnAMarker() {
        offer(batch(PID, 0, 0, 2, true));
        offer(batch(PID, 0, 2, 2, true));
        assertThat(table.get(PID).orElseThrow().ongoingTxnFirstOffset()).isZero();
        assertThat(errorOf(offer(batch(PID, 0, 4, 1, false)))).isEqualTo(Errors.INVALID_TXN_STATE);

        assertThat(table.checkMarker(PID, (short) 0)).isEqualTo(Errors.NONE);
        table.onAppend(new StoredBatch(nextOffset++, RecordBatch.marker(TP, PID, (short) 0, ControlType.COMMIT)));
        assertThat(table.get(PID).orElseThrow().hasOngoingTransaction()).isFalse();
        // sequences continue after a marker of the same epoch
        assertThat(offer(batch(PID, 0, 4, 1, true))).isEqualTo(AppendCheck.ACCEPT);
        assertThat(table.get(PID).orElseThrow().ongoingTxnFirstOffset()).isEqualTo(5);
    }

    @Test
    void aMarkerWithABumpedEpochFencesTheOldEpoch() {
        offer(batch(PID, 0, 0, 2, true));
        table.onAppend(new StoredBatch(nextOffset++, RecordBatch.marker(TP, PID, (short) 1, ControlType.ABORT)));
        ProducerState s = table.get(PID).orElseThrow();
        assertThat(s.epoch()).isEqualTo((short) 1);
        assertThat(s.batches()).isEmpty();
        assertThat(errorOf(offer(batch(PID, 0, 2, 1, true)))).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(table.checkMarker(PID, (short) 0)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(offer(batch(PID, 1, 0, 1, true))).isEqualTo(AppendCheck.ACCEPT);
    }

    @Test
    void withFencingDisabledAZombieEpochIsAcceptedAndLeavesTheStateAlone() {
        table = new ProducerStateTable(5, false);
        offer(batch(1, 0, 1));
        ProducerState before = table.get(PID).orElseThrow();
        assertThat(offer(batch(0, 7, 1))).isEqualTo(AppendCheck.ACCEPT);
        assertThat(table.get(PID).orElseThrow()).isEqualTo(before);
        assertThat(table.checkMarker(PID, (short) 0)).isEqualTo(Errors.NONE);
    }

    @Test
    void producersAreIndependent() {
        offer(batch(1, 0, 0, 1, false));
        offer(batch(2, 0, 0, 1, false));
        assertThat(offer(batch(1, 0, 1, 1, false))).isEqualTo(AppendCheck.ACCEPT);
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.get(2).orElseThrow().lastSeq()).isZero();
    }

    @Test
    void plainBatchesAreNotChecked() {
        assertThatThrownBy(() -> table.check(RecordBatch.plain(TP, List.of()))).isInstanceOf(IllegalArgumentException.class);
        table.onAppend(new StoredBatch(0, RecordBatch.plain(TP, List.of(Record.withId(1, 0, null, null)))));
        assertThat(table.size()).isZero();
    }
}
