package dev.deliverycheck.producer.internals;

import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.producer.Callback;
import dev.deliverycheck.producer.RecordMetadata;
import dev.deliverycheck.producer.errors.ProducerException;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * The caller's side of one record: its future, its callback and its id for the event history.
 *
 * <p>Invariant: completes at most once. The first completion emits exactly one
 * {@code ProducerSendAcked} or {@code ProducerSendFailed}, runs the callback, completes the
 * future and tells the owner ({@code onDone}, with the send number the owner gave it); later attempts are
 * ignored and return false.
 */
public final class RecordCompletion {
    private final long recordId;
    private final TopicPartition topicPartition;
    private final CompletableFuture<RecordMetadata> future;
    private final Callback callback;
    private final long sendNumber;
    /** Shared by all of a producer's records (no object per record beyond this one). */
    private final LongConsumer onDone;
    private boolean done;

    public RecordCompletion(long recordId, TopicPartition topicPartition, CompletableFuture<RecordMetadata> future,
                            Callback callback, long sendNumber, LongConsumer onDone) {
        this.recordId = recordId;
        this.topicPartition = topicPartition;
        this.future = future;
        this.callback = callback;
        this.sendNumber = sendNumber;
        this.onDone = onDone;
    }

    public long recordId() {
        return recordId;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public boolean isDone() {
        return done;
    }

    @SpecAction("ProducerSendAcked")
    public boolean succeed(long offset, ProducerEvents events) {
        if (done) {
            return false;
        }
        done = true;
        RecordMetadata md = RecordMetadata.of(topicPartition, offset);
        events.acked(recordId, topicPartition, offset);
        runCallback(md, null);
        future.complete(md);
        onDone.accept(sendNumber);
        return true;
    }

    @SpecAction("ProducerSendFailed")
    public boolean fail(RuntimeException error, ProducerEvents events) {
        if (done) {
            return false;
        }
        done = true;
        events.failed(recordId, topicPartition, ProducerException.describe(error));
        runCallback(RecordMetadata.of(topicPartition, RecordMetadata.UNKNOWN_OFFSET), error);
        future.completeExceptionally(error);
        onDone.accept(sendNumber);
        return true;
    }

    private void runCallback(RecordMetadata md, Exception error) {
        if (callback == null) {
            return;
        }
        try {
            callback.onCompletion(md, error);
        } catch (RuntimeException e) {
            // Kafka logs and swallows callback errors: one bad callback must not stop the others
        }
    }
}
