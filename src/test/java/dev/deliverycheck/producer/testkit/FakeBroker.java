package dev.deliverycheck.producer.testkit;

import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.Request;
import dev.deliverycheck.protocol.Response;
import dev.deliverycheck.protocol.Sequences;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small in-test broker with Kafka's idempotent append rules (5 cached batches per producer and
 * partition, duplicates answered with the original offset, gaps rejected, epochs fenced) and a
 * minimal transaction coordinator. Test code only — the project's real broker lives elsewhere.
 */
public final class FakeBroker {
    /** A stored record with the producer id of its batch. */
    public record Stored(long offset, long producerId, Record record) {
    }

    private record CachedBatch(int firstSeq, int lastSeq, long baseOffset) {
    }

    private static final class ProducerEntry {
        short epoch;
        final Deque<CachedBatch> batches = new ArrayDeque<>();
    }

    private final int id;
    private final AtomicLong producerIds;
    private final Map<TopicPartition, List<Stored>> logs = new HashMap<>();
    private final Map<TopicPartition, Map<Long, ProducerEntry>> producers = new HashMap<>();
    private final Map<String, long[]> transactional = new HashMap<>();

    /** @param producerIds shared by the brokers of a cluster so producer ids are unique */
    public FakeBroker(int id, AtomicLong producerIds) {
        this.id = id;
        this.producerIds = producerIds;
    }

    public int id() {
        return id;
    }

    /** The response to a request, if the request gets one. */
    public synchronized Optional<Response> handle(Request request) {
        if (request instanceof ProduceRequest p) {
            Map<TopicPartition, ProduceResponse.PartitionResult> results = new LinkedHashMap<>();
            for (RecordBatch b : p.batches()) {
                results.put(b.topicPartition(), append(b));
            }
            return p.acks() == 0 ? Optional.empty() : Optional.of(new ProduceResponse(p.correlationId(), results));
        }
        if (request instanceof InitProducerIdRequest r) {
            if (r.transactionalId() == null) {
                return Optional.of(new InitProducerIdResponse(r.correlationId(), Errors.NONE, producerIds.getAndIncrement(), (short) 0));
            }
            long[] state = transactional.computeIfAbsent(r.transactionalId(), k -> new long[] {producerIds.getAndIncrement(), -1});
            state[1]++;
            return Optional.of(new InitProducerIdResponse(r.correlationId(), Errors.NONE, state[0], (short) state[1]));
        }
        if (request instanceof AddPartitionsToTxnRequest r) {
            return Optional.of(new AddPartitionsToTxnResponse(r.correlationId(), checkEpoch(r.transactionalId(), r.producerEpoch())));
        }
        if (request instanceof EndTxnRequest r) {
            return Optional.of(new EndTxnResponse(r.correlationId(), checkEpoch(r.transactionalId(), r.producerEpoch())));
        }
        return Optional.empty();
    }

    private Errors checkEpoch(String transactionalId, short epoch) {
        long[] state = transactional.get(transactionalId);
        if (state == null) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        return epoch < state[1] ? Errors.PRODUCER_FENCED : Errors.NONE;
    }

    private ProduceResponse.PartitionResult append(RecordBatch b) {
        TopicPartition tp = b.topicPartition();
        List<Stored> log = logs.computeIfAbsent(tp, k -> new ArrayList<>());
        if (b.hasProducerId()) {
            Map<Long, ProducerEntry> byPid = producers.computeIfAbsent(tp, k -> new HashMap<>());
            ProducerEntry e = byPid.get(b.producerId());
            if (e == null) {
                if (b.baseSequence() != 0) {
                    return ProduceResponse.PartitionResult.error(Errors.UNKNOWN_PRODUCER_ID, "no state for producer " + b.producerId());
                }
                e = new ProducerEntry();
                e.epoch = b.producerEpoch();
                byPid.put(b.producerId(), e);
            } else if (b.producerEpoch() < e.epoch) {
                return ProduceResponse.PartitionResult.error(Errors.INVALID_PRODUCER_EPOCH, "epoch " + b.producerEpoch() + " < " + e.epoch);
            } else if (b.producerEpoch() > e.epoch) {
                if (b.baseSequence() != 0) {
                    return ProduceResponse.PartitionResult.error(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "new epoch must start at 0");
                }
                e.epoch = b.producerEpoch();
                e.batches.clear();
            } else {
                for (CachedBatch c : e.batches) {
                    if (c.firstSeq() == b.baseSequence() && c.lastSeq() == b.lastSequence()) {
                        return ProduceResponse.PartitionResult.ok(c.baseOffset());
                    }
                }
                int last = e.batches.isEmpty() ? -1 : e.batches.peekLast().lastSeq();
                if (b.baseSequence() != Sequences.increment(last, 1)) {
                    return ProduceResponse.PartitionResult.error(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                            "expected " + Sequences.increment(last, 1) + ", got " + b.baseSequence());
                }
            }
            e.batches.addLast(new CachedBatch(b.baseSequence(), b.lastSequence(), log.size()));
            if (e.batches.size() > 5) {
                e.batches.removeFirst();
            }
        }
        long base = log.size();
        for (Record r : b.records()) {
            log.add(new Stored(log.size(), b.producerId(), r));
        }
        return ProduceResponse.PartitionResult.ok(base);
    }

    public synchronized List<Stored> log(TopicPartition tp) {
        return List.copyOf(logs.getOrDefault(tp, List.of()));
    }

    public synchronized Map<TopicPartition, List<Stored>> logs() {
        Map<TopicPartition, List<Stored>> copy = new HashMap<>();
        logs.forEach((tp, l) -> copy.put(tp, List.copyOf(l)));
        return copy;
    }
}
