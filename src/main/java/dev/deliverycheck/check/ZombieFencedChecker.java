package dev.deliverycheck.check;

import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.CoordinatorPrepare;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.ProducerInitProducerId;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ZombieFenced, as the spec states it, by instance: once a producer instance of a transactional
 * id has initialised (ProducerInitProducerId), no record sent by an instance of that id that
 * initialised earlier (a zombie) is appended (BrokerAppend) or committed (CoordinatorPrepare of a
 * commit whose transaction holds it) -- whatever the epochs say, so a coordinator that hands two
 * instances the same epoch is caught. Which instance sent a record comes from ProducerSend;
 * histories without producer events (only broker observations) get the epoch-based part alone.
 *
 * <p>Epoch-based part (what a fencing coordinator must enforce): once CoordinatorInitProducerId gave a transactional id's producer id epoch e,
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
        Instances instances = new Instances();
        Map<Long, Map<TopicPartition, List<Long>>> undecided = new HashMap<>();
        Offences offences = new Offences(invariant());
        int fenced = 0;
        for (Event event : history.fencingEvents()) {
            instances.observe(event, offences, undecided);
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

    /**
     * The instance-based part: which instance sent each transactional record, and when each
     * instance initialised. An instance initialised at the coordinator's grant its
     * ProducerInitProducerId carries (the latest CoordinatorInitProducerId of that transactional
     * id, producer id and epoch), not when the answer arrived: an answer delayed past a newer
     * grant makes no instance newer. An instance is superseded once another instance of its
     * transactional id holds a later grant.
     */
    private static final class Instances {
        private record Grant(String transactionalId, long producerId, short epoch) {
        }

        private final Map<Grant, Integer> grants = new HashMap<>();
        private int grantCount;
        private final Map<Long, Integer> sender = new HashMap<>();
        private final Map<Integer, String> idOf = new HashMap<>();
        private final Map<Integer, Integer> rankOf = new HashMap<>();
        private final Map<String, Integer> newest = new HashMap<>();

        void observe(Event event, Offences offences, Map<Long, Map<TopicPartition, List<Long>>> undecided) {
            if (event instanceof CoordinatorInitProducerId init && init.transactionalId() != null) {
                grants.put(new Grant(init.transactionalId(), init.producerId(), init.producerEpoch()), ++grantCount);
            } else if (event instanceof ProducerInitProducerId init && init.transactionalId() != null) {
                int rank = grants.getOrDefault(new Grant(init.transactionalId(), init.producerId(), init.producerEpoch()),
                        grantCount);
                idOf.put(init.producer(), init.transactionalId());
                rankOf.put(init.producer(), rank);
                Integer current = newest.get(init.transactionalId());
                if (current == null || current == init.producer() || rankOf.get(current) < rank) {
                    newest.put(init.transactionalId(), init.producer());
                }
            } else if (event instanceof ProducerSend send) {
                sender.put(send.recordId(), send.producer());
            } else if (event instanceof BrokerAppend append) {
                List<Long> zombie = superseded(append.recordIds());
                if (!zombie.isEmpty()) {
                    int instance = sender.get(zombie.get(0));
                    offences.add(zombie, () -> "BrokerAppend of records " + zombie + " to " + append.topicPartition()
                            + " sent by producer instance " + instance + " after instance "
                            + newest.get(idOf.get(instance)) + " of " + idOf.get(instance) + " initialised");
                }
            } else if (event instanceof CoordinatorPrepare prepare && prepare.commit()) {
                List<Long> ids = new ArrayList<>();
                undecided.getOrDefault(prepare.producerId(), Map.of()).values().forEach(ids::addAll);
                List<Long> zombie = superseded(ids);
                if (!zombie.isEmpty()) {
                    int instance = sender.get(zombie.get(0));
                    offences.add(zombie, () -> "CoordinatorPrepare(commit) of producer id " + prepare.producerId()
                            + " commits records " + zombie + " of producer instance " + instance + " after instance "
                            + newest.get(idOf.get(instance)) + " of " + idOf.get(instance) + " initialised");
                }
            }
        }

        /** The records among {@code ids} whose sending instance is no longer the newest of its transactional id. */
        private List<Long> superseded(List<Long> ids) {
            List<Long> zombie = new ArrayList<>();
            for (long id : ids) {
                Integer instance = sender.get(id);
                String transactionalId = instance == null ? null : idOf.get(instance);
                if (transactionalId != null && !instance.equals(newest.get(transactionalId))) {
                    zombie.add(id);
                }
            }
            return zombie;
        }
    }
}
