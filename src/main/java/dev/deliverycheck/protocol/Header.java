package dev.deliverycheck.protocol;

import java.util.Arrays;
import java.util.Objects;

/** A record header, as in Kafka: a string key and an opaque value. */
public record Header(String key, byte[] value) {
    public Header {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }
}
