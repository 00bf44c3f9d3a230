/**
 * Transactions: {@link dev.deliverycheck.broker.txn.TransactionCoordinator} with the state machine
 * of {@link dev.deliverycheck.broker.txn.TransactionState}, the durable
 * {@link dev.deliverycheck.broker.txn.TransactionLog}, and producer-id allocation unique across
 * brokers and restarts ({@link dev.deliverycheck.broker.txn.ProducerIdManager}).
 */
package dev.deliverycheck.broker.txn;
