package dev.deliverycheck.producer.partitioner;

import dev.deliverycheck.env.RandomSource;

/** Builds the partitioner a {@link PartitionerType} setting names. */
public final class Partitioners {
    private Partitioners() {
    }

    public static Partitioner create(PartitionerType type, RandomSource random, int batchSize, boolean ignoreKeys,
                                     boolean adaptive, long availabilityTimeoutMs, PartitionLoad load) {
        return switch (type) {
            case HASH -> new HashPartitioner(new RoundRobinPartitioner());
            case ROUND_ROBIN -> new RoundRobinPartitioner();
            case STICKY -> new StickyPartitioner(random, ignoreKeys);
            case UNIFORM_STICKY -> new UniformStickyPartitioner(random, batchSize, ignoreKeys, adaptive,
                    availabilityTimeoutMs, load);
        };
    }
}
