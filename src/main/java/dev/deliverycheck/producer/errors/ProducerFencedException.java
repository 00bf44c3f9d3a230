package dev.deliverycheck.producer.errors;

/**
 * Fatal: a newer producer with the same {@code transactional.id} has initialised (the coordinator
 * or a partition leader answered PRODUCER_FENCED or INVALID_PRODUCER_EPOCH). This instance is a
 * zombie; it can only be closed.
 */
public final class ProducerFencedException extends ProducerException {
    private static final long serialVersionUID = 1L;

    public ProducerFencedException(String message) {
        super(message);
    }
}
