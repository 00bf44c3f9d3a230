package dev.deliverycheck.producer.internals;

import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;

/**
 * A request the {@link TxnRequestHandler} queues for the sender, what one of Kafka's
 * {@code TxnRequestHandler}s stands for: InitProducerId, AddPartitionsToTxn or EndTxn. Kafka's priorities decide the order
 * (InitProducerId, then AddPartitions, then EndTxn; first come first served within one kind);
 * a retried request waits until {@link #notBeforeMs}.
 */
public final class TxnRequest implements Comparable<TxnRequest> {
    /** The request kinds in Kafka's priority order. */
    public enum Kind { INIT_PRODUCER_ID, ADD_PARTITIONS, END_TXN }

    private final Kind kind;
    private final long order;
    private final boolean epochBump;
    private final List<TopicPartition> partitions;
    private final boolean commit;
    private long notBeforeMs;
    private int attempts;

    private TxnRequest(Kind kind, long order, boolean epochBump, List<TopicPartition> partitions, boolean commit) {
        this.kind = kind;
        this.order = order;
        this.epochBump = epochBump;
        this.partitions = List.copyOf(partitions);
        this.commit = commit;
    }

    static TxnRequest initProducerId(long order, boolean epochBump) {
        return new TxnRequest(Kind.INIT_PRODUCER_ID, order, epochBump, List.of(), false);
    }

    static TxnRequest addPartitions(long order, List<TopicPartition> partitions) {
        return new TxnRequest(Kind.ADD_PARTITIONS, order, false, partitions, false);
    }

    static TxnRequest endTxn(long order, boolean commit) {
        return new TxnRequest(Kind.END_TXN, order, false, List.of(), commit);
    }

    public Kind kind() {
        return kind;
    }

    public boolean isEndTxn() {
        return kind == Kind.END_TXN;
    }

    /** An InitProducerId that bumps the epoch of this producer after an aborted transaction (KIP-360). */
    public boolean epochBump() {
        return epochBump;
    }

    public List<TopicPartition> partitions() {
        return partitions;
    }

    public boolean commit() {
        return commit;
    }

    public long notBeforeMs() {
        return notBeforeMs;
    }

    void retryAt(long timeMs) {
        attempts++;
        notBeforeMs = timeMs;
    }

    public int attempts() {
        return attempts;
    }

    @Override
    public int compareTo(TxnRequest o) {
        int c = kind.compareTo(o.kind);
        return c != 0 ? c : Long.compare(order, o.order);
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.END_TXN ? (commit ? "(commit)" : "(abort)") : "")
                + (kind == Kind.ADD_PARTITIONS ? partitions.toString() : "") + (epochBump ? "(epoch bump)" : "");
    }
}
