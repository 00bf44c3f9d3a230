package dev.deliverycheck.producer.errors;

/** {@code buffer.memory} stayed exhausted for {@code max.block.ms}; the record was never accepted. */
public final class BufferExhaustedException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    public BufferExhaustedException(String message) {
        super(message);
    }
}
