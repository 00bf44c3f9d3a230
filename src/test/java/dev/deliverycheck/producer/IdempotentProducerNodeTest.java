package dev.deliverycheck.producer;

import static dev.deliverycheck.producer.NodeFixture.P0;
import static dev.deliverycheck.producer.NodeFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.ProducerBumpEpoch;
import dev.deliverycheck.event.ProducerInitProducerId;
import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.event.ProducerSendBatch;
import dev.deliverycheck.producer.errors.BrokerErrorException;
import dev.deliverycheck.producer.internals.TransactionManager;
import dev.deliverycheck.env.testkit.CapturingTransport;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.RecordBatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The idempotent producer node (issue 3): producer id, sequences, retries keeping them, gaps, epochs. */
class IdempotentProducerNodeTest {
    private static NodeFixture idempotent(Object... kv) {
        Object[] all = new Object[kv.length + 4];
        all[0] = "linger.ms";
        all[1] = 0;
        all[2] = "retry.backoff.ms";
        all[3] = 10;
        System.arraycopy(kv, 0, all, 4, kv.length);
        NodeFixture f = new NodeFixture(all);
        return f;
    }

    /** Answers the InitProducerId the node sends first. */
    private static void givePid(NodeFixture f, long pid) {
        f.node.poll();
        List<CapturingTransport.Sent> init = f.transport.drainSent(InitProducerIdRequest.class);
        assertThat(init).hasSize(1);
        assertThat(init.get(0).destination()).as("least broker id").isZero();
        InitProducerIdRequest req = (InitProducerIdRequest) init.get(0).message();
        assertThat(req.transactionalId()).isNull();
        f.node.receive(0, new InitProducerIdResponse(req.correlationId(), Errors.NONE, pid, (short) 0));
    }

    private static RecordBatch onlyBatch(CapturingTransport.Sent sent) {
        assertThat(request(sent).batches()).hasSize(1);
        return request(sent).batches().get(0);
    }

    @Test
    void initProducerIdComesBeforeAnyProduceRequest() {
        NodeFixture f = idempotent();
        f.send(0);
        f.node.poll();
        assertThat(f.transport.drainSent(ProduceRequest.class)).isEmpty();
        List<CapturingTransport.Sent> init = f.transport.drainSent(InitProducerIdRequest.class);
        assertThat(init).hasSize(1);
        assertThat(f.node.transactionState()).isEqualTo(TransactionManager.State.INITIALIZING);
        f.node.poll();
        assertThat(f.transport.size()).as("nothing else while InitProducerId is in flight").isZero();
        InitProducerIdRequest req = (InitProducerIdRequest) init.get(0).message();
        f.node.receive(0, new InitProducerIdResponse(req.correlationId(), Errors.NONE, 9, (short) 0));
        assertThat(f.events.of(ProducerInitProducerId.class)).containsExactly(new ProducerInitProducerId(100, null, 9, (short) 0));
        RecordBatch batch = onlyBatch(f.pollProduce().get(0));
        assertThat(batch.producerId()).isEqualTo(9);
        assertThat(batch.producerEpoch()).isZero();
        assertThat(batch.baseSequence()).isZero();
        assertThat(f.node.transactionState()).isEqualTo(TransactionManager.State.READY);
    }

    @Test
    void aLostInitProducerIdIsSentAgainAfterTheRequestTimeout() {
        NodeFixture f = idempotent("request.timeout.ms", 1000);
        f.send(0);
        f.node.poll();
        List<CapturingTransport.Sent> first = f.transport.drainSent(InitProducerIdRequest.class);
        assertThat(first).hasSize(1);
        List<CapturingTransport.Sent> again = List.of();
        for (int i = 0; i < 10 && again.isEmpty(); i++) {
            f.pollAtWakeup();
            again = f.transport.drainSent(InitProducerIdRequest.class);
        }
        assertThat(again).hasSize(1);
        assertThat(f.clock.milliseconds()).as("request.timeout.ms, then retry.backoff.ms").isEqualTo(2_010);
        assertThat(f.transport.disconnects()).as("the timed-out request's connection is closed, as Kafka does")
                .containsExactly(first.get(0).destination());
    }

