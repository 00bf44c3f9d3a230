package dev.deliverycheck.wire.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.ProducerEndTxnResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scenarios issue 13 asks of every broker the harness starts, with the real Java client through the fault
 * proxy: the at-least-once duplicate under a lost Produce answer (found, and shrunk to at most 4 fault steps),
 * idempotent and exactly-once holding, and acknowledged records surviving a kill -9 of the broker. Each broker's
 * test class starts one broker child process for the class and names it in {@link #target()}; every run creates
 * its own topic.
 */
abstract class RealClientScenarios {
    /** The broker child process of the test class. */
    abstract Target target();

    RealRun.Outcome run(Mode mode, String text) {
        RealSchedule schedule = RealSchedule.parse("mode: " + mode.cliName() + "\npartitions: 2\n---\n" + text, "test");
        return new RealRun(target(), ProducerSettings.preset(mode)).run(schedule);
    }

    @Test
    void atLeastOnceDuplicateIsFoundAndShrunkOverRealRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out)
            throws Exception {
        ProducerSettings settings = ProducerSettings.preset(Mode.AT_LEAST_ONCE);
        RealExplorer explorer = new RealExplorer(new RealRun(target(), settings), settings, out, 20, 1, line -> { });
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
        assertThat(saved.steps()).anySatisfy(s -> assertThat(s).isInstanceOfSatisfying(RealStep.Workload.class,
                w -> assertThat(w.step()).isInstanceOf(dev.deliverycheck.explore.Step.Send.class)));
    }

    /**
     * The at-least-once PartitionOrder violation with the real client (max.in.flight 5, no idempotence): the first
     * batch is refused with a retriable error only once the next batch, sent meanwhile, has reached the broker; the
     * broker appends the later batch and the retried first one lands after it.
     */
    @Test
    void atLeastOnceReordersWhenAPipelinedBatchOvertakesARefusedOne() {
        RealRun.Outcome outcome = run(Mode.AT_LEAST_ONCE, OVERTAKEN_FIRST_BATCH);
        assertThat(outcome.appliedFaults()).containsExactly("refuse-late Produce 1");
        Verdict order = outcome.verdict("PartitionOrder");
        assertThat(order.holds()).as(order.explanation()).isFalse();
        assertThat(outcome.verdict("NoLoss").holds()).isTrue();
        assertThat(outcome.verdict("NoDuplicate").holds()).isTrue();
    }

    /** Three sends to one partition (k1's), each in a request of its own; the first request refused late. */
    static final String OVERTAKEN_FIRST_BATCH = "refuse-late Produce 1\nsend key=k1\nawait-request Produce 1\n"
            + "send key=k1\nawait-request Produce 2\nsend key=k1\nflush\n";

    @Test
    void acknowledgedRecordsSurviveAKillNineOfTheBrokerMidRun() {
        RealRun.Outcome outcome = run(Mode.IDEMPOTENT, "send key=k1\nsend key=k2\nflush\ncrash-broker\nrestart-broker\n"
                + "send key=k3\nflush\n");
        assertThat(target().running()).isTrue();
        assertThat(outcome.history().acks()).hasSize(3);
        assertThat(outcome.verdicts()).allSatisfy(v -> assertThat(v.holds()).as(v.toString()).isTrue());
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
