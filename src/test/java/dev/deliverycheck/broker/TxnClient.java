package dev.deliverycheck.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A hand-driven transactional producer speaking the protocol to a {@link Cluster}, for coordinator tests. */
final class TxnClient {
    final Cluster cluster;
    final int id;
    final String transactionalId;
    final int coordinator;
    long producerId = -1;
    short epoch = -1;
    int timeoutMs = 60_000;
    private int correlation;
    private final Map<TopicPartition, Integer> sequences = new HashMap<>();

    TxnClient(Cluster cluster, int id, String transactionalId) {
        this.cluster = cluster;
        this.id = id;
        this.transactionalId = transactionalId;
        this.coordinator = cluster.metadata.coordinatorFor(transactionalId);
    }

    Errors init() {
        cluster.send(id, coordinator, new InitProducerIdRequest(++correlation, transactionalId, timeoutMs));
        cluster.deliverAll();
        InitProducerIdResponse r = cluster.lastResponse(id, InitProducerIdResponse.class);
        if (r.error() == Errors.NONE) {
            producerId = r.producerId();
            epoch = r.producerEpoch();
            sequences.clear();
        }
        return r.error();
    }

    Errors add(TopicPartition... partitions) {
        cluster.send(id, coordinator, new AddPartitionsToTxnRequest(++correlation, transactionalId, producerId, epoch,
                List.of(partitions), false));
        cluster.deliverAll();
        return cluster.lastResponse(id, AddPartitionsToTxnResponse.class).error();
    }

    /** The produce request for the next records on {@code tp}; the caller decides when it arrives. */
    ProduceRequest produceRequest(TopicPartition tp, long... recordIds) {
        int seq = sequences.getOrDefault(tp, 0);
        sequences.put(tp, seq + recordIds.length);
        RecordBatch b = Cluster.batch(tp, producerId, epoch, seq, true, recordIds);
        return new ProduceRequest(++correlation, transactionalId, (short) -1, 30_000, List.of(b));
    }

    Errors produce(TopicPartition tp, long... recordIds) {
        ProduceRequest r = produceRequest(tp, recordIds);
        cluster.leader(tp).receive(id, r);
        cluster.deliverAll();
        ProduceResponse response = cluster.lastResponse(id, ProduceResponse.class);
        assertThat(response.correlationId()).isEqualTo(r.correlationId());
        return response.results().get(tp).error();
    }

    /**
     * Sends EndTxn and delivers everything (markers included). Like a Kafka 4 client, takes the
     * producer id and epoch a successful answer hands out (KIP-890 part 2) and restarts its
     * sequences for them.
     */
    Errors end(boolean commit) {
        sendEnd(commit);
        cluster.deliverAll();
        return takeEndAnswer();
    }

    /** Reads the last EndTxn answer delivered, taking the producer id and epoch it hands out. */
    Errors takeEndAnswer() {
        EndTxnResponse r = cluster.lastResponse(id, EndTxnResponse.class);
        if (r.hasNewProducerIdAndEpoch()) {
            producerId = r.producerId();
            epoch = r.producerEpoch();
            sequences.clear();
        }
        return r.error();
    }

    /** Sends EndTxn without waiting for (or taking anything from) the answer. */
    void sendEnd(boolean commit) {
        cluster.send(id, coordinator, new EndTxnRequest(++correlation, transactionalId, producerId, epoch, commit));
    }
}
