package dev.deliverycheck.check;

import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.CoordinatorPrepare;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ZombieFenced: once CoordinatorInitProducerId gave a transactional id's producer id epoch e,
 * nothing of an older epoch of that producer id happens any more — no BrokerAppend, no
 * CoordinatorPrepare(commit), no CoordinatorWriteMarker(COMMIT). Abort markers of an old epoch
 * are allowed: fencing aborts the zombie's transaction. A non-transactional init (null id)
 * fences nothing. The offenders of a late commit are the records it would commit: the producer
 * id's transactional appends since that partition's last marker.
 */
public final class ZombieFencedChecker implements InvariantChecker {

    @Override
    public Invariant invariant() {
        return Invariant.ZOMBIE_FENCED;
    }

    /** The newest epoch a transactional id's producer id was initialised with. */
    private record Fence(String transactionalId, short epoch) {
        String describe() {
            return "CoordinatorInitProducerId gave " + transactionalId + " epoch " + epoch;
        }
    }

    @Override
    public Verdict check(History history) {
        Map<Long, Fence> fences = new HashMap<>();
        Map<Long, Map<TopicPartition, List<Long>>> undecided = new HashMap<>();
        Offences offences = new Offences(invariant());
        int fenced = 0;
        for (Event event : history.fencingEvents()) {
            if (event instanceof CoordinatorInitProducerId init && init.transactionalId() != null) {
                Fence fence = fences.get(init.producerId());
                if (fence == null || init.producerEpoch() > fence.epoch()) {
                    fences.put(init.producerId(), new Fence(init.transactionalId(), init.producerEpoch()));
                }
                fenced++;
            } else if (event instanceof BrokerAppend append) {
                Fence fence = fences.get(append.producerId());
                if (fence != null && append.producerEpoch() < fence.epoch()) {
                    offences.add(append.recordIds(), () -> "BrokerAppend of records " + append.recordIds() + " to "
                            + append.topicPartition() + " by producer id " + append.producerId() + " with epoch "
                            + append.producerEpoch() + " after " + fence.describe());
                }
                if (append.transactional()) {
                    undecided.computeIfAbsent(append.producerId(), pid -> new LinkedHashMap<>())
                            .computeIfAbsent(append.topicPartition(), tp -> new ArrayList<>())
                            .addAll(append.recordIds());
                }
            } else if (event instanceof CoordinatorPrepare prepare && prepare.commit()) {
                Fence fence = fences.get(prepare.producerId());
                if (fence != null && prepare.producerEpoch() < fence.epoch()) {
                    List<Long> ids = new ArrayList<>();
                    undecided.getOrDefault(prepare.producerId(), Map.of()).values().forEach(ids::addAll);
                    offences.add(ids, () -> "CoordinatorPrepare(commit) of producer id " + prepare.producerId() + " with epoch "
                            + prepare.producerEpoch() + " after " + fence.describe());
                }
            } else if (event instanceof CoordinatorWriteMarker marker) {
                Map<TopicPartition, List<Long>> open = undecided.get(marker.producerId());
                List<Long> decided = open == null ? null : open.remove(marker.topicPartition());
                List<Long> ids = decided == null ? List.of() : decided;
                Fence fence = fences.get(marker.producerId());
                // A stale COMMIT marker that commits nothing (a resent marker of a transaction that was already
                // decided, delivered late) lets no zombie write in; only one that makes old-epoch data visible does.
                if (marker.type() == ControlType.COMMIT && fence != null && marker.producerEpoch() < fence.epoch()
                        && !ids.isEmpty()) {
                    offences.add(ids, () -> "CoordinatorWriteMarker(COMMIT) on " + marker.topicPartition() + " at offset "
                            + marker.offset() + " for producer id " + marker.producerId() + " with epoch "
                            + marker.producerEpoch() + " after " + fence.describe());
                }
            }
        }
        return offences.verdict("no append or commit of an older epoch after any of " + fenced
                + " transactional CoordinatorInitProducerId events");
    }
}
