package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.BrokerRestart;
import dev.deliverycheck.event.CoordinatorTimeoutAbort;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkLoseRequest;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceFaultsTest {
    private static final TopicPartition TP = new TopicPartition("events", 0);

    @Test
    void countsTheFaultsTheRunWentThrough() {
        List<Event> events = List.of(
                new NetworkLoseRequest(100, 0, 1, "ProduceRequest"),      // a fault: broker 0 is up
                new BrokerCrash(0),
                new NetworkLoseRequest(100, 0, 2, "ProduceRequest"),      // refused: broker 0 is down
                new NetworkLoseResponse(0, 100, 1, "ProduceResponse"),
                new BrokerRestart(0),
                new NetworkLoseRequest(100, 0, 3, "ProduceRequest"),      // a fault again
                new ProducerRetry(100, 0, 4, TP, 0, (short) 0, 0, List.of(1L), 1),
                new ProducerSendFailed(100, 1, TP, "TimeoutException: expired"),
                new CoordinatorTimeoutAbort(0, "t", 0, (short) 0));
        TraceFaults f = TraceFaults.of(events);
        assertThat(f).isEqualTo(new TraceFaults(2, 1, 1, 3, 1));
        assertThat(f.constants()).extracting(e -> e.getKey() + "=" + e.getValue()).containsExactly(
                "RequestLossLimit=2", "ResponseLossLimit=1", "CrashLimit=1", "TimeoutLimit=3", "TxnTimeoutLimit=1");
    }

    @Test
    void oneFewerLowersOnlyTheNamedBudgetAndNeverBelowZeroInTheConfig() {
        TraceFaults none = TraceFaults.of(List.of());
        assertThat(none).isEqualTo(new TraceFaults(0, 0, 0, 0, 0));
        assertThat(none.oneFewer("CrashLimit").constants()).allMatch(e -> e.getValue() == 0);
        assertThat(new TraceFaults(1, 2, 3, 4, 5).oneFewer("ResponseLossLimit")).isEqualTo(new TraceFaults(1, 1, 3, 4, 5));
        assertThatThrownBy(() -> none.oneFewer("MaxEpoch")).isInstanceOf(IllegalArgumentException.class);
    }
}
