package dev.deliverycheck.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.producer.testkit.RecordingEvents;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;

/**
 * What the tests of {@link TransactionManager} and {@link SequenceHandler} share: a cluster, the
 * recorded events, batches, and the request/answer exchanges that bring a manager to a producer
 * id and a partition into its transaction, answered as the sender would pass them on.
 */
abstract class TransactionManagerFixture {
    static final ClusterMetadata CLUSTER = ClusterMetadata.of(3, "t", 4);
    /** Every broker has a free in-flight slot. */
    static final IntPredicate ANY_BROKER = broker -> true;
    static final TopicPartition P0 = new TopicPartition("t", 0);
    static final TopicPartition P1 = new TopicPartition("t", 1);
    final RecordingEvents recorded = new RecordingEvents();
    final ProducerEvents events = new ProducerEvents(100, recorded);
    final TestBatches batches = new TestBatches();

    TransactionManager transactional() {
        return new TransactionManager("tx-1", 60000, 100, CLUSTER, events);
    }

    TransactionManager idempotent() {
        return new TransactionManager(null, 60000, 100, CLUSTER, events);
    }

    ProducerBatch batch(TopicPartition tp, int records) {
        return batches.of(tp, records);
    }

    /** {@code tm} (transactional) initialised to producer id 5, epoch 0. */
    static TransactionManager initTransactional(TransactionManager tm) {
        return initTransactional(tm, 5, (short) 0);
    }

    static TransactionManager initTransactional(TransactionManager tm, long pid, short epoch) {
        CompletableFuture<Void> init = tm.initializeTransactions();
        TxnRequest r = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        assertThat(r.kind()).isEqualTo(TxnRequest.Kind.INIT_PRODUCER_ID);
        tm.requestHandler().handleResponse(r, new InitProducerIdResponse(1, Errors.NONE, pid, epoch), 0);
        assertThat(init).isCompleted();
        assertThat(tm.state()).isEqualTo(TransactionManager.State.READY);
        return tm;
    }

    /** {@code tm} (idempotent, not transactional) given producer id 42, epoch 0. */
    static TransactionManager initIdempotent(TransactionManager tm) {
        tm.bumpIdempotentEpochAndResetIdIfNeeded(tp -> false);
        TxnRequest r = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        tm.requestHandler().handleResponse(r, new InitProducerIdResponse(1, Errors.NONE, 42, (short) 0), 0);
        assertThat(tm.state()).isEqualTo(TransactionManager.State.READY);
        return tm;
    }

    static void addPartition(TransactionManager tm, TopicPartition tp) {
        tm.maybeAddPartition(tp);
        TxnRequest add = tm.requestHandler().nextRequest(false, 0, ANY_BROKER);
        assertThat(add.kind()).isEqualTo(TxnRequest.Kind.ADD_PARTITIONS);
        assertThat(add.partitions()).containsExactly(tp);
        tm.requestHandler().handleResponse(add, new AddPartitionsToTxnResponse(2, Errors.NONE), 0);
    }
}
