package dev.deliverycheck.producer.errors;

/** A record larger than {@code max.request.size} or {@code buffer.memory}; never sent. */
public final class RecordTooLargeException extends ProducerException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(String message) {
        super(message);
    }
}
