package dev.deliverycheck.wire.observe;

import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A real {@code KafkaProducer}'s side of the history: gives every record a unique id in the header
 * {@value #HEADER} (8 bytes, big-endian) and reports ProducerSend when {@code send()} takes it, and
 * ProducerSendAcked or ProducerSendFailed (with the exception's simple class name) when its future completes.
 * Records must name their partition: the harness computes it with Kafka's own murmur2 rule.
 */
public final class RecordIdInterceptor implements ProducerInterceptor<Object, Object> {
    /** The header that carries a record's id: the same as deliverycheck's own producer writes (8 bytes, big-endian). */
    public static final String HEADER = dev.deliverycheck.protocol.Record.ID_HEADER;

    private ProducerSession session;

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(ProducerSession.CONFIG);
        if (!(value instanceof ProducerSession s)) {
            throw new IllegalArgumentException(RecordIdInterceptor.class.getSimpleName() + " needs a "
                    + ProducerSession.class.getSimpleName() + " under " + ProducerSession.CONFIG);
        }
        this.session = s;
    }

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        if (record.partition() == null) {
            throw new IllegalArgumentException("deliverycheck sends name their partition");
        }
        long id = session.timeline().nextRecordId();
        record.headers().remove(HEADER).add(HEADER, ByteBuffer.allocate(8).putLong(id).array());
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        session.sentTo(id, tp);
        session.timeline().add(new ProducerSend(session.producer(), id, tp, session.transactionIndex()));
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception, Headers headers) {
        Long id = recordId(headers);
        if (id == null) {
            return;
        }
        TopicPartition tp = session.destination(id);
        if (exception == null && metadata != null) {
            session.timeline().add(new ProducerSendAcked(session.producer(), id, tp,
                    metadata.hasOffset() ? metadata.offset() : -1));
        } else {
            String error = exception == null ? "unknown" : exception.getClass().getSimpleName();
            session.timeline().add(new ProducerSendFailed(session.producer(), id, tp, error));
        }
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        // the three-argument form carries the record id; Kafka 4.4 calls it
    }

    @Override
    public void close() {
    }

    /** The record id in {@code headers}, or null when there is none. */
    public static Long recordId(Headers headers) {
        if (headers == null) {
            return null;
        }
        Header header = headers.lastHeader(HEADER);
        if (header == null || header.value() == null || header.value().length != 8) {
            return null;
        }
        return ByteBuffer.wrap(header.value()).getLong();
    }
}
