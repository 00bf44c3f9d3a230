package dev.deliverycheck.wire.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.wire.apache.ApacheKafkaBroker;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Java client against one real Apache Kafka 4.4 broker child process, through the fault proxy: the shared
 * {@link RealClientScenarios} and what only the Apache broker shows.
 */
class RealKafkaRunTest extends RealClientScenarios {
    private static ApacheKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ApacheKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    Target target() {
        return Target.started(broker);
    }

    /**
     * A finding about real Kafka (spec/kafka-differences.md): an idempotent producer whose first batch is refused
     * with a retriable error after its second batch already reached the broker loses the first record. Kafka takes
     * sequence 1 as the first of a producer it has no state for, so sequence 0 is out of order ever after; the
     * client retries it until delivery.timeout.ms and reports a TimeoutException. Nothing duplicated, nothing
     * reordered, the application told, yet the record the retries were meant to deliver is never written.
     */
    @Test
    void realKafkaFailsAnIdempotentFirstBatchOvertakenByItsSuccessor() {
        RealRun.Outcome outcome = run(Mode.IDEMPOTENT, OVERTAKEN_FIRST_BATCH);
        assertThat(outcome.appliedFaults()).containsExactly("refuse-late Produce 1");
        var first = outcome.history().sends().get(0);
        assertThat(outcome.history().failures()).singleElement().satisfies(f -> {
            assertThat(f.recordId()).isEqualTo(first.recordId());
            assertThat(f.error()).isEqualTo("TimeoutException");
        });
        assertThat(outcome.history().events()).filteredOn(e -> e instanceof dev.deliverycheck.event.BrokerAppend)
                .extracting(e -> ((dev.deliverycheck.event.BrokerAppend) e).baseSequence()).containsExactly(1, 2);
        assertThat(outcome.verdict("NoLoss").holds()).isFalse();
        assertThat(outcome.verdict("NoDuplicate").holds()).isTrue();
        assertThat(outcome.verdict("PartitionOrder").holds()).isTrue();
    }

    /** deliverycheck's producer on the wire against the real broker (issue 13): the same schedule, the same verdicts. */
    @Test
    void ourProducerAtLeastOnceDuplicatesARecordWhoseProduceAnswerWasLost() {
        RealRun.Outcome outcome = OurClientRunTest.run(target(), Mode.AT_LEAST_ONCE, OurClientRunTest.LOST_PRODUCE_ANSWER);
        assertThat(outcome.appliedFaults()).containsExactly("lose-response Produce 1");
        assertThat(outcome.verdict("NoDuplicate").holds()).as(outcome.verdicts().toString()).isFalse();
        assertThat(outcome.verdict("NoLoss").holds()).isTrue();
    }

    @Test
    void ourIdempotentProducerHoldsUnderLostAnswers() {
        RealRun.Outcome outcome = OurClientRunTest.run(target(), Mode.IDEMPOTENT, OurClientRunTest.LOST_PRODUCE_ANSWER
                + "lose-response Produce 3\nsend key=k3\nflush\n");
        assertThat(outcome.appliedFaults()).hasSize(2);
        assertThat(outcome.verdicts()).allSatisfy(v -> assertThat(v.holds()).as(v.toString()).isTrue());
        assertThat(outcome.history().acks()).hasSize(3);
    }

    /** Our producer's transactions on Apache Kafka (transaction version 2: Produce v12, EndTxn v5), with a lost EndTxn answer. */
    @Test
    void ourTransactionalProducerHoldsExactlyOnceUnderALostEndTxnAnswer() {
        RealRun.Outcome outcome = OurClientRunTest.run(target(), Mode.EXACTLY_ONCE, "lose-response EndTxn 1\n"
                + "begin-txn\nsend key=k1\nsend key=k2\ncommit-txn\nbegin-txn\nsend key=k3\ncommit-txn\n");
        assertThat(outcome.appliedFaults()).containsExactly("lose-response EndTxn 1");
        assertThat(outcome.verdicts()).allSatisfy(v -> assertThat(v.holds()).as(v.toString()).isTrue());
        assertThat(outcome.history().acks()).hasSize(3);
    }

    @Test
    void atMostOnceLosesARecordWhoseProduceRequestWasLost() {
        RealRun.Outcome outcome = run(Mode.AT_MOST_ONCE, "lose-request Produce 1\nsend key=k1\nflush\n");
        assertThat(outcome.appliedFaults()).containsExactly("lose-request Produce 1");
        assertThat(outcome.verdict("NoLoss").holds()).isFalse();
        assertThat(outcome.verdict("NoDuplicate").holds()).isTrue();
        assertThat(outcome.history().failures()).singleElement()
                .satisfies(f -> assertThat(f.error()).isEqualTo("NetworkException"));
    }

    /**
     * A difference from deliverycheck's broker (spec/kafka-differences.md): Kafka 4.4 stores a first batch with
     * base sequence 5 from a producer id it has no state for (non-transactional); ours refuses it with
     * OUT_OF_ORDER_SEQUENCE_NUMBER.
     */
    @Test
    void realKafkaAcceptsAnyFirstSequenceFromAnUnknownIdempotentProducer() throws Exception {
        String topic = "first-sequence";
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of("bootstrap.servers", broker.bootstrap()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        try (RawKafka raw = new RawKafka("127.0.0.1", broker.port())) {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            org.apache.kafka.common.message.InitProducerIdResponseData init;
            do {
                // a fresh broker answers COORDINATOR_LOAD_IN_PROGRESS or NOT_AVAILABLE for a moment, as clients know
                assertThat(System.nanoTime()).as("a producer id within 30 s").isLessThan(deadline);
                init = new org.apache.kafka.common.message.InitProducerIdResponseData(raw.call(
                        org.apache.kafka.common.protocol.ApiKeys.INIT_PRODUCER_ID, (short) 4,
                        new org.apache.kafka.common.message.InitProducerIdRequestData().setTransactionalId(null)
                                .setTransactionTimeoutMs(-1)), (short) 4);
            } while (org.apache.kafka.common.protocol.Errors.forCode(init.errorCode()).exception()
                    instanceof org.apache.kafka.common.errors.RetriableException);
            assertThat(init.errorCode()).isZero();
            var records = org.apache.kafka.common.record.internal.MemoryRecords.withIdempotentRecords(
                    org.apache.kafka.common.compress.Compression.NONE, init.producerId(), init.producerEpoch(), 5,
                    new org.apache.kafka.common.record.internal.SimpleRecord("v".getBytes()));
            var produce = new org.apache.kafka.common.message.ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000);
            var data = new org.apache.kafka.common.message.ProduceRequestData.TopicProduceData().setName(topic);
            data.partitionData().add(new org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData()
                    .setIndex(0).setRecords(records));
            produce.topicData().add(data);
            org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse answer = null;
            while (answer == null || answer.errorCode() == org.apache.kafka.common.protocol.Errors.NOT_LEADER_OR_FOLLOWER.code()) {
                assertThat(System.nanoTime()).as("the new topic got a leader within 30 s").isLessThan(deadline);
                var response = new org.apache.kafka.common.message.ProduceResponseData(raw.call(
                        org.apache.kafka.common.protocol.ApiKeys.PRODUCE, (short) 9, produce), (short) 9);
                answer = response.responses().iterator().next().partitionResponses().get(0);
            }
            assertThat(org.apache.kafka.common.protocol.Errors.forCode(answer.errorCode()))
                    .isEqualTo(org.apache.kafka.common.protocol.Errors.NONE);
            assertThat(answer.baseOffset()).isZero();
        }
    }
}
