package dev.deliverycheck.event;

/**
 * Outcome of commitTransaction()/abortTransaction() as the caller sees it; {@code error} is null on
 * success. {@code producerId}/{@code producerEpoch} are what the producer holds afterwards: with
 * KIP-890 part 2 a successful EndTxn hands it a bumped epoch (or, on epoch exhaustion, a new
 * producer id at epoch 0), which its next transaction's batches carry; otherwise they are unchanged.
 */
public record ProducerEndTxnResult(int producer, int transactionIndex, boolean commit, String error, long producerId,
                                   short producerEpoch) implements Event {
}
