package dev.deliverycheck.tlc;

import static dev.deliverycheck.tlc.TraceFixtures.TP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.event.BrokerAck;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.ProducerBumpEpoch;
import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.IsolationLevel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Trace validation against the real TLA+ specs, with hand-written histories: a valid run passes,
 * and a run with one event removed, moved or altered is rejected at that event.
 */
class TraceValidatorTest {
    private static final TraceValidator VALIDATOR =
            new TraceValidator(ProjectRoot.tlaDir(ProjectRoot.locate())).withProgress(null);

    @Test
    void aValidIdempotentRunIsExplainedToTheEnd() {
        List<Event> events = TraceFixtures.idempotentLostAck();
        TraceValidation v = VALIDATOR.validate(Mode.IDEMPOTENT, events);
        assertThat(v.ok()).as(v.message()).isTrue();
        assertThat(v.eventsMatched()).isEqualTo(events.size());
        assertThat(v.firstUnexplainedIndex()).isEqualTo(-1);
        assertThat(v.firstUnexplainedEvent()).isNull();
        assertThat(v.message()).startsWith("trace ok: all 20 events");
    }

    @Test
    void anEventRemovedIsCaughtWhereTheRunNoLongerMakesSense() {
        // without the append, the flush reports a log end offset the spec's empty log cannot have
        List<Event> events = TraceFixtures.without(TraceFixtures.idempotentLostAck(), 8);
        TraceValidation v = VALIDATOR.validate(Mode.IDEMPOTENT, events);
        assertThat(v.ok()).isFalse();
        assertThat(v.firstUnexplainedIndex()).isEqualTo(8);
        assertThat(v.eventsMatched()).isEqualTo(8);
        assertThat(v.firstUnexplainedEvent()).isEqualTo(events.get(8));
        assertThat(v.message()).contains("event #8 BrokerFlush");
    }

    @Test
    void anAckBeforeItsAppendIsRejected() {
        // BrokerAck (index 10) moved before the BrokerAppend it answers (index 8)
        List<Event> events = TraceFixtures.moved(TraceFixtures.idempotentLostAck(), 10, 8);
        assertThat(events.get(8)).isInstanceOf(BrokerAck.class);
        TraceValidation v = VALIDATOR.validate(Mode.IDEMPOTENT, events);
        assertThat(v.ok()).isFalse();
        assertThat(v.firstUnexplainedIndex()).isEqualTo(8);
        assertThat(v.message()).contains("event #8 BrokerAck");
    }

    @Test
    void aDuplicateAppendedByTheIdempotentBrokerIsRejected() {
        // the retry (index 14) is written again instead of being recognised as a duplicate
        List<Event> events = TraceFixtures.replaced(TraceFixtures.idempotentLostAck(), 14,
                new BrokerAppend(0, TP, 0, (short) 0, 0, 2, List.of(1L, 2L), false));
        TraceValidation v = VALIDATOR.validate(Mode.IDEMPOTENT, events);
        assertThat(v.ok()).isFalse();
        assertThat(v.firstUnexplainedIndex()).isEqualTo(14);
        assertThat(v.message()).contains("event #14 BrokerAppend");
    }

    @Test
    void theSameDuplicateIsABehaviourOfAtLeastOnceButAWrongReaderViewIsNot() {
        List<Event> events = TraceFixtures.atLeastOnceLostAck();
        TraceValidation ok = VALIDATOR.validate(Mode.AT_LEAST_ONCE, events);
        assertThat(ok.ok()).as(ok.message()).isTrue();
        // a reader that saw the duplicate vanish: the log holds 1, 2, 1, 2
        List<Event> altered = TraceFixtures.replaced(events, events.size() - 1,
                new ConsumerFetch(TP, IsolationLevel.READ_UNCOMMITTED, List.of(0L, 1L), List.of(1L, 2L)));
        TraceValidation v = VALIDATOR.validate(Mode.AT_LEAST_ONCE, altered);
        assertThat(v.ok()).isFalse();
        assertThat(v.firstUnexplainedIndex()).isEqualTo(events.size() - 1);
    }

