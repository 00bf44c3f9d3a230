package dev.deliverycheck.producer.errors;

import dev.deliverycheck.protocol.Errors;

/** The broker saw a gap in this producer's sequence numbers and the producer could not resolve it. */
public final class OutOfOrderSequenceException extends BrokerErrorException {
    private static final long serialVersionUID = 1L;

    public OutOfOrderSequenceException(Errors error, String message) {
        super(error, message);
    }
}
