package dev.deliverycheck.wire.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.wire.apache.ApacheKafkaBroker;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real Java client against one real Apache Kafka 4.4 broker child process, through the fault proxy. */
class RealKafkaRunTest {
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

    @Test
    void atLeastOnceDuplicateIsFoundAndShrunkOverRealRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out)
            throws Exception {
        ProducerSettings settings = ProducerSettings.preset(Mode.AT_LEAST_ONCE);
        RealExplorer explorer = new RealExplorer(new RealRun(Target.started(broker), settings), settings, out, 20, 1, line -> { });
        RealSchedule noisy = RealSchedule.parse("mode: at-least-once\nseed: 7\n---\ndelay 100 Metadata 1\n"
                + "lose-response Produce 1\nsend key=k1\nflush\nsend key=k2\nsend key=k3\nflush\ndisconnect Fetch 1\n", "noisy");
        RealExplorer.Report report = explorer.replay(noisy, 1);
        RealExplorer.Outcome noDuplicate = report.invariants().get(dev.deliverycheck.check.Invariant.NO_DUPLICATE);
        assertThat(noDuplicate.holds()).isFalse();
        assertThat(noDuplicate.matches()).isTrue();
        RealExplorer.Finding finding = noDuplicate.finding();
        assertThat(finding.originalSteps()).isGreaterThan(finding.shrunkSteps());
        assertThat(finding.faultSteps()).isBetween(1L, 4L);
        RealSchedule saved = RealSchedule.read(finding.file());
        assertThat(saved.failing()).isEqualTo("NoDuplicate");
        assertThat(saved.faults()).allSatisfy(f -> assertThat(f.kind()).isEqualTo("Produce"))
                .contains(dev.deliverycheck.wire.proxy.Fault.parse("lose-response Produce 1"));
        assertThat(saved.steps()).anySatisfy(s -> assertThat(s).isInstanceOf(RealStep.Send.class));
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

    @Test
    void acknowledgedRecordsSurviveAKillNineOfTheBrokerMidRun() {
        RealRun.Outcome outcome = run(Mode.IDEMPOTENT, "send key=k1\nsend key=k2\nflush\ncrash-broker\nrestart-broker\n"
                + "send key=k3\nflush\n");
        assertThat(broker.running()).isTrue();
        assertThat(outcome.history().acks()).hasSize(3);
        assertThat(outcome.verdicts()).allSatisfy(v -> assertThat(v.holds()).as(v.toString()).isTrue());
    }

    private static RealRun.Outcome run(Mode mode, String text) {
        RealSchedule schedule = RealSchedule.parse("mode: " + mode.cliName() + "\npartitions: 2\n---\n" + text, "test");
        return new RealRun(Target.started(broker), ProducerSettings.preset(mode)).run(schedule);
    }

    private static final String LOST_PRODUCE_ANSWER = "lose-response Produce 1\nsend key=k1\nsend key=k2\nflush\n";

    @Test
    void atLeastOnceDuplicatesARecordWhoseProduceAnswerWasLost() {
        RealRun.Outcome outcome = run(Mode.AT_LEAST_ONCE, LOST_PRODUCE_ANSWER);
        assertThat(outcome.appliedFaults()).containsExactly("lose-response Produce 1");
        Verdict noDuplicate = outcome.verdict("NoDuplicate");
        assertThat(noDuplicate.holds()).as(noDuplicate.explanation()).isFalse();
        assertThat(outcome.verdict("NoLoss").holds()).isTrue();
        assertThat(outcome.verdict("AckedDurable").holds()).isTrue();
    }

    @Test
    void idempotentHoldsUnderTheSameSchedule() {
        RealRun.Outcome outcome = run(Mode.IDEMPOTENT, LOST_PRODUCE_ANSWER);
        assertThat(outcome.appliedFaults()).containsExactly("lose-response Produce 1");
        assertThat(outcome.verdicts()).allSatisfy(v -> assertThat(v.holds()).as(v.toString()).isTrue());
    }

    @Test
    void exactlyOnceHoldsUnderALostEndTxnAnswerAndAProducerRestart() {
        RealRun.Outcome outcome = run(Mode.EXACTLY_ONCE, "lose-response EndTxn 1\nbegin-txn\nsend key=k1\nsend key=k2\n"
                + "commit-txn\nbegin-txn\nsend key=k3\nrestart-producer\nsend key=k4\ncommit-txn\n");
        assertThat(outcome.appliedFaults()).containsExactly("lose-response EndTxn 1");
        assertThat(outcome.verdicts()).hasSize(6).allSatisfy(v -> assertThat(v.holds()).as(v.toString()).isTrue());
        List<ProducerEndTxnResult> zombie = outcome.history().events().stream()
                .filter(e -> e instanceof ProducerEndTxnResult r && r.producer() == 100 && r.error() != null)
                .map(ProducerEndTxnResult.class::cast).toList();
        assertThat(zombie).as("the zombie's commit is refused").isNotEmpty();
        assertThat(outcome.history().events().stream().filter(e -> e instanceof CoordinatorInitProducerId).count())
                .as("both instances initialised").isGreaterThanOrEqualTo(2);
        // transaction.version 2 (spec/kafka-differences.md #2): partitions join the transaction with the Produce
        assertThat(outcome.history().events()).noneMatch(e -> e instanceof dev.deliverycheck.event.CoordinatorAddPartitions);
    }
}
