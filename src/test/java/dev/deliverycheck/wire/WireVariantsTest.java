package dev.deliverycheck.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.check.History;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real idempotent producer whose Produce answers are lost at the broker's socket (applied, answer
 * dropped, connection closed): the production broker deduplicates the retries, the dedup-window-1
 * variant stores a record twice, and NoDuplicate says so.
 */
class WireVariantsTest {
    private static final TopicPartition TP = new TopicPartition("dups", 0);

    @TempDir
    Path dir;

    private Verdict runWithLostAnswer(BrokerConfig config) throws Exception {
        History history = new History();
        try (WireHarness h = WireHarness.start(dir, 1, 2, config, history)) {
            Properties props = h.producerProps();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
            // One record per batch and per request, so several requests are in flight at the loss.
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, "1");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            h.server.dropAnswerToProduce(3);
            try (WireHarness.RecordingProducer p = new WireHarness.RecordingProducer(props, history, 1)) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (long id = 0; id < 40; id++) {
                    sent.add(p.send(TP, id));
                }
                for (Future<RecordMetadata> f : sent) {
                    try {
                        f.get(30, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        // reported to the History as ProducerSendFailed: indeterminate, allowed
                    }
                }
            }
            h.fetchInto(history, TP, IsolationLevel.READ_UNCOMMITTED);
        }
        return Invariant.NO_DUPLICATE.checker().check(history);
    }

    @Test
    void theProductionBrokerDeduplicatesRetriesOfALostAnswer() throws Exception {
        Verdict v = runWithLostAnswer(BrokerConfig.DEFAULT);
        assertThat(v.holds()).as(v.toString()).isTrue();
    }

    @Test
    void aDedupWindowOfOneStoresARetryTwice() throws Exception {
        Verdict v = runWithLostAnswer(BrokerVariant.WINDOW_1.apply(BrokerConfig.DEFAULT));
        assertThat(v.holds()).as(v.toString()).isFalse();
        assertThat(v.offendingIds()).isNotEmpty();
    }
}
