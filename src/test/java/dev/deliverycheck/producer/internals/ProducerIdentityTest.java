package dev.deliverycheck.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.ProducerBumpEpoch;
import dev.deliverycheck.event.ProducerInitProducerId;
import dev.deliverycheck.producer.testkit.RecordingEvents;
import dev.deliverycheck.protocol.TopicPartition;
import org.junit.jupiter.api.Test;

/** {@link ProducerIdentity}: when the epoch may change, and what each change does to the partitions' sequences. */
class ProducerIdentityTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final ProducerIdAndEpoch PID_7_0 = new ProducerIdAndEpoch(7, (short) 0);
    private final RecordingEvents recorded = new RecordingEvents();
    private final TxnPartitionMap sequences = new TxnPartitionMap();
    private final ProducerIdentity identity = new ProducerIdentity(sequences, new ProducerEvents(100, recorded));
    private final TestBatches batches = new TestBatches();

    private ProducerBatch stamped(TopicPartition tp, int records) {
        ProducerBatch b = batches.of(tp, records);
        sequences.stamp(b, identity.current(), false);
        return b;
    }

    @Test
    void aBumpRenumbersFromZeroExactlyThePartitionsWaitingForIt() {
        identity.initialized(PID_7_0, null);
        stamped(P0, 2);
        ProducerBatch waiting = stamped(P0, 3);
        ProducerBatch other = stamped(P1, 4);
        sequences.fail(stamped(P0, 1));
        identity.requireEpochBump();
        sequences.requestRewrite(P0);

        assertThat(identity.readyToBump(tp -> false)).isTrue();
        assertThat(identity.bumpEpoch()).isTrue();

        ProducerIdAndEpoch bumped = new ProducerIdAndEpoch(7, (short) 1);
        assertThat(identity.current()).isEqualTo(bumped);
        assertThat(identity.epochBumpRequired()).isFalse();
        assertThat(waiting.producerIdAndEpoch()).isEqualTo(bumped);
        assertThat(waiting.baseSequence()).isEqualTo(2); // after the first in-flight batch, renumbered from 0
        assertThat(other.producerIdAndEpoch()).isEqualTo(PID_7_0);
        assertThat(other.baseSequence()).isZero();
        assertThat(sequences.hasPartitionsToRewrite()).isFalse();
        assertThat(recorded.of(ProducerBumpEpoch.class)).containsExactly(new ProducerBumpEpoch(100, 7, (short) 1));
    }

    @Test
    void noBumpUnlessRequiredWithAProducerIdAndNothingToRenumberOutstanding() {
        sequences.requestRewrite(P0);
        identity.requireEpochBump();
        assertThat(identity.readyToBump(tp -> false)).as("no producer id yet").isFalse();
        identity.initialized(PID_7_0, null); // the idempotent producer renumbers under the new id at once
        assertThat(identity.readyToBump(tp -> false)).isTrue();
        sequences.requestRewrite(P1);
        assertThat(identity.readyToBump(P1::equals)).as("a request with a batch of P1 is outstanding").isFalse();
        assertThat(identity.readyToBump(P0::equals)).as("P0 was renumbered already").isTrue();
        identity.bumpEpoch();
        assertThat(identity.readyToBump(tp -> false)).as("the bump happened").isFalse();
    }

    @Test
    void anExhaustedEpochIsNotBumpedAndTheRequirementIsCleared() {
        ProducerIdAndEpoch last = new ProducerIdAndEpoch(7, Short.MAX_VALUE);
        identity.initialized(last, null);
        identity.requireEpochBump();

        assertThat(identity.bumpEpoch()).isFalse();

        assertThat(identity.current()).isEqualTo(last);
        assertThat(identity.epochBumpRequired()).isFalse();
        assertThat(recorded.of(ProducerBumpEpoch.class)).isEmpty();
        identity.reset();
        assertThat(identity.hasProducerId()).isFalse();
    }

    @Test
    void anInitializedTransactionalProducerNeedsNoBumpAndRenumbersNothing() {
        sequences.requestRewrite(P0);
        identity.requireEpochBump();
        identity.initialized(PID_7_0, "tx-1");
        assertThat(identity.epochBumpRequired()).isFalse();
        assertThat(sequences.hasPartitionsToRewrite()).isTrue();
        assertThat(recorded.of(ProducerInitProducerId.class))
                .containsExactly(new ProducerInitProducerId(100, "tx-1", 7, (short) 0));
    }

    @Test
    void anEndTxnEpochRestartsAtZeroOnlyThePartitionsWithNothingInFlight() {
        identity.initialized(PID_7_0, "tx-1");
        sequences.complete(stamped(P0, 5), 0);
        ProducerBatch stillInFlight = stamped(P1, 3);
        identity.requireEpochBump();

        ProducerIdAndEpoch next = new ProducerIdAndEpoch(7, (short) 1);
        identity.adoptEndTxnEpoch(next);

        assertThat(identity.current()).isEqualTo(next);
        assertThat(identity.epochBumpRequired()).isFalse();
        assertThat(sequences.sequenceNumber(P0)).isZero();
        assertThat(sequences.lastAckedSequence(P0)).isEqualTo(-1);
        assertThat(sequences.sequenceNumber(P1)).as("P1 keeps its old epoch's numbers while a batch is in flight")
                .isEqualTo(3);
        assertThat(stillInFlight.producerIdAndEpoch()).isEqualTo(PID_7_0);
    }
}
