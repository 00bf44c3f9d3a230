package dev.deliverycheck.broker.log;

/**
 * Bytes that should hold a framed batch do not: a CRC mismatch, a length that does not fit, or a
 * payload that does not decode. Checked, because every reader of stored bytes must decide what to
 * do about corruption instead of serving it.
 */
public class CorruptBatchException extends Exception {
    public CorruptBatchException(String message) {
        super(message);
    }
}
