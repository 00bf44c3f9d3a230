/**
 * Transactions: {@link dev.deliverycheck.broker.txn.TransactionCoordinator} with the state machine
 * of {@link dev.deliverycheck.broker.txn.TransactionState}, the durable
 * {@link dev.deliverycheck.broker.txn.TransactionLog} (with its cache,
 * {@link dev.deliverycheck.broker.txn.TransactionStateManager}), the marker channel
 * ({@link dev.deliverycheck.broker.txn.TransactionMarkerChannelManager}), and producer-id allocation unique across
 * brokers and restarts ({@link dev.deliverycheck.broker.txn.ProducerIdManager}).
 */
package dev.deliverycheck.broker.txn;
