package dev.deliverycheck.producer;

/**
 * An invalid producer configuration, Kafka's {@code ConfigException}. The message always names
 * the key, the offending value and the rule: {@code Invalid value V for configuration K: rule}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final transient Object value;

    public ConfigException(String key, Object value, String rule) {
        super("Invalid value " + value + " for configuration " + key + ": " + rule);
        this.key = key;
        this.value = value;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }

    /** The value given for it (as supplied, before parsing). */
    public Object value() {
        return value;
    }
}
