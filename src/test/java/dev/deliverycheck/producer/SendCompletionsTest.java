package dev.deliverycheck.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.producer.errors.ProducerClosedException;
import dev.deliverycheck.producer.internals.RecordAccumulator;
import dev.deliverycheck.producer.testkit.ScriptedRandom;
import dev.deliverycheck.protocol.ClusterMetadata;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SendCompletionsTest {
    private final RecordAccumulator accumulator = new RecordAccumulator(ProducerConfig.of(Map.of()),
            ClusterMetadata.of(1, "t", 1), new ScriptedRandom());
    private final SendCompletions completions = new SendCompletions(accumulator);

    @Test
    void aFlushCompletesWhenTheLastEarlierSendDoesAndNotBefore() {
        long first = completions.add();
        long second = completions.add();
        CompletableFuture<Void> flush = completions.beginFlush();
        long later = completions.add();

        assertThat(accumulator.flushing()).isTrue();
        completions.done(second);
        assertThat(flush).isNotDone();
        completions.done(first);
        assertThat(flush).isCompleted();
        assertThat(accumulator.flushing()).as("no flush waits any more").isFalse();
        assertThat(completions.size()).isEqualTo(1);
        completions.done(later);
        assertThat(completions.isEmpty()).isTrue();
    }

    @Test
    void aFlushWithNothingIncompleteIsDoneAtOnceAndLeavesTheAccumulatorAlone() {
        completions.done(completions.add());

        assertThat(completions.beginFlush()).isCompleted();
        assertThat(accumulator.flushing()).isFalse();
    }

    @Test
    void aForcedCloseFailsTheWaitingFlushes() {
        completions.add();
        CompletableFuture<Void> flush = completions.beginFlush();

        completions.failFlushes(new ProducerClosedException("Producer is closed forcefully."));

        assertThat(flush).isCompletedExceptionally();
    }
}
