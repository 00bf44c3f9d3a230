package dev.deliverycheck.wire.harness;

/** The producer a real run drives: the real Java {@code KafkaProducer} 4.4.0, or deliverycheck's own over the wire. */
public enum Client {
    REAL("real", "real Java client"),
    OURS("ours", "deliverycheck's producer");

    private final String cliName;
    private final String description;

    Client(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** The client named {@code name} ("real" or "ours"); IllegalArgumentException otherwise. */
    public static Client named(String name) {
        for (Client c : values()) {
            if (c.cliName.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("--client must be real or ours, got '" + name + "'");
    }
}
