package dev.deliverycheck.wire.proxy;

import java.nio.ByteBuffer;

/**
 * One request the broker answered, as the proxy saw it: header, request body and response body (read-only
 * views). {@code delivered} is false when a fault step dropped the answer.
 */
public record Exchange(KafkaFrames.Header header, ByteBuffer requestBody, ByteBuffer responseBody, boolean delivered) {
    public Exchange {
        requestBody = requestBody.asReadOnlyBuffer();
        responseBody = responseBody.asReadOnlyBuffer();
    }
}
