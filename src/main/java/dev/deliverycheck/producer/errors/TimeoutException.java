package dev.deliverycheck.producer.errors;

/**
 * A deadline passed: {@code delivery.timeout.ms} for a record, {@code max.block.ms} for a call
 * that waited. Indeterminate for a record that had been sent: it may still be in the log.
 */
public class TimeoutException extends ProducerException {
    private static final long serialVersionUID = 1L;

    public TimeoutException(String message) {
        super(message);
    }
}
