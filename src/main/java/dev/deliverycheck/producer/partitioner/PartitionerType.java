package dev.deliverycheck.producer.partitioner;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The value of deliverycheck's {@code partitioner} setting, which stands in for Kafka's
 * {@code partitioner.class}:
 * <ul>
 *   <li>{@code hash}: Kafka's pre-2.4 default partitioner: murmur2 of the key; keyless records
 *       round robin;</li>
 *   <li>{@code round-robin}: Kafka's {@code RoundRobinPartitioner}: every record round robin,
 *       keys ignored;</li>
 *   <li>{@code sticky}: Kafka 2.4–3.2's default (KIP-480): murmur2 for keys; keyless records
 *       stick to a partition until a new batch is created for it;</li>
 *   <li>{@code uniform-sticky} (default): Kafka 3.3+'s built-in partitioner (KIP-794): murmur2
 *       for keys; keyless records switch partition after {@code batch.size} bytes, adaptively.</li>
 * </ul>
 */
public enum PartitionerType {
    HASH("hash"),
    ROUND_ROBIN("round-robin"),
    STICKY("sticky"),
    UNIFORM_STICKY("uniform-sticky");

    private final String configName;

    PartitionerType(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration and on the command line. */
    public String configName() {
        return configName;
    }

    /** Parses a configuration/CLI name; throws IllegalArgumentException listing the valid names. */
    public static PartitionerType parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (PartitionerType t : values()) {
                if (t.configName.equals(n)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("Unknown partitioner '" + name + "'; valid partitioners: " + validNames());
    }

    public static String validNames() {
        return Arrays.stream(values()).map(PartitionerType::configName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return configName;
    }
}
