package dev.deliverycheck.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.BrokerRestart;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.CoordinatorComplete;
import dev.deliverycheck.event.CoordinatorPrepare;
import dev.deliverycheck.event.CoordinatorTimeoutAbort;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTallyTest {
    private final List<Event> passed = new ArrayList<>();
    private final EventTally tally = new EventTally(passed::add);

    @Test
    void everyEventPassesOnInOrderAndOnlyTheObservableOnesCount() {
        TopicPartition tp = new TopicPartition("events", 0);
        Event fetch = new ConsumerFetch(tp, IsolationLevel.READ_COMMITTED, List.of(), List.of());
        Event restart = new BrokerRestart(0);
        Event abort = new CoordinatorTimeoutAbort(0, "tx", 7L, (short) 1);

        tally.emit(fetch);
        tally.emit(restart);
        tally.emit(abort);

        assertThat(passed).containsExactly(fetch, restart, abort);
        assertThat(tally.observableChanges()).as("a fetch changes nothing a reader sees").isEqualTo(1);
        assertThat(tally.timeoutAborts()).isEqualTo(1);
    }

    @Test
    void aLostProduceAnswerIsOwedUntilTheNextRetry() {
        TopicPartition tp = new TopicPartition("events", 0);
        assertThat(tally.produceAnswerLostSinceLastRetry()).isFalse();

        tally.emit(new NetworkLoseResponse(0, 100, 3, "FetchResponse"));
        assertThat(tally.produceAnswerLostSinceLastRetry()).as("not a produce answer").isFalse();
        tally.emit(new NetworkLoseResponse(0, 100, 4, "ProduceResponse"));
        assertThat(tally.produceAnswerLostSinceLastRetry()).isTrue();
        tally.emit(new ProducerRetry(100, 0, 5, tp, 7L, (short) 1, 0, List.of(1L), 1));
        assertThat(tally.produceAnswerLostSinceLastRetry()).isFalse();
    }

    @Test
    void aDecisionAwaitsItsMarkersFromPrepareToComplete() {
        assertThat(tally.decisionPending()).isFalse();
        tally.emit(new CoordinatorPrepare(0, "tx", 7L, (short) 1, true));
        assertThat(tally.decisionPending()).isTrue();
        assertThat(tally.decisions()).isEqualTo(1);
        tally.emit(new CoordinatorComplete(0, "tx", 7L, (short) 1, true));
        assertThat(tally.decisionPending()).isFalse();
        tally.emit(new CoordinatorPrepare(0, "tx", 7L, (short) 2, false));
        assertThat(tally.decisions()).isEqualTo(2);
        assertThat(tally.decisionPending()).isTrue();
    }

    @Test
    void aSendIsPendingUntilItIsAcknowledgedOrFailed() {
        TopicPartition tp = new TopicPartition("events", 0);
        tally.emit(new ProducerSend(100, 1, tp, 0));
        tally.emit(new ProducerSend(100, 2, tp, 0));
        assertThat(tally.sendsPending()).isEqualTo(2);
        tally.emit(new ProducerSendAcked(100, 1, tp, 0));
        assertThat(tally.sendsPending()).isEqualTo(1);
        tally.emit(new ProducerSendFailed(100, 2, tp, "TransactionAbortedException"));
        assertThat(tally.sendsPending()).isZero();
    }
}
