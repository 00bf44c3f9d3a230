package dev.deliverycheck.protocol;

public record EndTxnResponse(int correlationId, Errors error) implements Response {
}
