package dev.deliverycheck.producer.errors;

import dev.deliverycheck.protocol.Errors;

/** A broker answered with an error the producer does not (or may no longer) retry. */
public class BrokerErrorException extends ProducerException {
    private static final long serialVersionUID = 1L;

    private final Errors error;

    public BrokerErrorException(Errors error, String message) {
        super(error.name() + (message == null || message.isEmpty() ? "" : ": " + message));
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}
