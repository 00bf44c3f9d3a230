package dev.deliverycheck.protocol;

public record InitProducerIdResponse(int correlationId, Errors error, long producerId, short producerEpoch)
        implements Response {
}
