package dev.deliverycheck.broker;

import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.event.BrokerFlush;
import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The broker's group commit: one fsync per partition {@code flushLatencyMs} after its oldest
 * unflushed append, and the answers that wait for it. The partitions due together are fsynced with
 * one {@link Storage#flushAll} (concurrently on files, one by one in partition order on the
 * simulated disk), and none counts as flushed before all of them are durable.
 *
 * <p>Invariants: an answer leaves (through {@code sender}) only once every partition it reports a
 * success for is durable up to that success (its high watermark covers it) and no KIP-890
 * verification of it is outstanding, and it leaves once; answers to one node leave in the order
 * its requests arrived (Kafka mutes a connection until the answer to its previous request was
 * sent, and the client takes answers only for its oldest request in flight), so a complete answer
 * waits behind an earlier one that still waits for a flush; appended-but-unflushed data, which a
 * crash loses, was never acknowledged.
 */
final class GroupCommit {
    private final int brokerId;
    private final int flushLatencyMs;
    private final Collection<Partition> partitions;
    private final Storage storage;
    private final EventSink events;
    private final ToLongFunction<TopicPartition> highWatermark;
    private final Consumer<PendingReply> sender;
    private final List<PendingReply> pendingReplies = new ArrayList<>();
    /** When each partition's oldest unflushed append happened. */
    private final Map<Partition, Long> unflushedSince = new HashMap<>();

    /**
     * @param partitions    the broker's partitions, a live view in the order they are flushed
     * @param storage       the disk every partition's log is on
     * @param highWatermark a partition's durable log end
     * @param sender        sends a complete answer
     */
    GroupCommit(int brokerId, int flushLatencyMs, Collection<Partition> partitions, Storage storage, EventSink events,
                ToLongFunction<TopicPartition> highWatermark, Consumer<PendingReply> sender) {
        this.brokerId = brokerId;
        this.flushLatencyMs = flushLatencyMs;
        this.partitions = partitions;
        this.storage = storage;
        this.events = events;
        this.highWatermark = highWatermark;
        this.sender = sender;
    }

    /** {@code p} was appended to at {@code now}: its fsync is due {@code flushLatencyMs} after its oldest such append. */
    void appended(Partition p, long now) {
        unflushedSince.putIfAbsent(p, now);
    }

    /** Sends {@code reply} now if it awaits nothing and no earlier answer to its node is held, else holds it. */
    void track(PendingReply reply) {
        reply.settle(highWatermark);
        if (reply.complete() && !holdsAnswerTo(reply.destination)) {
            sender.accept(reply);
        } else {
            pendingReplies.add(reply);
        }
    }

    private boolean holdsAnswerTo(int destination) {
        for (PendingReply held : pendingReplies) {
            if (held.respond && held.destination == destination) {
                return true;
            }
        }
        return false;
    }

    /** Sends a held {@code reply}, and the answers held behind it, once they await nothing any more. */
    void releaseIfComplete(PendingReply reply) {
        if (pendingReplies.contains(reply)) {
            releaseReplies();
        }
    }

    /** BrokerFlush of every partition whose oldest unflushed append has waited {@code flushLatencyMs}. */
    void flushDue(long now) {
        flush(now - flushLatencyMs);
    }

    /**
     * BrokerFlush of every partition whose oldest unflushed append is at or before {@code appendedBy}: their
     * files are fsynced with one {@link Storage#flushAll}, and only then is any of them marked flushed (its high
     * watermark raised), so no answer can leave on the strength of an fsync that has not finished.
     */
    @SpecAction("BrokerFlush")
    void flush(long appendedBy) {
        List<Partition> due = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (Partition p : partitions) {
            Long since = unflushedSince.get(p);
            if (since != null && since > appendedBy) {
                continue;
            }
            unflushedSince.remove(p);
            List<String> unflushed = p.unflushedFiles();
            if (!unflushed.isEmpty()) {
                due.add(p);
                files.addAll(unflushed);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        storage.flushAll(files);
        for (Partition p : due) {
            if (p.flushed()) {
                events.emit(new BrokerFlush(brokerId, p.topicPartition(), p.logEndOffset()));
            }
        }
    }

    /**
     * Sends, in arrival order per node, every held answer that awaits nothing and no earlier held
     * answer. Sending can re-enter this class (an answer to the coordinator on this broker makes it
     * write and track a new answer), so the held list is scanned afresh after each send instead of
     * iterated across sends; a re-entrant {@link #track} still sees every answer not yet sent.
     */
    void releaseReplies() {
        for (int next = nextReleasable(); next >= 0; next = nextReleasable()) {
            sender.accept(pendingReplies.remove(next));
        }
    }

    /** The index of the first held answer that awaits nothing and no earlier held answer to its node, or -1. */
    private int nextReleasable() {
        Set<Integer> blocked = new HashSet<>();
        for (int i = 0; i < pendingReplies.size(); i++) {
            PendingReply reply = pendingReplies.get(i);
            reply.settle(highWatermark);
            if (reply.complete() && !blocked.contains(reply.destination)) {
                return i;
            }
            if (reply.respond) {
                blocked.add(reply.destination);
            }
        }
        return -1;
    }

    /** When the next fsync is due (at least {@code now}), or Long.MAX_VALUE if nothing is unflushed. */
    long nextFlushMs(long now) {
        long next = Long.MAX_VALUE;
        for (Partition p : partitions) {
            if (p.hasUnflushedData()) {
                next = Math.min(next, Math.max(now, unflushedSince.getOrDefault(p, now) + flushLatencyMs));
            }
        }
        return next;
    }

    /** Nothing appended but unflushed and no answer held. */
    boolean idle() {
        for (Partition p : partitions) {
            if (p.hasUnflushedData()) {
                return false;
            }
        }
        return pendingReplies.isEmpty();
    }
}
