package dev.deliverycheck.wire.harness;

import dev.deliverycheck.check.Mode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;

/**
 * The real producer's settings for a run: a mode's preset (Kafka's names and values, as DESIGN.md's modes) or a
 * user's properties file, plus short timeouts so a run under faults ends in seconds. The mode the checkers
 * expect follows from the effective settings as Kafka itself resolves them ({@link ProducerConfig}, which also
 * rejects invalid combinations): a transactional.id means exactly-once, effective idempotence idempotent,
 * {@code retries=0} at-most-once, anything else at-least-once.
 */
public final class ProducerSettings {
    /** Settings the harness owns; a user's file may not set them. */
    private static final String[] HARNESS_KEYS = {ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.INTERCEPTOR_CLASSES_CONFIG};

    private final Map<String, Object> settings;
    private final Mode mode;
    private final String source;

    private ProducerSettings(Map<String, Object> settings, String source) {
        this.settings = Map.copyOf(settings);
        this.source = source;
        this.mode = expectedMode(settings);
    }

    /** The preset of {@code mode} with the harness's timeouts. */
    public static ProducerSettings preset(Mode mode) {
        Map<String, Object> p = timeouts();
        switch (mode) {
            case AT_MOST_ONCE -> {
                p.put(ProducerConfig.ACKS_CONFIG, "1");
                p.put(ProducerConfig.RETRIES_CONFIG, "0");
                p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
            }
            case AT_LEAST_ONCE -> {
                p.put(ProducerConfig.ACKS_CONFIG, "all");
                p.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
                p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
                p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
            }
            case IDEMPOTENT, EXACTLY_ONCE -> {
                p.put(ProducerConfig.ACKS_CONFIG, "all");
                p.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
                p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
                p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
                if (mode == Mode.EXACTLY_ONCE) {
                    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "deliverycheck");
                }
            }
            default -> throw new IllegalStateException("unreachable");
        }
        return new ProducerSettings(p, "the " + mode.cliName() + " preset");
    }

    /**
     * A user's producer properties file over the harness's timeouts; throws IllegalArgumentException with one line
     * naming the file and the problem when it cannot be read, sets a key the harness owns, or Kafka rejects it.
     */
    public static ProducerSettings fromFile(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read producer config " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed producer config " + file + ": " + e.getMessage());
        }
        for (String key : HARNESS_KEYS) {
            if (props.containsKey(key)) {
                throw new IllegalArgumentException("producer config " + file + " sets " + key
                        + ", which deliverycheck sets itself (the proxy, serializers and its record-id interceptor)");
            }
        }
        Map<String, Object> p = timeouts();
        props.stringPropertyNames().forEach(k -> p.put(k, props.getProperty(k).trim()));
        try {
            return new ProducerSettings(p, file.toString());
        } catch (KafkaException e) {
            throw new IllegalArgumentException("invalid producer config " + file + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> timeouts() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "8000");
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "500");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
        return p;
    }

    private static Mode expectedMode(Map<String, Object> settings) {
        Map<String, Object> check = new LinkedHashMap<>(settings);
        check.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        check.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringSerializer.class);
        check.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringSerializer.class);
        ProducerConfig config = new ProducerConfig(check);
        if (config.getString(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null) {
            return Mode.EXACTLY_ONCE;
        }
        if (config.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)) {
            return Mode.IDEMPOTENT;
        }
        return config.getInt(ProducerConfig.RETRIES_CONFIG) == 0 ? Mode.AT_MOST_ONCE : Mode.AT_LEAST_ONCE;
    }

    /** The mode whose column of the outcome matrix these settings are judged by. */
    public Mode mode() {
        return mode;
    }

    public String source() {
        return source;
    }

    public String transactionalId() {
        Object id = settings.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return id == null ? null : id.toString();
    }

    /** The settings (Kafka's names), without what the harness adds per producer. */
    public Map<String, Object> settings() {
        return settings;
    }
}
