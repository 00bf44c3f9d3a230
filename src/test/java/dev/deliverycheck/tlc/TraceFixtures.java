package dev.deliverycheck.tlc;

import dev.deliverycheck.event.BrokerAck;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.BrokerDuplicate;
import dev.deliverycheck.event.BrokerFlush;
import dev.deliverycheck.event.BrokerReject;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkDeliver;
import dev.deliverycheck.event.NetworkLoseRequest;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.event.ProducerBumpEpoch;
import dev.deliverycheck.event.ProducerInitProducerId;
import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.event.ProducerSendBatch;
import dev.deliverycheck.event.ProducerSendFailed;
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
    static final TopicPartition TP1 = new TopicPartition("events", 1);
    /** Index of the ProducerBumpEpoch in {@link #idempotentTwoGapsOneResponse()}. */
    static final int TWO_GAPS_BUMP = 38;

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

    /**
     * Idempotent, partitions 0 and 1 both led by broker 0, records 1, 3, 5 on partition 0 and 2, 4,
     * 6 on partition 1: sequence 0 of each is acknowledged; the request of both sequences 1 is lost
     * and the connection with it (the request of both sequences 2 behind it too); both sequences 1
     * expire; both sequences 2 go again in one request, the broker refuses both
     * OUT_OF_ORDER_SEQUENCE_NUMBER in one response, and the producer renumbers both partitions in
     * ONE epoch bump (#{@value #TWO_GAPS_BUMP}) -- as Kafka 4.4's and the Java producer do -- and
     * sends both again under epoch 1 from sequence 0.
     */
    static List<Event> idempotentTwoGapsOneResponse() {
        String expired = "TimeoutException: Expiring 1 record(s) for events: delivery timeout elapsed";
        return List.of(
                new ProducerSend(100, 1, TP, -1),
                new ProducerSend(100, 2, TP1, -1),
                new ProducerSend(100, 3, TP, -1),
                new ProducerSend(100, 4, TP1, -1),
                new ProducerSend(100, 5, TP, -1),
                new ProducerSend(100, 6, TP1, -1),
                new NetworkDeliver(100, 0, 0, "InitProducerIdRequest"),
                new CoordinatorInitProducerId(0, null, 0, (short) 0),
                new NetworkDeliver(0, 100, 0, "InitProducerIdResponse"),
                new ProducerInitProducerId(100, null, 0, (short) 0),
                new ProducerSendBatch(100, 0, 1, TP, 0, (short) 0, 0, List.of(1L)),
                new ProducerSendBatch(100, 0, 1, TP1, 0, (short) 0, 0, List.of(2L)),
                new NetworkDeliver(100, 0, 1, "ProduceRequest"),
                new BrokerAppend(0, TP, 0, (short) 0, 0, 0, List.of(1L), false),
                new BrokerAppend(0, TP1, 0, (short) 0, 0, 0, List.of(2L), false),
                new BrokerFlush(0, TP, 1),
                new BrokerFlush(0, TP1, 1),
                new BrokerAck(0, 100, 1, TP, 0, Errors.NONE),
                new BrokerAck(0, 100, 1, TP1, 0, Errors.NONE),
                new NetworkDeliver(0, 100, 1, "ProduceResponse"),
                new ProducerSendAcked(100, 1, TP, 0),
                new ProducerSendAcked(100, 2, TP1, 0),
                new ProducerSendBatch(100, 0, 2, TP, 0, (short) 0, 1, List.of(3L)),
                new ProducerSendBatch(100, 0, 2, TP1, 0, (short) 0, 1, List.of(4L)),
                new ProducerSendBatch(100, 0, 3, TP, 0, (short) 0, 2, List.of(5L)),
                new ProducerSendBatch(100, 0, 3, TP1, 0, (short) 0, 2, List.of(6L)),
                new NetworkLoseRequest(100, 0, 2, "ProduceRequest"),
                new NetworkLoseRequest(100, 0, 3, "ProduceRequest"),
                new ProducerSendFailed(100, 3, TP, expired),
                new ProducerSendFailed(100, 4, TP1, expired),
                new ProducerRetry(100, 0, 4, TP, 0, (short) 0, 2, List.of(5L), 1),
                new ProducerRetry(100, 0, 4, TP1, 0, (short) 0, 2, List.of(6L), 1),
                new NetworkDeliver(100, 0, 4, "ProduceRequest"),
                new BrokerReject(0, TP, 0, (short) 0, 2, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER),
                new BrokerReject(0, TP1, 0, (short) 0, 2, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER),
                new BrokerAck(0, 100, 4, TP, -1, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER),
                new BrokerAck(0, 100, 4, TP1, -1, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER),
                new NetworkDeliver(0, 100, 4, "ProduceResponse"),
                new ProducerBumpEpoch(100, 0, (short) 1),
                new ProducerRetry(100, 0, 5, TP, 0, (short) 1, 0, List.of(5L), 2),
                new ProducerRetry(100, 0, 5, TP1, 0, (short) 1, 0, List.of(6L), 2),
                new NetworkDeliver(100, 0, 5, "ProduceRequest"),
                new BrokerAppend(0, TP, 0, (short) 1, 0, 1, List.of(5L), false),
                new BrokerAppend(0, TP1, 0, (short) 1, 0, 1, List.of(6L), false),
                new BrokerFlush(0, TP, 2),
                new BrokerFlush(0, TP1, 2),
                new BrokerAck(0, 100, 5, TP, 1, Errors.NONE),
                new BrokerAck(0, 100, 5, TP1, 1, Errors.NONE),
                new NetworkDeliver(0, 100, 5, "ProduceResponse"),
                new ProducerSendAcked(100, 5, TP, 1),
                new ProducerSendAcked(100, 6, TP1, 1));
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
