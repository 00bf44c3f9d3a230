package dev.deliverycheck.producer.partitioner;

/**
 * Kafka's key hashing, byte for byte: {@code toPositive(murmur2(key)) % numPartitions}, where
 * the divisor counts every partition of the topic, available or not, so a key always maps to
 * the same partition while the partition count stays the same. Keyless records (nothing to
 * hash) go to the {@code keyless} strategy it is built with — round robin for the {@code hash}
 * setting, as Kafka's default partitioner did before KIP-480.
 */
public final class HashPartitioner implements Partitioner {
    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private final Partitioner keyless;

    public HashPartitioner(Partitioner keyless) {
        this.keyless = keyless;
    }

    @Override
    public int partition(String topic, byte[] keyBytes, int numPartitions) {
        if (keyBytes == null) {
            return keyless.partition(topic, null, numPartitions);
        }
        return partitionForKey(keyBytes, numPartitions);
    }

    /** The partition Kafka's producer picks for a serialized key. */
    public static int partitionForKey(byte[] key, int numPartitions) {
        if (numPartitions <= 0) {
            throw new IllegalArgumentException("numPartitions must be positive, was " + numPartitions);
        }
        return toPositive(murmur2(key)) % numPartitions;
    }

    /** Kafka's {@code Utils.toPositive}: clears the sign bit (not {@code Math.abs}, which fails for MIN_VALUE). */
    public static int toPositive(int number) {
        return number & 0x7fffffff;
    }

    /** Kafka's 32-bit murmur2 with seed 0x9747b28c: little-endian 4-byte words, wrapping arithmetic. */
    public static int murmur2(byte[] data) {
        int length = data.length;
        int h = SEED ^ length;
        int length4 = length / 4;
        for (int i = 0; i < length4; i++) {
            int i4 = i * 4;
            int k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16)
                    + ((data[i4 + 3] & 0xff) << 24);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        int tail = length4 * 4;
        switch (length % 4) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
                // fall through: the tail bytes are mixed in from the highest down
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= M;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }
}