    @Test
    void theModeDecidesWhatIsExplained() {
        // an idempotent run (producer id, epoch, sequence) is no behaviour of the at-most-once spec
        TraceValidation v = VALIDATOR.validate(Mode.AT_MOST_ONCE, TraceFixtures.idempotentLostAck());
        assertThat(v.ok()).isFalse();
        assertThat(v.firstUnexplainedIndex()).isEqualTo(3);
        // an error answer reported as success is caught at the ack
        List<Event> events = TraceFixtures.replaced(TraceFixtures.idempotentLostAck(), 10,
                new BrokerAck(0, 100, 1, TP, -1, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(VALIDATOR.validate(Mode.IDEMPOTENT, events).firstUnexplainedIndex()).isEqualTo(10);
    }

    @Test
    void aRunNeedingOneFaultMoreThanItsOwnCountIsRejectedAtThatFault() {
        // the run lost one response (#11): with its own budget it is a behaviour, with none it is not
        List<Event> events = TraceFixtures.idempotentLostAck();
        assertThat(TraceFaults.of(events).responseLosses()).isEqualTo(1);
        TraceValidation v = VALIDATOR.withFaultBudgets(b -> b.oneFewer("ResponseLossLimit")).validate(Mode.IDEMPOTENT, events);
        assertThat(v.ok()).isFalse();
        assertThat(v.firstUnexplainedIndex()).isEqualTo(11);
        assertThat(v.message()).contains("event #11 NetworkLoseResponse");
    }

    @Test
    void aRefusalIsComparedByItsErrorCode() {
        // the ack of a success answer carrying an error code the spec's answer does not have
        List<Event> events = TraceFixtures.replaced(TraceFixtures.idempotentLostAck(), 15,
                new BrokerAck(0, 100, 2, TP, 0, Errors.NOT_ENOUGH_REPLICAS));
        TraceValidation v = VALIDATOR.validate(Mode.IDEMPOTENT, events);
        assertThat(v.ok()).isFalse();
        assertThat(v.firstUnexplainedIndex()).isEqualTo(15);
    }

    /**
     * Two gaps answered in one response are renumbered by one epoch bump (Kafka 4.4, the Java
     * producer; the spec's ProducerBumpEpoch takes every bump answer of the response, BumpGroup):
     * the run is explained to its end; with the second partition left under its old epoch and
     * sequence (the spec's former one-answer bump) it is rejected at the retry, and with a second
     * bump for the second partition, at that bump. (Against the spec's former one-answer bump the
     * unaltered run was rejected at #39, its first retry under epoch 1.)
     */
    @Test
    void twoGapsOfOneResponseAreRenumberedByOneBump() {
        List<Event> events = TraceFixtures.idempotentTwoGapsOneResponse();
        int bump = TraceFixtures.TWO_GAPS_BUMP;
        assertThat(events.get(bump)).isInstanceOf(ProducerBumpEpoch.class);
        TraceValidation ok = VALIDATOR.validate(Mode.IDEMPOTENT, events);
        assertThat(ok.ok()).as(ok.message()).isTrue();

        // partition 1's batch sent again under its old epoch and sequence, as if the bump had renumbered partition 0 only
        ProducerRetry second = (ProducerRetry) events.get(bump + 2);
        List<Event> oneRenumbered = TraceFixtures.replaced(events, bump + 2, new ProducerRetry(second.producer(),
                second.broker(), second.correlationId(), second.topicPartition(), second.producerId(), (short) 0, 2,
                second.recordIds(), second.attempt()));
        TraceValidation v = VALIDATOR.validate(Mode.IDEMPOTENT, oneRenumbered);
        assertThat(v.ok()).isFalse();
        assertThat(v.firstUnexplainedIndex()).isEqualTo(bump + 1);

        // a bump per partition: the first took both answers, nothing asks for a second
        List<Event> twoBumps = new ArrayList<>(events);
        twoBumps.add(bump + 1, new ProducerBumpEpoch(100, 0, (short) 2));
        TraceValidation w = VALIDATOR.validate(Mode.IDEMPOTENT, twoBumps);
        assertThat(w.ok()).isFalse();
        assertThat(w.firstUnexplainedIndex()).isEqualTo(bump + 1);
        assertThat(w.message()).contains("event #" + (bump + 1) + " ProducerBumpEpoch");
    }
}
