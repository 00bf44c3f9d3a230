package dev.deliverycheck.check;

import static dev.deliverycheck.check.Events.RC;
import static dev.deliverycheck.check.Events.RU;
import static dev.deliverycheck.check.Events.T0;
import static dev.deliverycheck.check.Events.T1;
import static dev.deliverycheck.check.Events.T2;
import static dev.deliverycheck.check.Events.acked;
import static dev.deliverycheck.check.Events.committed;
import static dev.deliverycheck.check.Events.endTxn;
import static dev.deliverycheck.check.Events.failed;
import static dev.deliverycheck.check.Events.fetch;
import static dev.deliverycheck.check.Events.send;
import static dev.deliverycheck.check.Events.txSend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

    @Test
    void keepsEveryEventInOrder() {
        History history = new History();
        EventSink sink = history;
        List<Event> emitted = List.of(send(100, 1, T0), new BrokerCrash(0), acked(100, 1, T0, 0), failed(100, 2, T1));
        emitted.forEach(sink::emit);

        assertThat(history.events()).containsExactlyElementsOf(emitted);
        assertThat(history.size()).isEqualTo(4);
        assertThat(history.sends()).containsExactly(send(100, 1, T0));
        assertThat(history.acks()).containsExactly(acked(100, 1, T0, 0));
        assertThat(history.failures()).containsExactly(failed(100, 2, T1));
        assertThat(history).hasToString("History[4 events, 1 sends, 1 partitions]");
    }

    @Test
    void readHelpersAreReadOnly() {
        History history = History.of(List.of(send(100, 1, T0), acked(100, 1, T0, 0), failed(100, 1, T0), txSend(100, 0, 2, T1)));

        assertThatThrownBy(() -> history.events().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> history.sends().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> history.acks().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> history.failures().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> history.transactions().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> history.partitions().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theSameFetchEmittedAgainKeepsItsViewAndAnEqualNewFetchGetsANewOne() {
        History history = new History();
        ConsumerFetch first = fetch(T0, RU, 1, 2, 1);
        history.emit(first);
        View view = history.view(T0, RU);
        assertThat(view.repeatPositions()).containsExactly(2);

        history.emit(first);
        assertThat(history.view(T0, RU)).isSameAs(view);
        assertThat(history.events()).containsExactly(first, first);

        history.emit(fetch(T0, RU, 1, 2, 1));
        assertThat(history.view(T0, RU)).isNotSameAs(view);
        assertThat(history.view(T0, RU).repeatPositions()).containsExactly(2);

        history.emit(fetch(T0, RU, 3));
        history.emit(first);
        assertThat(history.view(T0, RU).size()).isEqualTo(3);
    }

    @Test
    void ofReplaysEventsInOrder() {
        List<Event> events = List.of(send(100, 1, T0), send(100, 2, T0));
        assertThat(History.of(events).events()).containsExactlyElementsOf(events);
    }

    @Test
    void sendPositionIsTheFirstSendOfTheId() {
        History history = History.of(List.of(send(100, 5, T0), send(100, 6, T0), send(101, 5, T1)));

        assertThat(history.sendPosition(5)).isZero();
        assertThat(history.sendPosition(6)).isEqualTo(1);
        assertThat(history.sendPosition(7)).isEqualTo(-1);
    }

    @Test
    void aTransactionIndexMakesTheRunTransactional() {
        History history = new History();
        assertThat(history.transactional()).isFalse();
        assertThat(history.readerIsolation()).isEqualTo(RU);

        history.emit(send(100, 1, T0));
        assertThat(history.transactional()).isFalse();

        history.emit(txSend(100, 0, 2, T0));
        assertThat(history.transactional()).isTrue();
        assertThat(history.readerIsolation()).isEqualTo(RC);
    }

    @Test
    void partitionsComeFromSendsAcksAndFetchesInOrder() {
        History history = History.of(List.of(fetch(T2, RU), acked(100, 1, T1, 0), send(100, 2, T0), failed(100, 3, new dev.deliverycheck.protocol.TopicPartition("u", 0))));

        assertThat(history.partitions()).containsExactly(T0, T1, T2);
    }

    @Test
    void theViewIsTheLastFetchPerPartitionAndIsolation() {
        History history = History.of(List.of(
                fetch(T0, RU, 1), fetch(T0, RC), fetch(T0, RU, 1, 2), fetch(T1, RU, 9)));

        assertThat(history.view(T0, RU).size()).isEqualTo(2);
        assertThat(history.view(T0, RU).contains(2)).isTrue();
        assertThat(history.view(T0, RC).fetched()).isTrue();
        assertThat(history.view(T0, RC).size()).isZero();
        assertThat(history.view(T1, RU).contains(9)).isTrue();
        assertThat(history.view(T1, RC).fetched()).isFalse();
        assertThat(history.view(T2, RU).fetched()).isFalse();
        assertThat(history.view(T2, RU).topicPartition()).isEqualTo(T2);
        assertThat(history.view(T2, RU).isolation()).isEqualTo(RU);
    }

    @Test
    void transactionsAreTrackedPerProducerInstanceAndIndex() {
        History history = History.of(List.of(
                txSend(100, 0, 1, T0), txSend(101, 0, 2, T0), txSend(100, 0, 3, T1),
                endTxn(100, 0, true), committed(100, 0), endTxn(101, 1, false)));

        assertThat(history.transactions()).extracting(Transaction::describe)
                .containsExactly("transaction 0 of producer 100", "transaction 0 of producer 101", "transaction 1 of producer 101");
        Transaction first = history.transaction(100, 0);
        assertThat(first.records()).extracting(s -> s.recordId()).containsExactly(1L, 3L);
        assertThat(first.commitRequested()).isTrue();
        assertThat(first.commitConfirmed()).isTrue();
        assertThat(history.transaction(101, 0).commitRequested()).isFalse();
        assertThat(history.transaction(101, 1).records()).isEmpty();
        assertThat(history.transaction(102, 0)).isNull();
    }

    @Test
    void nonTransactionalSendsOpenNoTransaction() {
        assertThat(History.of(List.of(send(100, 1, T0))).transactions()).isEmpty();
    }

    @Test
    void aMalformedFetchIsRefusedAndLeavesNoTrace() {
        History history = new History();
        ConsumerFetch bad = new ConsumerFetch(T0, RU, List.of(), List.of(1L));

        assertThatThrownBy(() -> history.emit(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThat(history.size()).isZero();
        assertThat(history.partitions()).isEmpty();
        assertThat(history.view(T0, RU).fetched()).isFalse();
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> new History().emit(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void severalThreadsMayEmit() throws InterruptedException {
        History history = new History();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int producer = 100 + t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    history.emit(send(producer, producer * 10_000L + i, T0));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(history.size()).isEqualTo(8_000);
        assertThat(history.sends()).hasSize(8_000);
        assertThat(history.sendPosition(103 * 10_000L + 1_999)).isBetween(0, 7_999);
    }

    @Test
    void fencingEventsKeepOnlyWhatDecidesWhoMayWrite() {
        Event init = Events.init("tx", 7, 0);
        Event append = Events.append(T0, 7, 0, 0, 1L);
        Event prepare = Events.prepare(7, 0, true);
        Event marker = Events.marker(T0, 7, 0, dev.deliverycheck.protocol.ControlType.COMMIT, 1);
        History history = History.of(List.of(init, send(100, 1, T0), append, new BrokerCrash(0), prepare,
                fetch(T0, RU, 1), marker, committed(100, 0)));

        assertThat(history.fencingEvents()).containsExactly(init, append, prepare, marker);
        assertThatThrownBy(() -> history.fencingEvents().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
