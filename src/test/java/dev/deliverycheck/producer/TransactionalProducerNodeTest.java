package dev.deliverycheck.producer;

import static dev.deliverycheck.producer.NodeFixture.CLUSTER;
import static dev.deliverycheck.producer.NodeFixture.P0;
import static dev.deliverycheck.producer.NodeFixture.P1;
import static dev.deliverycheck.producer.NodeFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.deliverycheck.event.ProducerAddPartitions;
import dev.deliverycheck.event.ProducerBeginTxn;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerFenced;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.producer.errors.BufferExhaustedException;
import dev.deliverycheck.producer.errors.ProducerFencedException;
import dev.deliverycheck.producer.errors.TransactionAbortedException;
import dev.deliverycheck.producer.internals.TransactionManager.State;
import dev.deliverycheck.env.testkit.CapturingTransport;
import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The transactional producer node (issue 4): init, AddPartitions before data, EndTxn after data, fencing, aborts. */
class TransactionalProducerNodeTest {
    private static final int COORDINATOR = CLUSTER.coordinatorFor("tx-1");

    private static NodeFixture transactional() {
        return new NodeFixture("transactional.id", "tx-1", "linger.ms", 0, "retry.backoff.ms", 10);
    }

    private static void init(NodeFixture f, long pid, short epoch) {
        CompletableFuture<Void> init = f.node.initTransactions();
        f.node.poll();
        List<CapturingTransport.Sent> sent = f.transport.drainSent(InitProducerIdRequest.class);
        assertThat(sent).singleElement().satisfies(s -> {
            assertThat(s.destination()).isEqualTo(COORDINATOR);
            assertThat(((InitProducerIdRequest) s.message()).transactionalId()).isEqualTo("tx-1");
            assertThat(((InitProducerIdRequest) s.message()).transactionTimeoutMs()).isEqualTo(60000);
            assertThat(((InitProducerIdRequest) s.message()).hasProducerIdAndEpoch()).as("a new instance").isFalse();
        });
        f.node.receive(COORDINATOR, new InitProducerIdResponse(sent.get(0).message().correlationId(), Errors.NONE, pid, epoch));
        assertThat(init).isCompleted();
        assertThat(f.node.transactionState()).isEqualTo(State.READY);
    }

    private static AddPartitionsToTxnRequest answerAdd(NodeFixture f, Errors error) {
        f.node.poll();
        List<AddPartitionsToTxnRequest> adds = f.transport.drain(AddPartitionsToTxnRequest.class);
        assertThat(adds).hasSize(1);
        f.node.receive(COORDINATOR, new AddPartitionsToTxnResponse(adds.get(0).correlationId(), error));
        return adds.get(0);
    }

    private static EndTxnRequest answerEnd(NodeFixture f, Errors error) {
        f.settle();
        List<EndTxnRequest> ends = f.transport.drain(EndTxnRequest.class);
        assertThat(ends).hasSize(1);
        f.node.receive(COORDINATOR, new EndTxnResponse(ends.get(0).correlationId(), error));
        return ends.get(0);
    }

