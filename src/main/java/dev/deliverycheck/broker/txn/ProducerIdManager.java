package dev.deliverycheck.broker.txn;

/**
 * Hands out producer ids unique across brokers and restarts: broker {@code b} issues
 * {@code b + n * 1000} for n = 0, 1, 2, ... Numbers are reserved in blocks of {@value #BLOCK}
 * in the {@link TransactionLog} before any id of the block is handed out, so after a crash the
 * broker continues with the next block and never reuses an id (the rest of the block is skipped).
 */
public final class ProducerIdManager {
    /** Broker ids must be below this so the id spaces of brokers do not overlap. */
    public static final int MAX_BROKERS = 1000;
    static final int BLOCK = 100;

    private final int brokerId;
    private final TransactionLog log;
    private long next;
    private long blockEnd;

    public ProducerIdManager(int brokerId, TransactionLog log) {
        if (brokerId < 0 || brokerId >= MAX_BROKERS) {
            throw new IllegalArgumentException("broker id must be in [0, " + MAX_BROKERS + "), was " + brokerId);
        }
        this.brokerId = brokerId;
        this.log = log;
        this.next = log.reservedBlocks() * BLOCK;
        this.blockEnd = next;
    }

    public long nextProducerId() {
        if (next == blockEnd) {
            next = log.reserveBlock() * BLOCK;
            blockEnd = next + BLOCK;
        }
        long n = next++;
        return brokerId + n * MAX_BROKERS;
    }
}
