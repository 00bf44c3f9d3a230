package dev.deliverycheck.producer;

import dev.deliverycheck.producer.partitioner.PartitionerType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The producer's configuration: Kafka's keys, Kafka 4.4's defaults and Kafka's validation rules
 * (reference/kafka-producer.md, "Configuration errors"). Immutable; every value is parsed and
 * checked in the constructor, so a {@code ProducerConfig} that exists is a valid one.
 *
 * <p>Invariant: {@link #idempotenceEnabled()} is true only when {@code acks=all},
 * {@code retries > 0} and {@code max.in.flight.requests.per.connection <= 5}; a transactional
 * config is always idempotent; {@code delivery.timeout.ms >= linger.ms + request.timeout.ms}.
 * As in Kafka, setting idempotence <em>explicitly</em> together with a conflicting value is an
 * error, while the default idempotence is silently turned off by {@code acks=0|1},
 * {@code retries=0} or more than 5 requests in flight.
 *
 * <p>Two deliberate differences from Kafka: an unknown key is an error (Kafka only logs a
 * warning — in a verification tool a misspelt {@code enable.idempotence} must not go unnoticed),
 * and {@code partitioner} (values {@link PartitionerType}) replaces {@code partitioner.class}.
 */
public final class ProducerConfig {
    public static final String ACKS_CONFIG = "acks";
    public static final String RETRIES_CONFIG = "retries";
    public static final String ENABLE_IDEMPOTENCE_CONFIG = "enable.idempotence";
    public static final String MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = "max.in.flight.requests.per.connection";
    public static final String LINGER_MS_CONFIG = "linger.ms";
    public static final String BATCH_SIZE_CONFIG = "batch.size";
    public static final String BUFFER_MEMORY_CONFIG = "buffer.memory";
    public static final String MAX_BLOCK_MS_CONFIG = "max.block.ms";
    public static final String DELIVERY_TIMEOUT_MS_CONFIG = "delivery.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS_CONFIG = "request.timeout.ms";
    public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "retry.backoff.max.ms";
    public static final String MAX_REQUEST_SIZE_CONFIG = "max.request.size";
    public static final String TRANSACTIONAL_ID_CONFIG = "transactional.id";
    public static final String TRANSACTION_TIMEOUT_CONFIG = "transaction.timeout.ms";
    /** deliverycheck's stand-in for Kafka's {@code partitioner.class}: hash, round-robin, sticky, uniform-sticky. */
    public static final String PARTITIONER_CONFIG = "partitioner";
    public static final String PARTITIONER_IGNORE_KEYS_CONFIG = "partitioner.ignore.keys";
    public static final String PARTITIONER_ADAPTIVE_PARTITIONING_ENABLE_CONFIG = "partitioner.adaptive.partitioning.enable";
    public static final String PARTITIONER_AVAILABILITY_TIMEOUT_MS_CONFIG = "partitioner.availability.timeout.ms";

    /** Kafka's cap on requests in flight per connection for the idempotent producer (the broker caches 5 batches). */
    public static final int MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5;

    private enum Type { INT, LONG, BOOLEAN, STRING }

    /** A rule on a parsed value; returns null when the value obeys it, otherwise the rule's text. */
    @FunctionalInterface
    private interface Rule {
        String violation(Object value);
    }

    private record Key(String name, Type type, Object defaultValue, Rule rule) {
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        define(ACKS_CONFIG, Type.STRING, "all", oneOf("all", "-1", "0", "1"));
        define(RETRIES_CONFIG, Type.INT, Integer.MAX_VALUE, atLeast(0));
        define(ENABLE_IDEMPOTENCE_CONFIG, Type.BOOLEAN, true, null);
        define(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, Type.INT, 5, atLeast(1));
        define(LINGER_MS_CONFIG, Type.LONG, 5L, atLeast(0));
        define(BATCH_SIZE_CONFIG, Type.INT, 16384, atLeast(0));
        define(BUFFER_MEMORY_CONFIG, Type.LONG, 33554432L, atLeast(0));
        define(MAX_BLOCK_MS_CONFIG, Type.LONG, 60000L, atLeast(0));
        define(DELIVERY_TIMEOUT_MS_CONFIG, Type.INT, 120000, atLeast(0));
        define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, 30000, atLeast(0));
        define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, 100L, atLeast(0));
        define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, 1000L, atLeast(0));
        define(MAX_REQUEST_SIZE_CONFIG, Type.INT, 1048576, atLeast(0));
        define(TRANSACTIONAL_ID_CONFIG, Type.STRING, null,
                v -> v != null && ((String) v).isEmpty() ? "String may not be empty" : null);
        define(TRANSACTION_TIMEOUT_CONFIG, Type.INT, 60000, atLeast(1));
        define(PARTITIONER_CONFIG, Type.STRING, PartitionerType.UNIFORM_STICKY.configName(),
                oneOf(java.util.Arrays.stream(PartitionerType.values()).map(PartitionerType::configName).toArray(String[]::new)));
        define(PARTITIONER_IGNORE_KEYS_CONFIG, Type.BOOLEAN, false, null);
        define(PARTITIONER_ADAPTIVE_PARTITIONING_ENABLE_CONFIG, Type.BOOLEAN, true, null);
        define(PARTITIONER_AVAILABILITY_TIMEOUT_MS_CONFIG, Type.LONG, 0L, atLeast(0));
    }

    private static void define(String name, Type type, Object defaultValue, Rule rule) {
        KEYS.put(name, new Key(name, type, defaultValue, rule));
    }

    private static Rule atLeast(long min) {
        return v -> ((Number) v).longValue() < min ? "Value must be at least " + min : null;
    }

    private static Rule oneOf(String... allowed) {
        return v -> java.util.Arrays.asList(allowed).contains(v) ? null : "String must be one of: " + String.join(", ", allowed);
    }

    private final Map<String, Object> originals;
    private final Map<String, Object> values;

    public ProducerConfig(Map<String, ?> props) {
        Map<String, Object> given = new LinkedHashMap<>();
        props.forEach((k, v) -> given.put(String.valueOf(k), v));
        this.originals = Collections.unmodifiableMap(given);
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (String name : given.keySet()) {
            if (!KEYS.containsKey(name)) {
                throw new ConfigException(name, given.get(name),
                        "unknown configuration key (known keys: " + String.join(", ", KEYS.keySet()) + ")");
            }
        }
        for (Key key : KEYS.values()) {
            Object raw = given.containsKey(key.name()) ? given.get(key.name()) : key.defaultValue();
            Object value = parse(key, raw);
            if (key.rule() != null && (value != null || key.type() == Type.STRING)) {
                String violation = key.rule().violation(value);
                if (violation != null) {
                    throw new ConfigException(key.name(), raw, violation);
                }
            }
            parsed.put(key.name(), value);
        }
        parsed.put(ACKS_CONFIG, "-1".equals(parsed.get(ACKS_CONFIG)) ? "all" : parsed.get(ACKS_CONFIG));
        validateIdempotence(parsed);
        validateDeliveryTimeout(parsed);
        validatePartitioner(parsed);
        this.values = Collections.unmodifiableMap(parsed);
    }

    public static ProducerConfig of(Map<String, ?> props) {
        return new ProducerConfig(props);
    }

    public static ProducerConfig of(Properties props) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            map.put(name, props.getProperty(name));
        }
        props.forEach((k, v) -> map.putIfAbsent(String.valueOf(k), v));
        return new ProducerConfig(map);
    }

    /** All defaults. */
    public static ProducerConfig defaults() {
        return new ProducerConfig(Map.of());
    }

    /** A new config: these settings' originals with {@code overrides} on top (validated again). */
    public ProducerConfig with(Map<String, ?> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(originals);
        merged.putAll(overrides);
        return new ProducerConfig(merged);
    }

    public ProducerConfig with(String key, Object value) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(key, value);
        return with(one);
    }

    private static Object parse(Key key, Object raw) {
        if (raw == null) {
            if (key.type() == Type.STRING) {
                return null;
            }
            throw new ConfigException(key.name(), null, "Value must not be null");
        }
        String text = raw instanceof String s ? s.trim() : null;
        try {
            switch (key.type()) {
                case INT:
                    if (raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
                        return ((Number) raw).intValue();
                    }
                    if (raw instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                        return l.intValue();
                    }
                    if (text != null) {
                        return Integer.parseInt(text);
                    }
                    break;
                case LONG:
                    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
                        return ((Number) raw).longValue();
                    }
                    if (text != null) {
                        return Long.parseLong(text);
                    }
                    break;
                case BOOLEAN:
                    if (raw instanceof Boolean b) {
                        return b;
                    }
                    if (text != null && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
                        return Boolean.parseBoolean(text);
                    }
                    throw new ConfigException(key.name(), raw, "Expected value to be either true or false");
                case STRING:
                    if (text != null) {
                        return key.name().equals(ACKS_CONFIG) || key.name().equals(PARTITIONER_CONFIG)
                                ? text.toLowerCase(Locale.ROOT) : text;
                    }
                    if (raw instanceof Number n && key.name().equals(ACKS_CONFIG)) {
                        return n.toString();
                    }
                    throw new ConfigException(key.name(), raw, "Expected value to be a string, but it was a " + raw.getClass().getName());
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // fall through to the type error below
        }
        throw new ConfigException(key.name(), raw, "Not a number of type " + key.type());
    }

    /** Kafka's {@code postProcessAndValidateIdempotenceConfigs}. */
    private void validateIdempotence(Map<String, Object> parsed) {
        boolean explicit = originals.containsKey(ENABLE_IDEMPOTENCE_CONFIG);
        boolean enabled = (Boolean) parsed.get(ENABLE_IDEMPOTENCE_CONFIG);
        if (enabled) {
            boolean disable = false;
            int retries = (Integer) parsed.get(RETRIES_CONFIG);
            if (retries == 0) {
                if (explicit) {
                    throw new ConfigException(RETRIES_CONFIG, originals.get(RETRIES_CONFIG),
                            "must be non-zero when enable.idempotence=true is set: the idempotent producer retries to deliver without duplicates");
                }
                disable = true;
            }
            if (!"all".equals(parsed.get(ACKS_CONFIG))) {
                if (explicit) {
                    throw new ConfigException(ACKS_CONFIG, originals.get(ACKS_CONFIG),
                            "must be all (-1) when enable.idempotence=true is set; otherwise idempotence cannot be guaranteed");
                }
                disable = true;
            }
            int inFlight = (Integer) parsed.get(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
            if (inFlight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
                if (explicit) {
                    throw new ConfigException(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, originals.get(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION),
                            "must be at most " + MAX_IN_FLIGHT_FOR_IDEMPOTENCE
                                    + " when enable.idempotence=true: the broker remembers only the last 5 batches per producer");
                }
                disable = true;
            }
            if (disable) {
                parsed.put(ENABLE_IDEMPOTENCE_CONFIG, false);
                enabled = false;
            }
        }
        String transactionalId = (String) parsed.get(TRANSACTIONAL_ID_CONFIG);
        if (transactionalId != null && !enabled) {
            throw new ConfigException(TRANSACTIONAL_ID_CONFIG, transactionalId,
                    "cannot set a transactional.id without also enabling idempotence (enable.idempotence is "
                            + (explicit ? "set to false" : "off because of acks, retries or max.in.flight.requests.per.connection") + ")");
        }
    }

    /** Kafka's {@code configureDeliveryTimeout}: an explicit value must cover linger plus one request. */
    private void validateDeliveryTimeout(Map<String, Object> parsed) {
        int deliveryTimeout = (Integer) parsed.get(DELIVERY_TIMEOUT_MS_CONFIG);
        long linger = (Long) parsed.get(LINGER_MS_CONFIG);
        int requestTimeout = (Integer) parsed.get(REQUEST_TIMEOUT_MS_CONFIG);
        int lingerAndRequest = (int) Math.min(linger + requestTimeout, Integer.MAX_VALUE);
        if (deliveryTimeout < lingerAndRequest) {
            if (originals.containsKey(DELIVERY_TIMEOUT_MS_CONFIG)) {
                throw new ConfigException(DELIVERY_TIMEOUT_MS_CONFIG, originals.get(DELIVERY_TIMEOUT_MS_CONFIG),
                        "should be equal to or larger than linger.ms + request.timeout.ms (" + linger + " + "
                                + requestTimeout + " = " + lingerAndRequest + ")");
            }
            parsed.put(DELIVERY_TIMEOUT_MS_CONFIG, lingerAndRequest);
        }
    }

    private void validatePartitioner(Map<String, Object> parsed) {
        if (parsed.get(PARTITIONER_CONFIG).equals(PartitionerType.HASH.configName())
                && (Boolean) parsed.get(PARTITIONER_IGNORE_KEYS_CONFIG)) {
            throw new ConfigException(PARTITIONER_IGNORE_KEYS_CONFIG, originals.get(PARTITIONER_IGNORE_KEYS_CONFIG),
                    "cannot be true with partitioner=hash, which places records by their key");
        }
    }

    /** The settings as supplied by the caller (unparsed). */
    public Map<String, Object> originals() {
        return originals;
    }

    /** Every setting's effective value, defaults included, after Kafka's post-processing. */
    public Map<String, Object> values() {
        return new TreeMap<>(values);
    }

    /** {@code acks} as sent in a Produce request: -1 (all), 0 or 1. */
    public short acks() {
        String acks = (String) values.get(ACKS_CONFIG);
        return "all".equals(acks) ? (short) -1 : Short.parseShort(acks);
    }

    public int retries() {
        return (Integer) values.get(RETRIES_CONFIG);
    }

    /** Effective idempotence (after implicit disabling). */
    public boolean idempotenceEnabled() {
        return (Boolean) values.get(ENABLE_IDEMPOTENCE_CONFIG);
    }

    public int maxInFlightRequestsPerConnection() {
        return (Integer) values.get(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
    }

    public long lingerMs() {
        return (Long) values.get(LINGER_MS_CONFIG);
    }

    public int batchSize() {
        return (Integer) values.get(BATCH_SIZE_CONFIG);
    }

    public long bufferMemory() {
        return (Long) values.get(BUFFER_MEMORY_CONFIG);
    }

    public long maxBlockMs() {
        return (Long) values.get(MAX_BLOCK_MS_CONFIG);
    }

    /** Effective delivery timeout (raised to linger + request timeout if it was only defaulted lower). */
    public int deliveryTimeoutMs() {
        return (Integer) values.get(DELIVERY_TIMEOUT_MS_CONFIG);
    }

    public int requestTimeoutMs() {
        return (Integer) values.get(REQUEST_TIMEOUT_MS_CONFIG);
    }

    public long retryBackoffMs() {
        return (Long) values.get(RETRY_BACKOFF_MS_CONFIG);
    }

    public long retryBackoffMaxMs() {
        return (Long) values.get(RETRY_BACKOFF_MAX_MS_CONFIG);
    }

    public int maxRequestSize() {
        return (Integer) values.get(MAX_REQUEST_SIZE_CONFIG);
    }

    /** The transactional id, or null for a non-transactional producer. */
    public String transactionalId() {
        return (String) values.get(TRANSACTIONAL_ID_CONFIG);
    }

    public boolean transactional() {
        return transactionalId() != null;
    }

    public int transactionTimeoutMs() {
        return (Integer) values.get(TRANSACTION_TIMEOUT_CONFIG);
    }

    public PartitionerType partitioner() {
        return PartitionerType.parse((String) values.get(PARTITIONER_CONFIG));
    }

    public boolean partitionerIgnoreKeys() {
        return (Boolean) values.get(PARTITIONER_IGNORE_KEYS_CONFIG);
    }

    public boolean adaptivePartitioningEnabled() {
        return (Boolean) values.get(PARTITIONER_ADAPTIVE_PARTITIONING_ENABLE_CONFIG);
    }

    public long partitionerAvailabilityTimeoutMs() {
        return (Long) values.get(PARTITIONER_AVAILABILITY_TIMEOUT_MS_CONFIG);
    }

    @Override
    public String toString() {
        return "ProducerConfig" + values();
    }
}