    @Test
    void sendNeedsInitAndABegunTransaction() {
        NodeFixture f = transactional();
        assertThatThrownBy(() -> f.send(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("initTransactions");
        init(f, 5, (short) 0);
        assertThatThrownBy(() -> f.send(0)).hasMessage("Cannot call send in state READY");
        assertThat(f.events.names()).doesNotContain("ProducerSend");
    }

    @Test
    void theNextTransactionWritesWithTheEpochTheEndTxnAnswerHandedOut() {
        NodeFixture f = transactional();
        init(f, 5, (short) 0);
        f.node.beginTransaction();
        f.send(0);
        f.send(0);
        answerAdd(f, Errors.NONE);
        f.pollProduce().forEach(s -> f.answer(s, Errors.NONE, 0));
        CompletableFuture<Void> commit = f.node.commitTransaction();
        f.settle();
        List<EndTxnRequest> ends = f.transport.drain(EndTxnRequest.class);
        assertThat(ends).singleElement().satisfies(e -> assertThat(e.producerEpoch()).isZero());
        f.node.receive(COORDINATOR, new EndTxnResponse(ends.get(0).correlationId(), Errors.NONE, 5, (short) 1));
        assertThat(commit).isCompleted();
        assertThat(f.events.of(ProducerEndTxnResult.class))
                .containsExactly(new ProducerEndTxnResult(100, 0, true, null, 5, (short) 1));

        f.node.beginTransaction();
        f.send(0);
        assertThat(answerAdd(f, Errors.NONE).producerEpoch()).isEqualTo((short) 1);
        List<CapturingTransport.Sent> produce = f.pollProduce();
        assertThat(produce).singleElement().satisfies(s -> assertThat(request(s).batches()).singleElement()
                .satisfies(b -> {
                    assertThat(b.producerEpoch()).as("the bumped epoch").isEqualTo((short) 1);
                    assertThat(b.baseSequence()).as("sequences restart for it").isZero();
                }));
    }

    @Test
    void aCommittedTransactionAddsItsPartitionsFirstAndEndsAfterItsData() {
        NodeFixture f = transactional();
        init(f, 5, (short) 0);
        f.node.beginTransaction();
        assertThat(f.events.of(ProducerBeginTxn.class)).containsExactly(new ProducerBeginTxn(100, 0));
        CompletableFuture<RecordMetadata> a = f.send(0);
        CompletableFuture<RecordMetadata> b = f.send(1);
        assertThat(f.events.of(ProducerSend.class)).extracting(ProducerSend::transactionIndex).containsExactly(0, 0);
        f.node.poll();
        assertThat(f.transport.drainSent(ProduceRequest.class)).as("no data before AddPartitions").isEmpty();
        AddPartitionsToTxnRequest add = answerAdd(f, Errors.NONE);
        assertThat(add.partitions()).containsExactly(P0, P1);
        assertThat(f.events.of(ProducerAddPartitions.class)).containsExactly(
                new ProducerAddPartitions(100, "tx-1", 5, (short) 0, List.of(P0, P1)));
        List<CapturingTransport.Sent> produce = f.pollProduce();
        assertThat(produce).hasSize(2);
        for (CapturingTransport.Sent s : produce) {
            assertThat(request(s).transactionalId()).isEqualTo("tx-1");
            assertThat(request(s).batches()).allMatch(RecordBatch::transactional);
        }
        CompletableFuture<Void> commit = f.node.commitTransaction();
        f.settle();
        assertThat(f.transport.drain(EndTxnRequest.class)).as("data still in flight").isEmpty();
        produce.forEach(s -> f.answer(s, Errors.NONE, 0));
        assertThat(a).isCompleted();
        assertThat(b).isCompleted();
        EndTxnRequest end = answerEnd(f, Errors.NONE);
        assertThat(end.commit()).isTrue();
        assertThat(commit).isCompleted();
        assertThat(f.node.transactionState()).isEqualTo(State.READY);
        assertThat(f.events.of(ProducerEndTxn.class)).containsExactly(new ProducerEndTxn(100, "tx-1", 5, (short) 0, 0, true));
        assertThat(f.events.of(ProducerEndTxnResult.class)).containsExactly(new ProducerEndTxnResult(100, 0, true, null, 5, (short) 0));
        f.node.beginTransaction();
        f.send(0);
        assertThat(answerAdd(f, Errors.NONE).partitions()).as("every transaction adds its partitions").containsExactly(P0);
    }

    @Test
    void commitFlushesLingeringRecords() {
        NodeFixture f = new NodeFixture("transactional.id", "tx-1", "linger.ms", 60_000);
        init(f, 5, (short) 0);
        f.node.beginTransaction();
        f.send(0);
        answerAdd(f, Errors.NONE);
        assertThat(f.pollProduce()).isEmpty();
        f.node.commitTransaction();
        assertThat(f.pollProduce()).hasSize(1);
    }

    @Test
    void abortFailsUnsentRecordsAndEndsWithEndTxnAbort() {
        NodeFixture f = transactional();
        init(f, 5, (short) 0);
        f.node.beginTransaction();
        f.send(0);
        answerAdd(f, Errors.NONE);
        CapturingTransport.Sent inFlight = f.pollProduce().get(0);
        f.node.beginFlush();
        CompletableFuture<RecordMetadata> unsent = f.send(1);
        CompletableFuture<Void> abort = f.node.abortTransaction();
        f.settle();
        assertThat(unsent).isCompletedExceptionally();
        assertThat(unsent.handle((v, e) -> e).join()).isInstanceOf(TransactionAbortedException.class);
        assertThat(f.transport.drain(EndTxnRequest.class)).as("the sent batch must complete first").isEmpty();
        f.answer(inFlight, Errors.NONE, 0);
        EndTxnRequest end = answerEnd(f, Errors.NONE);
        assertThat(end.commit()).isFalse();
        assertThat(abort).isCompleted();
        assertThat(f.events.of(ProducerEndTxnResult.class)).containsExactly(new ProducerEndTxnResult(100, 0, false, null, 5, (short) 0));
    }

    @Test
    void retriableCoordinatorErrorsAreRetriedWithBackoff() {
        NodeFixture f = transactional();
        init(f, 5, (short) 0);
        f.node.beginTransaction();
        f.send(0);
        answerAdd(f, Errors.COORDINATOR_NOT_AVAILABLE);
        f.node.poll();
        assertThat(f.transport.drain(AddPartitionsToTxnRequest.class)).isEmpty();
        f.clock.advanceBy(10);
        answerAdd(f, Errors.NONE);
        f.answer(f.pollProduce().get(0), Errors.NONE, 0);
        CompletableFuture<Void> commit = f.node.commitTransaction();
        answerEnd(f, Errors.CONCURRENT_TRANSACTIONS);
        assertThat(commit).isNotDone();
        f.clock.advanceBy(10);
        answerEnd(f, Errors.NONE);
        assertThat(commit).isCompleted();
        assertThat(f.events.of(ProducerEndTxn.class)).as("one per transmission").hasSize(2);
    }

    @Test
    void aFencedProducerFailsFatallyAndEverythingOutstandingFails() {
        NodeFixture f = transactional();
        init(f, 5, (short) 0);
        f.node.beginTransaction();
        f.send(0);
        CompletableFuture<RecordMetadata> other = f.send(1);
        answerAdd(f, Errors.NONE);
        List<CapturingTransport.Sent> produce = f.pollProduce();
        CapturingTransport.Sent toP0 = produce.stream().filter(s -> s.destination() == 0).findFirst().orElseThrow();
        f.answer(toP0, Errors.PRODUCER_FENCED, -1);
        assertThat(f.node.transactionState()).isEqualTo(State.FATAL_ERROR);
        assertThat(f.events.of(ProducerFenced.class)).containsExactly(new ProducerFenced(100, "tx-1", 5, (short) 0));
        f.node.poll();
        assertThat(other.handle((v, e) -> e).join()).isInstanceOf(ProducerFencedException.class);
        CompletableFuture<Void> commit = f.node.commitTransaction();
        assertThat(commit.handle((v, e) -> e).join()).isInstanceOf(ProducerFencedException.class);
        assertThat(f.node.abortTransaction()).isCompletedExceptionally();
        CompletableFuture<RecordMetadata> late = f.node.send(dev.deliverycheck.producer.testkit.Records.toPartition("t", 0, 99, "z"), null);
        assertThat(late).isCompletedExceptionally();
        f.settle();
        assertThat(f.transport.drainSent(ProduceRequest.class)).isEmpty();
    }

    @Test
    void aRecordThatNeverGetsBufferMemoryAddsNoPartitionToTheTransaction() {
        // Kafka's doSend registers the partition only after the accumulator took the record.
        NodeFixture f = new NodeFixture("transactional.id", "tx-1", "linger.ms", 0, "retry.backoff.ms", 10,
                "buffer.memory", 2000, "batch.size", 1000, "max.block.ms", 500);
        init(f, 5, (short) 0);
        f.node.beginTransaction();
        f.send(0);
        f.send(1);
        CompletableFuture<RecordMetadata> waiting = f.send(2);
        assertThat(f.node.memoryWaiterCount()).isEqualTo(1);
        f.node.poll();
        List<AddPartitionsToTxnRequest> adds = f.transport.drain(AddPartitionsToTxnRequest.class);
        assertThat(adds).singleElement().satisfies(a -> assertThat(a.partitions()).containsExactly(P0, P1));
        long guard = 0;
        while (!waiting.isDone() && guard++ < 10) {
            f.pollAtWakeup();
        }
        assertThat(waiting.handle((v, e) -> e).join()).isInstanceOf(BufferExhaustedException.class);
        f.node.poll();
        assertThat(f.transport.drain(AddPartitionsToTxnRequest.class)).as("partition 2 never joins").isEmpty();
    }

    @Test
    void anOldEpochOnAProduceAnswerIsAbortableNotFatal() {
        // KIP-588: Kafka's client treats INVALID_PRODUCER_EPOCH on a Produce answer as abortable.
        NodeFixture f = transactional();
        init(f, 5, (short) 0);
        f.node.beginTransaction();
        CompletableFuture<RecordMetadata> rejected = f.send(0);
        answerAdd(f, Errors.NONE);
        f.answer(f.pollProduce().get(0), Errors.INVALID_PRODUCER_EPOCH, -1);
        assertThat(rejected).isCompletedExceptionally();
        assertThat(rejected.handle((v, e) -> e).join()).isNotInstanceOf(ProducerFencedException.class)
                .hasMessageContaining("INVALID_PRODUCER_EPOCH");
        assertThat(f.node.transactionState()).isEqualTo(State.ABORTABLE_ERROR);
        assertThat(f.events.of(ProducerFenced.class)).isEmpty();
        CompletableFuture<Void> abort = f.node.abortTransaction();
        answerEnd(f, Errors.NONE);
        f.node.poll();
        List<CapturingTransport.Sent> reinit = f.transport.drainSent(InitProducerIdRequest.class);
        assertThat(reinit).hasSize(1);
        InitProducerIdRequest again = (InitProducerIdRequest) reinit.get(0).message();
        assertThat(again.producerId()).as("KIP-360: the identity held goes along").isEqualTo(5);
        assertThat(again.producerEpoch()).isZero();
        f.node.receive(COORDINATOR, new InitProducerIdResponse(again.correlationId(), Errors.NONE, 5, (short) 1));
        assertThat(abort).isCompleted();
        f.node.beginTransaction();
        assertThat(f.node.transactionState()).isEqualTo(State.IN_TRANSACTION);
    }

    @Test
    void anAbortableErrorLetsTheCallerAbortAndContinueUnderANewEpoch() {
        NodeFixture f = transactional();
        init(f, 5, (short) 0);
        f.node.beginTransaction();
        CompletableFuture<RecordMetadata> rejected = f.send(0);
        answerAdd(f, Errors.NONE);
        f.answer(f.pollProduce().get(0), Errors.INVALID_TXN_STATE, -1);
        assertThat(rejected).isCompletedExceptionally();
        assertThat(f.node.transactionState()).isEqualTo(State.ABORTABLE_ERROR);
        CompletableFuture<Void> commit = f.node.commitTransaction();
        assertThat(commit).isCompletedExceptionally();
        assertThat(f.events.of(ProducerEndTxnResult.class)).singleElement()
                .satisfies(e -> assertThat(e.error()).contains("error state"));
        CompletableFuture<Void> abort = f.node.abortTransaction();
        answerEnd(f, Errors.NONE);
        f.node.poll();
        List<CapturingTransport.Sent> reinit = f.transport.drainSent(InitProducerIdRequest.class);
        assertThat(reinit).as("a new epoch after a failed batch with a sequence").hasSize(1);
        f.node.receive(COORDINATOR, new InitProducerIdResponse(reinit.get(0).message().correlationId(), Errors.NONE, 5, (short) 1));
        assertThat(abort).isCompleted();
        f.node.beginTransaction();
        f.send(0);
        answerAdd(f, Errors.NONE);
        RecordBatch next = request(f.pollProduce().get(0)).batches().get(0);
        assertThat(next.producerEpoch()).isEqualTo((short) 1);
        assertThat(next.baseSequence()).isZero();
    }

    @Test
    void gracefulCloseAbortsAnOpenTransaction() {
        NodeFixture f = transactional();
        init(f, 5, (short) 0);
        f.node.beginTransaction();
        f.send(0);
        answerAdd(f, Errors.NONE);
        f.answer(f.pollProduce().get(0), Errors.NONE, 0);
        f.node.beginClose();
        assertThat(answerEnd(f, Errors.NONE).commit()).isFalse();
        f.settle();
        assertThat(f.node.isQuiescent()).isTrue();
    }

    /** Polls while the node says it is due; fails if it still is after a few polls (it would spin). */
    private static void pollUntilIdle(NodeFixture f) {
        for (int i = 0; i < 10 && f.node.nextWakeupMs() <= f.clock.milliseconds(); i++) {
            f.node.poll();
        }
        assertThat(f.node.nextWakeupMs()).as("due again after polls that could do nothing").isGreaterThan(f.clock.milliseconds());
    }

    /** Sends to {@code partition} and polls until max.in.flight (5) Produce requests are in flight to its leader. */
    private static List<CapturingTransport.Sent> fillInFlight(NodeFixture f, int partition, List<CapturingTransport.Sent> sent) {
        while (sent.size() < 5) {
            f.send(partition);
            sent.addAll(f.pollProduce());
        }
        assertThat(sent).allMatch(s -> s.destination() == CLUSTER.leaderFor(new TopicPartition("t", partition)));
        return sent;
    }

    @Test
    void aTransactionalRequestWaitingForAFreeSlotDoesNotKeepTheNodeDue() {
        // /work/bugs/exactly-once-crash-seed796: max.in.flight Produce requests to the coordinator, then a
        // new partition; AddPartitions cannot go out, and the node asked to be polled again at once, for ever
        NodeFixture f = transactional();
        init(f, 5, (short) 0);
        f.node.beginTransaction();
        int coordinatorLed = COORDINATOR;
        f.send(coordinatorLed);
        answerAdd(f, Errors.NONE);
        List<CapturingTransport.Sent> produce = fillInFlight(f, coordinatorLed, new ArrayList<>(f.pollProduce()));
        TopicPartition added = new TopicPartition("t", coordinatorLed + 2);
        f.send(added.partition());
        pollUntilIdle(f);
        assertThat(f.transport.drain(AddPartitionsToTxnRequest.class)).as("the coordinator has no free slot").isEmpty();

        f.answer(produce.get(0), Errors.NONE, 0);
        assertThat(f.node.nextWakeupMs()).as("an answer freed a slot").isEqualTo(f.clock.milliseconds());
        f.node.poll();
        assertThat(f.transport.drain(AddPartitionsToTxnRequest.class)).singleElement()
                .satisfies(a -> assertThat(a.partitions()).containsExactly(added));
    }

    @Test
    void aTransactionalRetryComingDueWhileTheCoordinatorIsBusyDoesNotKeepTheNodeDue() {
        // /work/bugs/nokip-seed1031: AddPartitions for a partition of the other broker waits for its retry;
        // when it comes due the coordinator has max.in.flight Produce requests unanswered
        NodeFixture f = transactional();
        init(f, 5, (short) 0);
        f.node.beginTransaction();
        int coordinatorLed = COORDINATOR;
        TopicPartition elsewhere = new TopicPartition("t", 1 - COORDINATOR);
        f.send(coordinatorLed);
        answerAdd(f, Errors.NONE);
        List<CapturingTransport.Sent> produce = new ArrayList<>(f.pollProduce());
        f.send(elsewhere.partition());
        assertThat(answerAdd(f, Errors.CONCURRENT_TRANSACTIONS).partitions()).containsExactly(elsewhere);
        fillInFlight(f, coordinatorLed, produce);
        pollUntilIdle(f);
        long retryAt = f.node.nextWakeupMs();
        assertThat(retryAt).isEqualTo(f.clock.milliseconds() + 10);

        f.clock.advanceTo(retryAt);
        pollUntilIdle(f);
        assertThat(f.transport.drain(AddPartitionsToTxnRequest.class)).as("the coordinator has no free slot").isEmpty();
        f.answer(produce.get(0), Errors.NONE, 0);
        f.node.poll();
        assertThat(f.transport.drain(AddPartitionsToTxnRequest.class)).singleElement()
                .satisfies(a -> assertThat(a.partitions()).containsExactly(elsewhere));
    }

    @Test
    void aCommitThatCanNoLongerSucceedFailsAtOnceSoAnAbortEndsTheTransaction() {
        // /work/bugs/nofence-seed374: commit waits for a batch in flight, the batch fails (abortable), the
        // caller aborts; the commit's EndTxn was still queued, went out first, and its answer tried READY -> READY
        NodeFixture f = transactional();
        init(f, 5, (short) 0);
        f.node.beginTransaction();
        CompletableFuture<RecordMetadata> rejected = f.send(0);
        answerAdd(f, Errors.NONE);
        CapturingTransport.Sent inFlight = f.pollProduce().get(0);
        CompletableFuture<Void> commit = f.node.commitTransaction();
        f.settle();
        f.answer(inFlight, Errors.INVALID_TXN_STATE, -1);
        assertThat(rejected).isCompletedExceptionally();
        assertThat(f.node.transactionState()).isEqualTo(State.ABORTABLE_ERROR);
        assertThat(commit).as("a transaction with a failed send cannot commit").isCompletedExceptionally();
        assertThat(commit.handle((v, e) -> e).join()).hasMessageContaining("INVALID_TXN_STATE");

        CompletableFuture<Void> abort = f.node.abortTransaction();
        EndTxnRequest end = answerEnd(f, Errors.NONE);
        assertThat(end.commit()).isFalse();
        f.node.poll();
        List<CapturingTransport.Sent> reinit = f.transport.drainSent(InitProducerIdRequest.class);
        assertThat(reinit).hasSize(1);
        f.node.receive(COORDINATOR, new InitProducerIdResponse(reinit.get(0).message().correlationId(), Errors.NONE, 5, (short) 1));
        f.settle();
        assertThat(abort).isCompleted();
        assertThat(f.node.transactionState()).isEqualTo(State.READY);
        assertThat(f.events.of(ProducerEndTxn.class)).extracting(ProducerEndTxn::commit).containsExactly(false);
        assertThat(f.events.of(ProducerEndTxnResult.class)).extracting(ProducerEndTxnResult::commit, e -> e.error() == null)
                .containsExactly(tuple(true, false), tuple(false, true));
    }
}
