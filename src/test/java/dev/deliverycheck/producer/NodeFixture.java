package dev.deliverycheck.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.env.testkit.CapturingTransport;
import dev.deliverycheck.sim.VirtualClock;
import dev.deliverycheck.producer.testkit.RecordingEvents;
import dev.deliverycheck.producer.testkit.Records;
import dev.deliverycheck.producer.testkit.ScriptedRandom;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ProducerNode} wired to a manual clock, a capturing transport and an event recorder,
 * for tests that play the brokers by hand. Cluster: brokers 0 and 1, topic "t" with 4 partitions
 * (0 and 2 led by broker 0, 1 and 3 by broker 1).
 */
final class NodeFixture {
    static final ClusterMetadata CLUSTER = ClusterMetadata.of(2, "t", 4);
    static final TopicPartition P0 = new TopicPartition("t", 0);
    static final TopicPartition P1 = new TopicPartition("t", 1);
    static final TopicPartition P2 = new TopicPartition("t", 2);

    final VirtualClock clock = new VirtualClock(1_000);
    final CapturingTransport transport = new CapturingTransport();
    final RecordingEvents events = new RecordingEvents();
    final ProducerNode<String, String> node;
    private long nextId;

    NodeFixture(Object... kv) {
        Map<String, Object> config = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            config.put((String) kv[i], kv[i + 1]);
        }
        node = new ProducerNode<>(100, ProducerConfig.of(config), new StringSerializer(), new StringSerializer(), CLUSTER,
                clock, transport, new ScriptedRandom(), events);
    }

    CompletableFuture<RecordMetadata> send(int partition) {
        return node.send(Records.toPartition("t", partition, nextId++, "v"), null);
    }

    long lastId() {
        return nextId - 1;
    }

    /** Polls, then returns and removes the Produce requests sent, with their destinations. */
    List<CapturingTransport.Sent> pollProduce() {
        node.poll();
        return transport.drainSent(ProduceRequest.class);
    }

    /** Advances the clock to the node's next wakeup (asserting there is one) and polls. */
    void pollAtWakeup() {
        long wake = node.nextWakeupMs();
        assertThat(wake).as("a wakeup is scheduled").isLessThan(Long.MAX_VALUE);
        clock.advanceTo(Math.max(clock.milliseconds(), wake));
        node.poll();
    }

    /** Polls until the node asks for no immediate poll. */
    void settle() {
        for (int i = 0; i < 100 && node.nextWakeupMs() <= clock.milliseconds(); i++) {
            node.poll();
        }
    }

    static ProduceRequest request(CapturingTransport.Sent sent) {
        return (ProduceRequest) sent.message();
    }

    /** Answers every batch of a Produce request with the same error, or with success at {@code baseOffset}. */
    void answer(CapturingTransport.Sent sent, Errors error, long baseOffset) {
        ProduceRequest req = request(sent);
        Map<TopicPartition, ProduceResponse.PartitionResult> results = new LinkedHashMap<>();
        for (RecordBatch b : req.batches()) {
            results.put(b.topicPartition(), error == Errors.NONE ? ProduceResponse.PartitionResult.ok(baseOffset)
                    : ProduceResponse.PartitionResult.error(error, "test says " + error));
        }
        node.receive(sent.destination(), new ProduceResponse(req.correlationId(), results));
    }
}
