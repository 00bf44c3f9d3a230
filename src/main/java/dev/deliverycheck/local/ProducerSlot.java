package dev.deliverycheck.local;

import dev.deliverycheck.protocol.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's address for one producer id. A {@link KafkaStyleProducer} starts its I/O thread
 * (and may send InitProducerId) inside its constructor, so an answer can come back before the
 * constructor returned; the slot exists before the producer does and holds such early answers.
 *
 * <p>Invariant: messages reach the producer in the order they were delivered to the slot — held
 * ones first, in arrival order, before any later one.
 */
final class ProducerSlot {
    private KafkaStyleProducer<?, ?> producer;
    private final List<Object[]> held = new ArrayList<>();

    synchronized void attach(KafkaStyleProducer<?, ?> p) {
        producer = p;
        for (Object[] m : held) {
            p.deliver((Integer) m[0], (Message) m[1]);
        }
        held.clear();
    }

    synchronized void deliver(int source, Message message) {
        if (producer == null) {
            held.add(new Object[] {source, message});
        } else {
            producer.deliver(source, message);
        }
    }

    synchronized KafkaStyleProducer<?, ?> producer() {
        return producer;
    }
}
