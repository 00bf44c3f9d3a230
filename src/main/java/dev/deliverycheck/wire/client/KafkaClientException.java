package dev.deliverycheck.wire.client;

/** The client cannot work with the broker it was pointed at; the message is one line naming the problem. */
public final class KafkaClientException extends RuntimeException {
    public KafkaClientException(String message) {
        super(message);
    }
}
