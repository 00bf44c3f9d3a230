package dev.deliverycheck.producer.errors;

/** Base of every error the producer reports (Kafka's {@code KafkaException}). */
public class ProducerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProducerException(String message) {
        super(message);
    }

    public ProducerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "SimpleName: message", the form used in events. */
    public static String describe(Throwable t) {
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
