package dev.deliverycheck.producer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * deliverycheck's four delivery guarantees as producer presets (DESIGN.md, "The four modes").
 * Each preset sets {@code enable.idempotence} explicitly, so Kafka's explicit-idempotence rules
 * apply to any override layered on top (e.g. {@code idempotent} plus {@code acks=1} is an error).
 */
public enum DeliveryMode {
    /** {@code acks=1}, {@code retries=0}, idempotence off: a lost request or ACK is never retried. */
    AT_MOST_ONCE("at-most-once"),
    /** {@code acks=all}, retries on, idempotence off, up to 5 in flight: a lost ACK is retried, so duplicates happen. */
    AT_LEAST_ONCE("at-least-once"),
    /** at-least-once plus producer id, epoch and sequence numbers: the broker drops duplicates. */
    IDEMPOTENT("idempotent"),
    /** idempotent plus a {@code transactional.id} (supplied by the caller): atomic multi-partition writes. */
    EXACTLY_ONCE("exactly-once");

    private final String cliName;

    DeliveryMode(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /**
     * The preset's producer settings. For {@link #EXACTLY_ONCE} the caller adds
     * {@code transactional.id} (or uses {@link #preset(String)}).
     */
    public Map<String, Object> preset() {
        Map<String, Object> p = new LinkedHashMap<>();
        switch (this) {
            case AT_MOST_ONCE -> {
                p.put(ProducerConfig.ACKS_CONFIG, "1");
                p.put(ProducerConfig.RETRIES_CONFIG, 0);
                p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            }
            case AT_LEAST_ONCE -> {
                p.put(ProducerConfig.ACKS_CONFIG, "all");
                p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
                p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
                p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            }
            case IDEMPOTENT, EXACTLY_ONCE -> {
                p.put(ProducerConfig.ACKS_CONFIG, "all");
                p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
                p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            }
            default -> throw new IllegalStateException("unreachable");
        }
        return p;
    }

    /** The preset with a transactional id; required for {@link #EXACTLY_ONCE}, rejected for the others. */
    public Map<String, Object> preset(String transactionalId) {
        if (this != EXACTLY_ONCE) {
            throw new IllegalArgumentException("mode " + cliName + " does not use a transactional.id");
        }
        Map<String, Object> p = preset();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return p;
    }

    public boolean transactional() {
        return this == EXACTLY_ONCE;
    }

    /** Parses a CLI name; throws IllegalArgumentException naming the valid modes. */
    public static DeliveryMode parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (DeliveryMode m : values()) {
                if (m.cliName.equals(n)) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("Unknown delivery mode '" + name + "'; valid modes: " + validNames());
    }

    public static String validNames() {
        return Arrays.stream(values()).map(DeliveryMode::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
