package dev.deliverycheck.producer.errors;

/** The producer was closed (forcefully, or its close timeout ran out) before the record completed. */
public final class ProducerClosedException extends ProducerException {
    private static final long serialVersionUID = 1L;

    public ProducerClosedException(String message) {
        super(message);
    }
}
