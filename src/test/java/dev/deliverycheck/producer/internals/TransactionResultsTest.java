package dev.deliverycheck.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.producer.testkit.RecordingEvents;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link TransactionResults}: each result completes once, and every commit or abort outcome is reported once. */
class TransactionResultsTest {
    private static final ProducerIdAndEpoch PID = new ProducerIdAndEpoch(7, (short) 2);
    private final RecordingEvents recorded = new RecordingEvents();
    private final TransactionResults results = new TransactionResults(new ProducerEvents(100, recorded));

    @Test
    void anEndResultCompletesOnceAndIsReportedOnce() {
        CompletableFuture<Void> commit = results.newEnd(true);
        assertThat(results.endIsCommit()).isTrue();
        assertThat(results.pendingEnd(true)).isSameAs(commit);
        assertThat(results.pendingEnd(false)).as("not an abort").isNull();

        results.finishEnd(null, 3, PID);
        results.finishEnd(new RuntimeException("late"), 3, PID);

        assertThat(commit).isCompleted();
        assertThat(commit.isCompletedExceptionally()).isFalse();
        assertThat(results.pendingEnd(true)).isNull();
        assertThat(recorded.of(ProducerEndTxnResult.class))
                .containsExactly(new ProducerEndTxnResult(100, 3, true, null, 7, (short) 2));
    }

    @Test
    void aFailedAbortCarriesTheError() {
        CompletableFuture<Void> abort = results.newEnd(false);
        assertThat(results.endIsCommit()).isFalse();
        results.finishEnd(new IllegalStateException("boom"), 4, PID);
        assertThat(abort).isCompletedExceptionally();
        assertThat(recorded.of(ProducerEndTxnResult.class)).singleElement()
                .satisfies(e -> assertThat(e.error()).contains("boom"))
                .satisfies(e -> assertThat(e.commit()).isFalse());
    }

    @Test
    void withoutAnEndUnderWayNothingIsReported() {
        results.finishEnd(null, 0, PID);
        assertThat(recorded.all()).isEmpty();
        CompletableFuture<Void> refused = results.failedEnd(true, new IllegalStateException("error state"), 0, PID);
        assertThat(refused).isCompletedExceptionally();
        assertThat(recorded.of(ProducerEndTxnResult.class)).hasSize(1);
    }

    @Test
    void theInitResultCompletesOnce() {
        assertThat(results.pendingInit()).isNull();
        CompletableFuture<Void> init = results.newInit();
        assertThat(results.pendingInit()).isSameAs(init);
        results.failInit(new IllegalStateException("fatal"));
        results.completeInit();
        assertThat(init).isCompletedExceptionally();
        assertThat(results.pendingInit()).isNull();
    }
}
