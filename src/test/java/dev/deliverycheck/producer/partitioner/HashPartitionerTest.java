package dev.deliverycheck.producer.partitioner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class HashPartitionerTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void murmur2MatchesKafkasTestVectors() {
        assertThat(HashPartitioner.murmur2(utf8("21"))).isEqualTo(-973932308);
        assertThat(HashPartitioner.murmur2(utf8("foobar"))).isEqualTo(-790332482);
        assertThat(HashPartitioner.murmur2(utf8("abc"))).isEqualTo(479470107);
        assertThat(HashPartitioner.murmur2(utf8("a-little-bit-long-string"))).isEqualTo(-985981536);
        assertThat(HashPartitioner.murmur2(utf8(""))).isEqualTo(275646681);
        assertThat(HashPartitioner.murmur2(utf8("kafka"))).isEqualTo(-798503068);
        assertThat(HashPartitioner.murmur2(utf8("key-0"))).isEqualTo(29210041);
    }

    @Test
    void partitionForKeyUsesToPositiveNotAbs() {
        assertThat(HashPartitioner.partitionForKey(utf8("kafka"), 3)).isEqualTo(1);
        assertThat(HashPartitioner.partitionForKey(utf8("kafka"), 6)).isEqualTo(4);
        assertThat(HashPartitioner.toPositive(Integer.MIN_VALUE)).isZero();
        assertThat(HashPartitioner.toPositive(-1)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void emptyKeyIsHashedNullKeyGoesToTheKeylessStrategy() {
        HashPartitioner p = new HashPartitioner(new RoundRobinPartitioner());
        assertThat(p.partition("t", new byte[0], 7)).isEqualTo(HashPartitioner.toPositive(275646681) % 7);
        assertThat(p.partition("t", null, 7)).isZero();
        assertThat(p.partition("t", null, 7)).isEqualTo(1);
    }

    /** 100,000 random keys of length 0–64 against kafka-clients 4.4.0 itself: not a single mismatch. */
    @Test
    void agreesWithKafkaClientsOnOneHundredThousandRandomKeys() {
        SplittableRandom random = new SplittableRandom(20240501L);
        int mismatches = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] key = new byte[random.nextInt(65)];
            for (int j = 0; j < key.length; j++) {
                key[j] = (byte) random.nextInt(256);
            }
            int partitions = 1 + random.nextInt(100);
            int ours = HashPartitioner.partitionForKey(key, partitions);
            int kafkas = Utils.toPositive(Utils.murmur2(key)) % partitions;
            if (ours != kafkas || HashPartitioner.murmur2(key) != Utils.murmur2(key)) {
                mismatches++;
            }
        }
        assertThat(mismatches).isZero();
    }
}
