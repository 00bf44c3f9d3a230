package dev.deliverycheck.producer.errors;

/** The record belonged to a transaction that was aborted before the record was sent. */
public final class TransactionAbortedException extends ProducerException {
    private static final long serialVersionUID = 1L;

    public TransactionAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
