package dev.deliverycheck.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.env.testkit.CapturingTransport;
import dev.deliverycheck.sim.VirtualClock;
import dev.deliverycheck.producer.testkit.RecordingEvents;
import dev.deliverycheck.producer.testkit.Records;
import dev.deliverycheck.protocol.ClusterMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node wires each partitioning strategy to the accumulator as Kafka does. */
class PartitioningThroughTheNodeTest {
    private static List<Integer> partitionsOf(String partitioner, int records, int valueBytes) {
        RecordingEvents events = new RecordingEvents();
        ProducerNode<String, String> node = new ProducerNode<>(100,
                ProducerConfig.of(Map.of("partitioner", partitioner, "batch.size", 1000, "linger.ms", 60_000)),
                new StringSerializer(), new StringSerializer(), ClusterMetadata.of(2, "t", 6), new VirtualClock(0),
                new CapturingTransport(), new SeededRandom(42), events);
        for (int i = 0; i < records; i++) {
            node.send(Records.keyless("t", i, "x".repeat(valueBytes)), null);
        }
        return events.of(ProducerSend.class).stream().map(e -> e.topicPartition().partition()).toList();
    }

    private static int switches(List<Integer> partitions) {
        int n = 0;
        for (int i = 1; i < partitions.size(); i++) {
            if (!partitions.get(i).equals(partitions.get(i - 1))) {
                n++;
            }
        }
        return n;
    }

    @Test
    void stickyMovesOnlyWhenABatchFillsUp() {
        // ~150-byte records, 1000-byte batches: 6 records fill a batch
        List<Integer> p = partitionsOf("sticky", 60, 100);
        assertThat(switches(p)).isBetween(8, 10);
        assertThat(p.subList(0, 6)).containsOnly(p.get(0));
    }

    @Test
    void uniformStickyMovesAfterBatchSizeBytes() {
        List<Integer> p = partitionsOf("uniform-sticky", 60, 100);
        assertThat(switches(p)).isBetween(3, 10);
        assertThat(p.subList(0, 6)).containsOnly(p.get(0));
    }

    @Test
    void roundRobinAndHashSpreadKeylessRecordsEvenly() {
        for (String partitioner : List.of("round-robin", "hash")) {
            List<Integer> p = partitionsOf(partitioner, 60, 10);
            for (int partition = 0; partition < 6; partition++) {
                int finalPartition = partition;
                assertThat(p.stream().filter(x -> x == finalPartition).count()).as(partitioner).isEqualTo(10);
            }
        }
    }
}
