package dev.deliverycheck.producer.partitioner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoundRobinPartitionerTest {
    @Test
    void everyPartitionGetsItsEqualShareOverNTimesPRecords() {
        for (int partitions : new int[] {1, 2, 3, 7, 16}) {
            RoundRobinPartitioner p = new RoundRobinPartitioner();
            int[] counts = new int[partitions];
            int n = 50;
            for (int i = 0; i < n * partitions; i++) {
                counts[p.partition("t", null, partitions)]++;
            }
            for (int c : counts) {
                assertThat(c).isEqualTo(n);
            }
        }
    }

    @Test
    void anyPrefixIsWithinOneOfAnEqualShareAndKeysAreIgnored() {
        RoundRobinPartitioner p = new RoundRobinPartitioner();
        int[] counts = new int[5];
        for (int i = 0; i < 23; i++) {
            counts[p.partition("t", new byte[] {(byte) i}, 5)]++;
            int max = java.util.Arrays.stream(counts).max().getAsInt();
            int min = java.util.Arrays.stream(counts).min().getAsInt();
            assertThat(max - min).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void countersArePerTopic() {
        RoundRobinPartitioner p = new RoundRobinPartitioner();
        assertThat(p.partition("a", null, 4)).isZero();
        assertThat(p.partition("a", null, 4)).isEqualTo(1);
        assertThat(p.partition("b", null, 4)).isZero();
    }
}