    @Test
    void sequencesAreStampedAtDrainPerPartition() {
        NodeFixture f = idempotent();
        givePid(f, 9);
        for (int i = 0; i < 3; i++) {
            f.send(0);
            f.send(0);
            f.send(2);
            for (CapturingTransport.Sent s : f.pollProduce()) {
                for (RecordBatch b : request(s).batches()) {
                    assertThat(b.baseSequence()).isEqualTo(b.topicPartition().equals(P0) ? 2 * i : i);
                }
            }
        }
    }

    @Test
    void aRetryKeepsProducerIdEpochAndSequence() {
        NodeFixture f = idempotent("request.timeout.ms", 1000);
        givePid(f, 9);
        CompletableFuture<RecordMetadata> future = f.send(0);
        CapturingTransport.Sent first = f.pollProduce().get(0);
        f.clock.advanceBy(1000);
        f.node.poll();
        f.clock.advanceBy(100);
        CapturingTransport.Sent retry = f.pollProduce().get(0);
        assertThat(onlyBatch(retry)).isEqualTo(onlyBatch(first));
        ProducerSendBatch sent = f.events.of(ProducerSendBatch.class).get(0);
        ProducerRetry resent = f.events.of(ProducerRetry.class).get(0);
        assertThat(resent.baseSequence()).isEqualTo(sent.baseSequence());
        assertThat(resent.producerEpoch()).isEqualTo(sent.producerEpoch());
        assertThat(resent.attempt()).isEqualTo(1);
        f.answer(retry, Errors.NONE, 17);
        assertThat(future).isCompletedWithValue(new RecordMetadata("t", 0, 17));
    }

    @Test
    void whileAPartitionRetriesOnlyItsLowestSequenceIsSent() {
        NodeFixture f = idempotent("request.timeout.ms", 1000);
        givePid(f, 9);
        f.send(0);
        CapturingTransport.Sent a = f.pollProduce().get(0);
        f.send(0);
        CapturingTransport.Sent b = f.pollProduce().get(0);
        assertThat(onlyBatch(b).baseSequence()).isEqualTo(1);
        f.clock.advanceBy(1000);
        f.node.poll();
        f.clock.advanceBy(100);
        List<CapturingTransport.Sent> resent = f.pollProduce();
        assertThat(resent).hasSize(1);
        assertThat(onlyBatch(resent.get(0)).baseSequence()).isZero();
        f.settle();
        assertThat(f.transport.drainSent(ProduceRequest.class)).as("b waits for a").isEmpty();
        f.answer(resent.get(0), Errors.NONE, 0);
        CapturingTransport.Sent bAgain = f.pollProduce().get(0);
        assertThat(onlyBatch(bAgain).baseSequence()).isEqualTo(1);
        assertThat(request(a).correlationId()).isNotEqualTo(request(bAgain).correlationId());
    }

    @Test
    void duplicatesAreSuccesses() {
        NodeFixture f = idempotent();
        givePid(f, 9);
        CompletableFuture<RecordMetadata> first = f.send(0);
        f.answer(f.pollProduce().get(0), Errors.DUPLICATE_SEQUENCE_NUMBER, -1);
        assertThat(first).isCompletedWithValue(new RecordMetadata("t", 0, -1));
    }

