package dev.deliverycheck.producer.internals;

import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.event.ProducerAddPartitions;
import dev.deliverycheck.event.ProducerBeginTxn;
import dev.deliverycheck.event.ProducerBumpEpoch;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerFenced;
import dev.deliverycheck.event.ProducerInitProducerId;
import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.event.ProducerSendBatch;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;

/** Emits one producer instance's events of DESIGN.md's vocabulary, stamped with its node id. */
public final class ProducerEvents {
    private final int producer;
    private final EventSink sink;
    /** Nobody listens ({@link EventSink#NONE}): the per-record and per-batch events are not even built. */
    private final boolean off;

    public ProducerEvents(int producer, EventSink sink) {
        this.producer = producer;
        this.sink = sink;
        this.off = sink == EventSink.NONE;
    }

    public int producer() {
        return producer;
    }

    @SpecAction("ProducerSend")
    public void send(long recordId, TopicPartition tp, int transactionIndex) {
        if (off) {
            return;
        }
        sink.emit(new ProducerSend(producer, recordId, tp, transactionIndex));
    }

    @SpecAction("ProducerSendBatch")
    public void sendBatch(int broker, int correlationId, ProducerBatch b) {
        if (off) {
            return;
        }
        sink.emit(new ProducerSendBatch(producer, broker, correlationId, b.topicPartition(), b.producerId(),
                b.producerEpoch(), b.baseSequence(), b.recordIds()));
    }

    @SpecAction("ProducerRetry")
    public void retry(int broker, int correlationId, ProducerBatch b) {
        if (off) {
            return;
        }
        sink.emit(new ProducerRetry(producer, broker, correlationId, b.topicPartition(), b.producerId(),
                b.producerEpoch(), b.baseSequence(), b.recordIds(), b.attempts()));
    }

    @SpecAction("ProducerSendAcked")
    public void acked(long recordId, TopicPartition tp, long offset) {
        if (off) {
            return;
        }
        sink.emit(new ProducerSendAcked(producer, recordId, tp, offset));
    }

    @SpecAction("ProducerSendFailed")
    public void failed(long recordId, TopicPartition tp, String error) {
        if (off) {
            return;
        }
        sink.emit(new ProducerSendFailed(producer, recordId, tp, error));
    }

    @SpecAction("ProducerInitProducerId")
    public void initProducerId(String transactionalId, ProducerIdAndEpoch pe) {
        sink.emit(new ProducerInitProducerId(producer, transactionalId, pe.producerId(), pe.epoch()));
    }

    @SpecAction("ProducerBumpEpoch")
    public void bumpEpoch(ProducerIdAndEpoch pe) {
        sink.emit(new ProducerBumpEpoch(producer, pe.producerId(), pe.epoch()));
    }

    @SpecAction("ProducerBeginTxn")
    public void beginTxn(int transactionIndex) {
        sink.emit(new ProducerBeginTxn(producer, transactionIndex));
    }

    @SpecAction("ProducerAddPartitions")
    public void addPartitions(String transactionalId, ProducerIdAndEpoch pe, List<TopicPartition> partitions) {
        sink.emit(new ProducerAddPartitions(producer, transactionalId, pe.producerId(), pe.epoch(), partitions));
    }

    @SpecAction("ProducerEndTxn")
    public void endTxn(String transactionalId, ProducerIdAndEpoch pe, int transactionIndex, boolean commit) {
        sink.emit(new ProducerEndTxn(producer, transactionalId, pe.producerId(), pe.epoch(), transactionIndex, commit));
    }

    @SpecAction("ProducerEndTxnResult")
    public void endTxnResult(int transactionIndex, boolean commit, String error, ProducerIdAndEpoch pe) {
        sink.emit(new ProducerEndTxnResult(producer, transactionIndex, commit, error, pe.producerId(), pe.epoch()));
    }

    @SpecAction("ProducerFenced")
    public void fenced(String transactionalId, ProducerIdAndEpoch pe) {
        sink.emit(new ProducerFenced(producer, transactionalId, pe.producerId(), pe.epoch()));
    }
}
