package dev.deliverycheck.event;

/** Outcome of commitTransaction()/abortTransaction() as the caller sees it; {@code error} is null on success. */
public record ProducerEndTxnResult(int producer, int transactionIndex, boolean commit, String error) implements Event {
}