    @Test
    void outOfOrderWhileAnEarlierBatchIsOutstandingIsRetriedUnderTheSameEpoch() {
        NodeFixture f = idempotent();
        givePid(f, 9);
        CompletableFuture<RecordMetadata> a = f.send(0);
        CapturingTransport.Sent reqA = f.pollProduce().get(0);
        CompletableFuture<RecordMetadata> b = f.send(0);
        CapturingTransport.Sent reqB = f.pollProduce().get(0);
        f.answer(reqB, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
        f.answer(reqA, Errors.NONE, 0);
        f.clock.advanceBy(100);
        CapturingTransport.Sent again = f.pollProduce().get(0);
        assertThat(onlyBatch(again).baseSequence()).isEqualTo(1);
        assertThat(onlyBatch(again).producerEpoch()).isZero();
        f.answer(again, Errors.NONE, 1);
        assertThat(a).isCompleted();
        assertThat(b).isCompleted();
        assertThat(f.events.of(ProducerBumpEpoch.class)).isEmpty();
    }

    @Test
    void anUnresolvableGapBumpsTheEpochAndRestartsTheSequenceAtZero() {
        NodeFixture f = idempotent();
        givePid(f, 9);
        f.send(0);
        f.answer(f.pollProduce().get(0), Errors.NONE, 0);
        CompletableFuture<RecordMetadata> second = f.send(0);
        CapturingTransport.Sent req = f.pollProduce().get(0);
        assertThat(onlyBatch(req).baseSequence()).isEqualTo(1);
        f.answer(req, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
        f.settle();
        f.clock.advanceBy(100);
        CapturingTransport.Sent retried = f.pollProduce().get(0);
        assertThat(f.events.of(ProducerBumpEpoch.class)).containsExactly(new ProducerBumpEpoch(100, 9, (short) 1));
        assertThat(onlyBatch(retried).producerEpoch()).isEqualTo((short) 1);
        assertThat(onlyBatch(retried).baseSequence()).isZero();
        f.answer(retried, Errors.NONE, 1);
        assertThat(second).isCompleted();
        f.send(0);
        assertThat(onlyBatch(f.pollProduce().get(0)).baseSequence()).isEqualTo(1);
    }

    @Test
    void invalidProducerEpochFailsTheRecordAndTheProducerMovesToANewEpoch() {
        NodeFixture f = idempotent();
        givePid(f, 9);
        CompletableFuture<RecordMetadata> rejected = f.send(0);
        f.answer(f.pollProduce().get(0), Errors.INVALID_PRODUCER_EPOCH, -1);
        assertThat(rejected).isCompletedExceptionally();
        assertThat(rejected.handle((v, e) -> e).join()).isInstanceOf(BrokerErrorException.class)
                .hasMessageContaining("INVALID_PRODUCER_EPOCH");
        f.settle();
        f.send(0);
        RecordBatch next = onlyBatch(f.pollProduce().get(0));
        assertThat(next.producerEpoch()).isEqualTo((short) 1);
        assertThat(next.baseSequence()).isZero();
        assertThat(f.node.transactionState()).isEqualTo(TransactionManager.State.READY);
    }

    /**
     * Issue 14 rule 2 (failed before: b's acknowledgement completed a as "implied written", offset
     * -1, and a was never retried): a waits for its own answer, its retry goes first and is
     * answered as the duplicate it is.
     */
    @Test
    void anAckForALaterBatchLeavesTheEarlierBatchToItsOwnRetry() {
        NodeFixture f = idempotent("request.timeout.ms", 1000);
        givePid(f, 9);
        CompletableFuture<RecordMetadata> a = f.send(0);
        f.pollProduce();
        CompletableFuture<RecordMetadata> b = f.send(0);
        CapturingTransport.Sent reqB = f.pollProduce().get(0);
        f.answer(reqB, Errors.NONE, 1);
        assertThat(b).isCompletedWithValue(new RecordMetadata("t", 0, 1));
        assertThat(a).as("no answer for a yet").isNotDone();
        f.clock.advanceBy(1000);
        f.settle();
        f.clock.advanceBy(100);
        List<CapturingTransport.Sent> retried = f.pollProduce();
        assertThat(retried).hasSize(1);
        assertThat(onlyBatch(retried.get(0)).baseSequence()).as("a, the first in flight, is retried").isZero();
        f.answer(retried.get(0), Errors.DUPLICATE_SEQUENCE_NUMBER, -1);
        assertThat(a).isCompletedWithValue(new RecordMetadata("t", 0, -1));
        assertThat(f.events.of(ProducerBumpEpoch.class)).isEmpty();
    }
}
