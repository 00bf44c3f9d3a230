package dev.deliverycheck.broker.txn;

import dev.deliverycheck.broker.storage.Storage;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The coordinator's transaction metadata: the current {@link TransactionMetadata} of every
 * {@code transactional.id} it knows, over its durable {@link TransactionLog} (Kafka's
 * {@code TransactionStateManager}, which the coordinator and the marker channel share).
 *
 * <p>Invariant: the cache holds, per transactional id, exactly the last state written to the log;
 * a state enters the cache only after {@link TransactionLog#write} made it durable, so nothing
 * acts on a state a crash could take back, and a coordinator opened on the same storage starts
 * from the same states.
 */
final class TransactionStateManager {
    private final TransactionLog log;
    private final Map<String, TransactionMetadata> txns = new TreeMap<>();

    /** Opens (recovers) the transaction log on {@code storage} and loads its latest states. */
    TransactionStateManager(Storage storage) {
        this.log = new TransactionLog(storage);
        txns.putAll(log.entries());
    }

    /** The log itself, for the producer-id blocks reserved in it. */
    TransactionLog log() {
        return log;
    }

    /** Current metadata of a transactional id, or null if unknown. */
    TransactionMetadata get(String transactionalId) {
        return txns.get(transactionalId);
    }

    /** Durably logs {@code m}, then makes it the id's current state. */
    void write(TransactionMetadata m) {
        log.write(m);
        txns.put(m.transactionalId(), m);
    }

    /** Every known transaction's current state, ordered by transactional id (a live view: copy it to write while iterating). */
    Collection<TransactionMetadata> all() {
        return txns.values();
    }

    /** Bytes cut from a torn transaction-log tail on open. */
    long truncatedBytes() {
        return log.truncatedBytes();
    }
}
