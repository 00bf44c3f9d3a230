package dev.deliverycheck.producer;

import static dev.deliverycheck.producer.NodeFixture.P0;
import static dev.deliverycheck.producer.NodeFixture.P1;
import static dev.deliverycheck.producer.NodeFixture.P2;
import static dev.deliverycheck.producer.NodeFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.event.ProducerSendBatch;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.producer.errors.BrokerErrorException;
import dev.deliverycheck.producer.errors.BufferExhaustedException;
import dev.deliverycheck.producer.errors.ProducerClosedException;
import dev.deliverycheck.producer.errors.RecordTooLargeException;
import dev.deliverycheck.producer.errors.TimeoutException;
import dev.deliverycheck.producer.partitioner.HashPartitioner;
import dev.deliverycheck.env.testkit.CapturingTransport;
import dev.deliverycheck.producer.testkit.Records;
import dev.deliverycheck.producer.testkit.RecordingEvents;
import dev.deliverycheck.producer.testkit.ScriptedRandom;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The producer node without idempotence: the send path, acks, retries, timeouts, ordering, memory. */
class ProducerNodeTest {
    private static NodeFixture plain(Object... kv) {
        Object[] all = new Object[kv.length + 2];
        all[0] = "enable.idempotence";
        all[1] = false;
        System.arraycopy(kv, 0, all, 2, kv.length);
        return new NodeFixture(all);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRecordLingersThenGoesOutInABatchAndItsFutureGetsTheOffset() {
        NodeFixture f = plain();
        CompletableFuture<RecordMetadata> future = f.send(0);
        assertThat(f.events.of(ProducerSend.class)).containsExactly(new ProducerSend(100, 0, P0, -1));
        assertThat(f.node.nextWakeupMs()).isEqualTo(1_000);
        assertThat(f.pollProduce()).as("linger.ms=5 has not passed").isEmpty();
        assertThat(f.node.nextWakeupMs()).isEqualTo(1_005);
        f.clock.advanceTo(1_005);
        List<CapturingTransport.Sent> sent = f.pollProduce();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).destination()).isZero();
        ProduceRequest req = request(sent.get(0));
        assertThat(req.acks()).isEqualTo((short) -1);
        assertThat(req.timeoutMs()).isEqualTo(30000);
        assertThat(req.transactionalId()).isNull();
        assertThat(req.batches()).hasSize(1);
        RecordBatch batch = req.batches().get(0);
        assertThat(batch.producerId()).isEqualTo(RecordBatch.NO_PRODUCER_ID);
        assertThat(batch.recordIds()).containsExactly(0L);
        assertThat(f.events.of(ProducerSendBatch.class)).containsExactly(
                new ProducerSendBatch(100, 0, req.correlationId(), P0, -1, (short) -1, -1, List.of(0L)));
        f.answer(sent.get(0), Errors.NONE, 41);
        assertThat(future).isCompletedWithValue(new RecordMetadata("t", 0, 41));
        assertThat(f.events.of(ProducerSendAcked.class)).containsExactly(new ProducerSendAcked(100, 0, P0, 41));
        assertThat(f.node.hasIncomplete()).isFalse();
    }

    @Test
    void recordsOfABatchGetConsecutiveOffsetsAndCallbacksRunInOrder() {
        NodeFixture f = plain("linger.ms", 0);
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            f.node.send(Records.toPartition("t", 1, i, "v" + i), (md, e) -> offsets.add(md.offset()));
        }
        List<CapturingTransport.Sent> sent = f.pollProduce();
        assertThat(sent).hasSize(1);
        assertThat(request(sent.get(0)).batches().get(0).recordCount()).isEqualTo(3);
        f.answer(sent.get(0), Errors.NONE, 7);
        assertThat(offsets).containsExactly(7L, 8L, 9L);
    }

    @Test
    void keyedRecordsGoWhereKafkaWouldPutThem() {
        NodeFixture f = plain("linger.ms", 0);
        for (int i = 0; i < 20; i++) {
            String key = "key-" + i;
            f.node.send(Records.keyed("t", i, key, "v"), null);
            int expected = HashPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), 4);
            assertThat(f.events.of(ProducerSend.class).get(i).topicPartition()).isEqualTo(new TopicPartition("t", expected));
        }
    }

    @Test
    void acksZeroCompletesAtOnceWithoutAnOffset() {
        NodeFixture f = plain("acks", "0", "linger.ms", 0);
        CompletableFuture<RecordMetadata> future = f.send(1);
        List<CapturingTransport.Sent> sent = f.pollProduce();
        assertThat(request(sent.get(0)).acks()).isZero();
        assertThat(future).isCompletedWithValue(new RecordMetadata("t", 1, -1));
        assertThat(f.events.of(ProducerSendAcked.class)).containsExactly(new ProducerSendAcked(100, 0, P1, -1));
        assertThat(f.node.isQuiescent()).isTrue();
    }

    @Test
    void acksOneIsCarriedInTheRequest() {
        NodeFixture f = plain("acks", "1", "linger.ms", 0);
        f.send(0);
        assertThat(request(f.pollProduce().get(0)).acks()).isEqualTo((short) 1);
    }

    @Test
    void retriableErrorsAreRetriedWithExponentialBackoff() {
        NodeFixture f = plain("linger.ms", 0, "retry.backoff.ms", 100, "retry.backoff.max.ms", 1000);
        CompletableFuture<RecordMetadata> future = f.send(0);
        List<Long> sendTimes = new ArrayList<>();
        for (int attempt = 0; attempt < 4; attempt++) {
            f.settle();
            List<CapturingTransport.Sent> sent = f.transport.drainSent(ProduceRequest.class);
            while (sent.isEmpty()) {
                f.pollAtWakeup();
                sent = f.transport.drainSent(ProduceRequest.class);
            }
            sendTimes.add(f.clock.milliseconds());
            f.answer(sent.get(0), attempt < 3 ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.NONE, 5);
        }
        assertThat(sendTimes).containsExactly(1_000L, 1_100L, 1_300L, 1_700L);
        assertThat(future).isCompletedWithValue(new RecordMetadata("t", 0, 5));
        assertThat(f.events.of(ProducerRetry.class)).extracting(ProducerRetry::attempt).containsExactly(1, 2, 3);
    }

    @Test
    void aNonRetriableErrorFailsTheRecord() {
        NodeFixture f = plain("linger.ms", 0);
        CompletableFuture<RecordMetadata> future = f.send(0);
        f.answer(f.pollProduce().get(0), Errors.MESSAGE_TOO_LARGE, -1);
        assertThat(failure(future)).isInstanceOf(BrokerErrorException.class).hasMessageContaining("MESSAGE_TOO_LARGE");
        assertThat(f.events.of(ProducerSendFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.error()).startsWith("BrokerErrorException: MESSAGE_TOO_LARGE"));
    }

    @Test
    void whenRetriesRunOutTheLastErrorIsReported() {
        NodeFixture f = plain("linger.ms", 0, "retries", 1, "retry.backoff.ms", 10);
        CompletableFuture<RecordMetadata> future = f.send(0);
        f.answer(f.pollProduce().get(0), Errors.NOT_ENOUGH_REPLICAS, -1);
        f.clock.advanceBy(10);
        f.answer(f.pollProduce().get(0), Errors.NOT_ENOUGH_REPLICAS, -1);
        assertThat(failure(future)).isInstanceOf(BrokerErrorException.class).hasMessageContaining("NOT_ENOUGH_REPLICAS");
    }

    @Test
    void atMostOnceNeverRetries() {
        NodeFixture f = new NodeFixture(DeliveryMode.AT_MOST_ONCE.preset().entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray());
        CompletableFuture<RecordMetadata> future = f.send(0);
        f.clock.advanceBy(5);
        f.pollProduce();
        f.clock.advanceBy(30_000);
        f.node.poll();
        assertThat(failure(future)).isInstanceOf(BrokerErrorException.class).hasMessageContaining("NETWORK_EXCEPTION");
        assertThat(f.transport.drainSent(ProduceRequest.class)).isEmpty();
    }

    @Test
    void aRequestWithoutAnswerTimesOutIsRetriedAndItsLateAnswerIsIgnored() {
        NodeFixture f = plain("linger.ms", 0, "request.timeout.ms", 1000, "retry.backoff.ms", 100);
        CompletableFuture<RecordMetadata> future = f.send(0);
        CapturingTransport.Sent first = f.pollProduce().get(0);
        f.settle();
        assertThat(f.node.nextWakeupMs()).isEqualTo(2_000);
        f.clock.advanceTo(2_000);
        assertThat(f.pollProduce()).as("failed, now in retry backoff").isEmpty();
        f.clock.advanceTo(2_100);
        CapturingTransport.Sent second = f.pollProduce().get(0);
        assertThat(request(second).correlationId()).isNotEqualTo(request(first).correlationId());
        assertThat(request(second).batches()).isEqualTo(request(first).batches());
        f.answer(first, Errors.NONE, 99);
        assertThat(future).as("stale answer ignored").isNotDone();
        f.answer(second, Errors.NONE, 3);
        assertThat(future).isCompletedWithValue(new RecordMetadata("t", 0, 3));
    }

    @Test
    void aClosedConnectionFailsItsRequestsAtOnceAndTheyAreRetried() {
        NodeFixture f = plain("linger.ms", 0, "retry.backoff.ms", 100);
        CompletableFuture<RecordMetadata> future = f.send(0);
        CapturingTransport.Sent first = f.pollProduce().get(0);
        f.node.disconnected(0);
        assertThat(f.node.nextWakeupMs()).isEqualTo(f.clock.milliseconds());
        f.settle();
        assertThat(f.node.nextWakeupMs()).as("retry backoff").isEqualTo(1_100);
        f.clock.advanceTo(1_100);
        CapturingTransport.Sent retry = f.pollProduce().get(0);
        f.answer(first, Errors.NONE, 1);
        assertThat(future).as("the answer on the closed connection is stale").isNotDone();
        f.answer(retry, Errors.NONE, 2);
        assertThat(future).isCompletedWithValue(new RecordMetadata("t", 0, 2));
    }

    @Test
    void aTimedOutRequestFailsEveryRequestToThatBroker() {
        NodeFixture f = plain("linger.ms", 0, "request.timeout.ms", 1000);
        f.send(0);
        f.pollProduce();
        f.clock.advanceBy(500);
        f.send(2);
        f.pollProduce();
        CompletableFuture<RecordMetadata> other = f.send(1);
        List<CapturingTransport.Sent> toBroker1 = f.pollProduce();
        f.clock.advanceTo(2_000);
        f.node.poll();
        f.answer(toBroker1.get(0), Errors.NONE, 0);
        assertThat(other).as("broker 1's request is unaffected").isCompleted();
        f.clock.advanceBy(1_000);
        List<CapturingTransport.Sent> resent = f.pollProduce();
        assertThat(resent).hasSize(1);
        assertThat(request(resent.get(0)).batches()).extracting(RecordBatch::topicPartition).containsExactlyInAnyOrder(P0, P2);
    }

    @Test
    void deliveryTimeoutExpiresInFlightAndQueuedBatchesWithAClearError() {
        NodeFixture f = plain("linger.ms", 0, "request.timeout.ms", 10_000, "delivery.timeout.ms", 15_000,
                "max.in.flight.requests.per.connection", 1);
        CompletableFuture<RecordMetadata> inFlight = f.send(0);
        f.pollProduce();
        CompletableFuture<RecordMetadata> queued = f.send(2);
        assertThat(f.pollProduce()).as("one request per broker in flight").isEmpty();
        long guard = 0;
        while (!queued.isDone() && guard++ < 100) {
            f.pollAtWakeup();
        }
        assertThat(f.clock.milliseconds()).isEqualTo(16_000);
        assertThat(failure(inFlight)).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Expiring 1 record(s) for t-0")
                .hasMessageContaining("delivery.timeout.ms=15000");
        assertThat(failure(queued)).isInstanceOf(TimeoutException.class).hasMessageContaining("t-2");
    }

    @Test
    void maxInFlightOneKeepsThePartitionsOrderThroughRetries() {
        NodeFixture f = plain("linger.ms", 0, "max.in.flight.requests.per.connection", 1, "retry.backoff.ms", 50);
        List<Long> acked = new ArrayList<>();
        f.node.send(Records.toPartition("t", 0, 1, "a"), (md, e) -> acked.add(1L));
        CapturingTransport.Sent a = f.pollProduce().get(0);
        f.node.send(Records.toPartition("t", 0, 2, "b"), (md, e) -> acked.add(2L));
        assertThat(f.pollProduce()).as("partition muted while a is in flight").isEmpty();
        f.answer(a, Errors.REQUEST_TIMED_OUT, -1);
        f.clock.advanceBy(50);
        List<CapturingTransport.Sent> retry = f.pollProduce();
        assertThat(request(retry.get(0)).batches().get(0).recordIds()).containsExactly(1L);
        f.answer(retry.get(0), Errors.NONE, 0);
        CapturingTransport.Sent b = f.pollProduce().get(0);
        assertThat(request(b).batches().get(0).recordIds()).containsExactly(2L);
        f.answer(b, Errors.NONE, 1);
        assertThat(acked).containsExactly(1L, 2L);
    }

    @Test
    void atMostMaxInFlightRequestsPerBroker() {
        NodeFixture f = plain("linger.ms", 0, "max.in.flight.requests.per.connection", 2);
        for (int i = 0; i < 4; i++) {
            f.send(i % 2 == 0 ? 0 : 2);
            f.node.poll();
        }
        assertThat(f.node.nextWakeupMs()).isGreaterThan(f.clock.milliseconds());
        assertThat(f.transport.drainSent(ProduceRequest.class)).hasSize(2);
    }

    @Test
    void exhaustedBufferMemoryMakesTheSendWaitThenFailAfterMaxBlockMs() {
        NodeFixture f = plain("buffer.memory", 2000, "batch.size", 1000, "max.block.ms", 500);
        f.send(0);
        f.send(1);
        CompletableFuture<RecordMetadata> waiting = f.send(2);
        assertThat(f.node.memoryWaiterCount()).isEqualTo(1);
        assertThat(waiting).isNotDone();
        f.node.poll();
        f.transport.drain();
        long guard = 0;
        while (!waiting.isDone() && guard++ < 10) {
            f.pollAtWakeup();
        }
        assertThat(f.clock.milliseconds()).isEqualTo(1_500);
        assertThat(failure(waiting)).isInstanceOf(BufferExhaustedException.class)
                .hasMessageStartingWith("Buffer memory exhausted")
                .hasMessageContaining("max.block.ms")
                .hasMessageContaining("Total memory: 2000 bytes");
        assertThat(f.events.of(ProducerSendFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.error()).startsWith("BufferExhaustedException: Buffer memory exhausted"));
    }

    @Test
    void aMemoryWaiterIsAppendedWhenABatchCompletesAndLaterSendsQueueBehindIt() {
        NodeFixture f = plain("buffer.memory", 2000, "batch.size", 1000, "max.block.ms", 500, "linger.ms", 0);
        f.send(0);
        f.send(1);
        CompletableFuture<RecordMetadata> waiting = f.send(2);
        CompletableFuture<RecordMetadata> behind = f.send(0);
        assertThat(f.node.memoryWaiterCount()).as("FIFO: the open batch of p0 is not used ahead of the waiter").isEqualTo(2);
        List<CapturingTransport.Sent> sent = f.pollProduce();
        CapturingTransport.Sent toBroker0 = sent.stream().filter(s -> s.destination() == 0).findFirst().orElseThrow();
        f.answer(toBroker0, Errors.NONE, 0);
        assertThat(f.node.memoryWaiterCount()).as("p2 got p0's memory; the next p0 batch still waits").isEqualTo(1);
        f.answer(sent.stream().filter(s -> s.destination() == 1).findFirst().orElseThrow(), Errors.NONE, 0);
        assertThat(f.node.memoryWaiterCount()).isZero();
        for (int round = 0; round < 3; round++) {
            f.settle();
            for (CapturingTransport.Sent s : f.transport.drainSent(ProduceRequest.class)) {
                f.answer(s, Errors.NONE, 10);
            }
        }
        assertThat(waiting).isCompleted();
        assertThat(behind).isCompleted();
    }

    @Test
    void recordsLargerThanMaxRequestSizeFailBeforeTheyAreQueued() {
        NodeFixture f = plain("max.request.size", 100);
        CompletableFuture<RecordMetadata> future = f.node.send(Records.toPartition("t", 0, 9, "x".repeat(200)), null);
        assertThat(failure(future)).isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("which is the value of the max.request.size configuration");
        assertThat(f.events.names()).containsExactly("ProducerSend", "ProducerSendFailed");
        assertThat(f.node.hasIncomplete()).isFalse();
    }

    @Test
    void badPartitionsAndUnknownTopicsAreRejected() {
        NodeFixture f = plain();
        assertThatThrownBy(() -> f.send(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid partition given with record: 4 is not in the range [0...4)");
        CompletableFuture<RecordMetadata> unknown = f.node.send(Records.keyless("nope", 1, "v"), null);
        assertThat(failure(unknown)).hasMessage("Topic nope not present in metadata");
    }

    @Test
    void flushMakesLingeringBatchesReadyAndCompletesWhenTheyAreAcked() {
        NodeFixture f = plain("linger.ms", 60_000);
        f.send(0);
        assertThat(f.pollProduce()).isEmpty();
        CompletableFuture<Void> flushed = f.node.beginFlush();
        List<CapturingTransport.Sent> sent = f.pollProduce();
        assertThat(sent).hasSize(1);
        CompletableFuture<RecordMetadata> later = f.send(2);
        assertThat(flushed).isNotDone();
        f.answer(sent.get(0), Errors.NONE, 0);
        assertThat(flushed).as("only records sent before the flush count").isCompleted();
        assertThat(later).isNotDone();
        assertThat(f.node.beginFlush()).isNotDone();
    }

    @Test
    void gracefulCloseSendsEverythingAndForcedCloseFailsWhatIsLeft() {
        NodeFixture f = plain("linger.ms", 60_000);
        CompletableFuture<RecordMetadata> sent = f.send(0);
        CompletableFuture<RecordMetadata> stuck = f.send(1);
        f.node.beginClose();
        assertThatThrownBy(() -> f.send(0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot perform operation after producer has been closed");
        List<CapturingTransport.Sent> requests = f.pollProduce();
        assertThat(requests).hasSize(2);
        f.answer(requests.stream().filter(s -> s.destination() == 0).findFirst().orElseThrow(), Errors.NONE, 0);
        assertThat(sent).isCompleted();
        assertThat(f.node.isQuiescent()).isFalse();
        f.node.close();
        assertThat(failure(stuck)).isInstanceOf(ProducerClosedException.class).hasMessage("Producer is closed forcefully.");
        assertThat(f.node.isQuiescent()).isTrue();
        assertThat(f.node.nextWakeupMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void unknownCorrelationIdsAndWrongSourcesAreIgnored() {
        NodeFixture f = plain("linger.ms", 0);
        CompletableFuture<RecordMetadata> future = f.send(0);
        CapturingTransport.Sent sent = f.pollProduce().get(0);
        ProduceRequest req = request(sent);
        Map<TopicPartition, ProduceResponse.PartitionResult> ok = new LinkedHashMap<>();
        ok.put(P0, ProduceResponse.PartitionResult.ok(1));
        f.node.receive(0, new ProduceResponse(req.correlationId() + 100, ok));
        f.settle();
        f.node.receive(1, new ProduceResponse(req.correlationId(), ok));
        assertThat(future).isNotDone();
        assertThat(f.node.nextWakeupMs()).isGreaterThan(f.clock.milliseconds());
        f.node.receive(0, new ProduceResponse(req.correlationId(), ok));
        assertThat(future).isCompleted();
    }

    @Test
    void nextWakeupNeverAsksForAPollThatHasNothingToDo() {
        NodeFixture f = plain("max.in.flight.requests.per.connection", 1, "linger.ms", 0);
        f.send(0);
        f.node.poll();
        f.send(0);
        f.settle();
        long wake = f.node.nextWakeupMs();
        assertThat(wake).as("the request timeout of the batch in flight").isEqualTo(1_000 + 30_000);
        f.clock.advanceTo(1_500);
        assertThat(f.node.nextWakeupMs()).isEqualTo(wake);
        NodeFixture idle = plain();
        idle.node.poll();
        assertThat(idle.node.nextWakeupMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRetryOvertakingAnOlderBatchDoesNotKeepTheNodeDueAtTheOlderDeadline() {
        // Without idempotence a retried batch goes back to the front of its partition's queue, so a
        // younger batch retried last stands before an older one. The node's next wakeup must be a time
        // at which a poll expires something, not the older batch's deadline while it waits behind.
        NodeFixture f = plain("linger.ms", 0, "request.timeout.ms", 1_000, "delivery.timeout.ms", 1_000,
                "retry.backoff.ms", 5_000, "retry.backoff.max.ms", 5_000);
        CompletableFuture<RecordMetadata> older = f.send(0);
        CapturingTransport.Sent first = f.pollProduce().get(0);
        f.clock.advanceBy(1);
        CompletableFuture<RecordMetadata> younger = f.send(0);
        CapturingTransport.Sent second = f.pollProduce().get(0);
        f.answer(first, Errors.NOT_ENOUGH_REPLICAS, -1);
        f.answer(second, Errors.NOT_ENOUGH_REPLICAS, -1);
        f.settle();
        for (int i = 0; i < 10 && !younger.isDone(); i++) {
            long wake = f.node.nextWakeupMs();
            assertThat(wake).isLessThan(Long.MAX_VALUE);
            f.clock.advanceTo(Math.max(f.clock.milliseconds(), wake));
            for (int polls = 0; polls < 10 && f.node.nextWakeupMs() <= wake; polls++) {
                f.node.poll();
            }
            assertThat(f.node.nextWakeupMs()).as("still due at %d after polls that did nothing", wake).isGreaterThan(wake);
        }
        assertThat(failure(older)).isInstanceOf(TimeoutException.class);
        assertThat(failure(younger)).isInstanceOf(TimeoutException.class);
        assertThat(f.transport.drainSent(ProduceRequest.class)).as("both wait out their backoff").isEmpty();
    }

    @Test
    void aTransportThatAnswersSynchronouslyIsHandledAfterTheCallReturns() {
        List<ProducerNode<String, String>> self = new ArrayList<>();
        RecordingEvents events = new RecordingEvents();
        ProducerNode<String, String> node = new ProducerNode<>(100,
                ProducerConfig.of(Map.of("enable.idempotence", false, "linger.ms", 0)), new StringSerializer(),
                new StringSerializer(), NodeFixture.CLUSTER, () -> 0L, (dest, msg) -> self.get(0).receive(dest, answerOk(msg)),
                new ScriptedRandom(), events);
        self.add(node);
        CompletableFuture<RecordMetadata> future = node.send(Records.toPartition("t", 0, 1, "v"), null);
        node.poll();
        assertThat(future).isCompletedWithValue(new RecordMetadata("t", 0, 0));
    }

    private static Message answerOk(Message m) {
        ProduceRequest req = (ProduceRequest) m;
        Map<TopicPartition, ProduceResponse.PartitionResult> ok = new LinkedHashMap<>();
        req.batches().forEach(b -> ok.put(b.topicPartition(), ProduceResponse.PartitionResult.ok(0)));
        return new ProduceResponse(req.correlationId(), ok);
    }
}
