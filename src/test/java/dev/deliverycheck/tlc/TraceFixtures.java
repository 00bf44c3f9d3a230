package dev.deliverycheck.tlc;

import dev.deliverycheck.event.BrokerAck;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.BrokerDuplicate;
import dev.deliverycheck.event.BrokerFlush;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkDeliver;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.event.ProducerInitProducerId;
import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.event.ProducerSendBatch;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written event histories in the order the Java simulation emits them: producer 100, broker
 * 0 leading partition events-0, a batch of records 1 and 2 whose ACK is lost and which is sent again.
 */
final class TraceFixtures {
    static final TopicPartition TP = new TopicPartition("events", 0);

    private TraceFixtures() {
    }

    /** Idempotent: the retry is recognised as a duplicate; records acked; the reader sees each once. */
    static List<Event> idempotentLostAck() {
        return List.of(
                new ProducerSend(100, 1, TP, -1),
                new ProducerSend(100, 2, TP, -1),
                new NetworkDeliver(100, 0, 0, "InitProducerIdRequest"),
                new CoordinatorInitProducerId(0, null, 0, (short) 0),
                new NetworkDeliver(0, 100, 0, "InitProducerIdResponse"),
                new ProducerInitProducerId(100, null, 0, (short) 0),
                new ProducerSendBatch(100, 0, 1, TP, 0, (short) 0, 0, List.of(1L, 2L)),
                new NetworkDeliver(100, 0, 1, "ProduceRequest"),
                new BrokerAppend(0, TP, 0, (short) 0, 0, 0, List.of(1L, 2L), false),
                new BrokerFlush(0, TP, 2),
                new BrokerAck(0, 100, 1, TP, 0, Errors.NONE),
                new NetworkLoseResponse(0, 100, 1, "ProduceResponse"),
                new ProducerRetry(100, 0, 2, TP, 0, (short) 0, 0, List.of(1L, 2L), 1),
                new NetworkDeliver(100, 0, 2, "ProduceRequest"),
                new BrokerDuplicate(0, TP, 0, (short) 0, 0, 0),
                new BrokerAck(0, 100, 2, TP, 0, Errors.NONE),
                new NetworkDeliver(0, 100, 2, "ProduceResponse"),
                new ProducerSendAcked(100, 1, TP, 0),
                new ProducerSendAcked(100, 2, TP, 1),
                new ConsumerFetch(TP, IsolationLevel.READ_UNCOMMITTED, List.of(0L, 1L), List.of(1L, 2L)));
    }

    /** At-least-once: no producer id, so the retry is appended a second time. */
    static List<Event> atLeastOnceLostAck() {
        return List.of(
                new ProducerSend(100, 1, TP, -1),
                new ProducerSend(100, 2, TP, -1),
                new ProducerSendBatch(100, 0, 0, TP, -1, (short) -1, -1, List.of(1L, 2L)),
                new NetworkDeliver(100, 0, 0, "ProduceRequest"),
                new BrokerAppend(0, TP, -1, (short) -1, -1, 0, List.of(1L, 2L), false),
                new BrokerFlush(0, TP, 2),
                new BrokerAck(0, 100, 0, TP, 0, Errors.NONE),
                new NetworkLoseResponse(0, 100, 0, "ProduceResponse"),
                new ProducerRetry(100, 0, 1, TP, -1, (short) -1, -1, List.of(1L, 2L), 1),
                new NetworkDeliver(100, 0, 1, "ProduceRequest"),
                new BrokerAppend(0, TP, -1, (short) -1, -1, 2, List.of(1L, 2L), false),
                new BrokerFlush(0, TP, 4),
                new BrokerAck(0, 100, 1, TP, 2, Errors.NONE),
                new NetworkDeliver(0, 100, 1, "ProduceResponse"),
                new ProducerSendAcked(100, 1, TP, 2),
                new ProducerSendAcked(100, 2, TP, 3),
                new ConsumerFetch(TP, IsolationLevel.READ_UNCOMMITTED, List.of(0L, 1L, 2L, 3L), List.of(1L, 2L, 1L, 2L)));
    }

    static List<Event> without(List<Event> events, int index) {
        List<Event> copy = new ArrayList<>(events);
        copy.remove(index);
        return copy;
    }

    static List<Event> replaced(List<Event> events, int index, Event by) {
        List<Event> copy = new ArrayList<>(events);
        copy.set(index, by);
        return copy;
    }

    static List<Event> moved(List<Event> events, int from, int to) {
        List<Event> copy = new ArrayList<>(events);
        copy.add(to, copy.remove(from));
        return copy;
    }
}
