package dev.deliverycheck.producer.partitioner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.producer.testkit.ScriptedRandom;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UniformStickyPartitionerTest {
    /** Queue sizes and availability a test sets by hand. */
    private static class Load implements PartitionLoad {
        final Map<Integer, Integer> queues = new HashMap<>();
        final Set<Integer> unavailable = new HashSet<>();

        @Override
        public int queueSize(TopicPartition tp) {
            return queues.getOrDefault(tp.partition(), 0);
        }

        @Override
        public boolean isAvailable(TopicPartition tp) {
            return !unavailable.contains(tp.partition());
        }
    }

    @Test
    void switchesAfterBatchSizeBytesOnceBatchesAreFull() {
        UniformStickyPartitioner p = new UniformStickyPartitioner(new ScriptedRandom().ints(1, 3), 1000, false, false, 0,
                PartitionLoad.NONE);
        assertThat(p.partition("t", null, 4)).isEqualTo(1);
        p.onAppend("t", 1, 600, true, 4);
        assertThat(p.partition("t", null, 4)).isEqualTo(1);
        p.onAppend("t", 1, 500, false, 4);
        assertThat(p.partition("t", null, 4)).as("1100 bytes but the last batch has room: defer").isEqualTo(1);
        p.onAppend("t", 1, 100, true, 4);
        assertThat(p.partition("t", null, 4)).isEqualTo(3);
    }

    @Test
    void switchesUnconditionallyAtTwiceBatchSize() {
        UniformStickyPartitioner p = new UniformStickyPartitioner(new ScriptedRandom().ints(0, 2), 1000, false, false, 0,
                PartitionLoad.NONE);
        assertThat(p.partition("t", null, 3)).isZero();
        p.onAppend("t", 0, 1999, false, 3);
        assertThat(p.partition("t", null, 3)).isZero();
        p.onAppend("t", 0, 1, false, 3);
        assertThat(p.partition("t", null, 3)).isEqualTo(2);
    }

    @Test
    void bytesAreCountedOnlyForTheStickyPartitionAndRestartAfterASwitch() {
        UniformStickyPartitioner p = new UniformStickyPartitioner(new ScriptedRandom().ints(0, 1, 2), 100, false, false, 0,
                PartitionLoad.NONE);
        p.partition("t", null, 3);
        p.onAppend("t", 2, 500, true, 3);
        assertThat(p.currentPartition("t")).isZero();
        p.onAppend("t", 0, 100, true, 3);
        assertThat(p.currentPartition("t")).isEqualTo(1);
        p.onAppend("t", 1, 99, true, 3);
        assertThat(p.currentPartition("t")).isEqualTo(1);
    }

    @Test
    void adaptiveChoiceFavoursShorterQueuesWithKafkasWeights() {
        Load load = new Load();
        load.queues.put(0, 0);
        load.queues.put(1, 3);
        load.queues.put(2, 1);
        // Kafka's example: queues 0 3 1 → weights 4 1 3 → cumulative 4 5 8
        int[] expected = {0, 0, 0, 0, 1, 2, 2, 2};
        for (int draw = 0; draw < 8; draw++) {
            UniformStickyPartitioner p = new UniformStickyPartitioner(new ScriptedRandom().ints(draw), 100, false, true, 0, load);
            assertThat(p.nextPartition("t", 3)).as("draw " + draw).isEqualTo(expected[draw]);
        }
    }

    @Test
    void adaptiveChoiceIsProportionalOverManyDraws() {
        Load load = new Load();
        load.queues.put(0, 9);
        UniformStickyPartitioner p = new UniformStickyPartitioner(new SeededRandom(5), 100, false, true, 0, load);
        int[] counts = new int[2];
        for (int i = 0; i < 20_000; i++) {
            counts[p.nextPartition("t", 2)]++;
        }
        // weights 1 and 10
        assertThat(counts[1] / (double) counts[0]).isBetween(8.5, 11.5);
    }

    @Test
    void equalQueuesOrAdaptiveOffMeanUniform() {
        Load load = new Load();
        load.queues.put(0, 5);
        UniformStickyPartitioner off = new UniformStickyPartitioner(new SeededRandom(3), 100, false, false, 0, load);
        int[] counts = new int[4];
        for (int i = 0; i < 40_000; i++) {
            counts[off.nextPartition("t", 4)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(9_000, 11_000);
        }
    }

    @Test
    void laggingBrokersPartitionsAreSkippedWhenAvailabilityTimeoutIsSet() {
        Load load = new Load();
        load.unavailable.add(0);
        load.unavailable.add(2);
        UniformStickyPartitioner p = new UniformStickyPartitioner(new SeededRandom(9), 100, false, true, 500, load);
        for (int i = 0; i < 200; i++) {
            assertThat(p.nextPartition("t", 4)).isIn(1, 3);
        }
        UniformStickyPartitioner noTimeout = new UniformStickyPartitioner(new SeededRandom(9), 100, false, true, 0, load);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(noTimeout.nextPartition("t", 4));
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void allPartitionsUnavailableFallsBackToAll() {
        Load load = new Load();
        load.unavailable.add(0);
        load.unavailable.add(1);
        UniformStickyPartitioner p = new UniformStickyPartitioner(new ScriptedRandom().ints(1), 100, false, true, 500, load);
        assertThat(p.nextPartition("t", 2)).isEqualTo(1);
    }

    @Test
    void keysAreHashedUnlessIgnored() {
        byte[] key = "kafka".getBytes(StandardCharsets.UTF_8);
        assertThat(new UniformStickyPartitioner(new ScriptedRandom().ints(0), 100, false, true, 0, PartitionLoad.NONE)
                .partition("t", key, 3)).isEqualTo(1);
        assertThat(new UniformStickyPartitioner(new ScriptedRandom().ints(2), 100, true, true, 0, PartitionLoad.NONE)
                .partition("t", key, 3)).isEqualTo(2);
    }

    @Test
    void adaptiveChoiceIsUniformUntilEveryPartitionHasAQueue() {
        Set<Integer> queued = new HashSet<>(Set.of(0, 1));
        Load load = new Load() {
            @Override
            public boolean hasQueue(TopicPartition tp) {
                return queued.contains(tp.partition());
            }
        };
        load.queues.put(0, 0);
        load.queues.put(1, 3);
        // partition 2 has no queue yet: draw 7 is uniform (7 % 3 = 1), not the weighted choice (2, as above)
        UniformStickyPartitioner p = new UniformStickyPartitioner(new ScriptedRandom().ints(7), 100, false, true, 0, load);
        assertThat(p.nextPartition("t", 3)).isEqualTo(1);
        queued.add(2);
        load.queues.put(2, 1);
        p = new UniformStickyPartitioner(new ScriptedRandom().ints(7), 100, false, true, 0, load);
        assertThat(p.nextPartition("t", 3)).isEqualTo(2);
    }
}
