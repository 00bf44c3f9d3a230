package dev.deliverycheck.protocol;

public record AddPartitionsToTxnResponse(int correlationId, Errors error) implements Response {
}
