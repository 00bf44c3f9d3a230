package dev.deliverycheck.wire.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.sim.SimulatedDisk;
import dev.deliverycheck.wire.WireBroker;
import dev.deliverycheck.wire.WireServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafka --client ours}: deliverycheck's producer on the wire, through the fault proxy, to deliverycheck's
 * wire broker in this JVM (fast), judged by the same checkers from observation: at-least-once duplicates a record
 * whose Produce answer was lost, idempotent does not.
 */
class OurClientRunTest {
    private static WireBroker broker;
    private static WireServer server;

    @BeforeAll
    static void start() throws Exception {
        // transaction version 2, as `kafka --target ours` starts it
        broker = new WireBroker(new SimulatedDisk(), BrokerConfig.DEFAULT, 1, 2, EventSink.NONE);
        server = new WireServer(broker, 0);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static RealRun.Outcome run(Target target, Mode mode, String text) {
        RealSchedule schedule = RealSchedule.parse("mode: " + mode.cliName() + "\npartitions: 2\n---\n" + text, "test");
        return new RealRun(target, ProducerSettings.preset(mode), Client.OURS).run(schedule);
    }

    private static Target target() {
        return Target.external("127.0.0.1:" + server.port());
    }

    static final String LOST_PRODUCE_ANSWER = "lose-response Produce 1\nsend key=k1\nsend key=k2\nflush\n";

    @Test
    void atLeastOnceDuplicatesARecordWhoseProduceAnswerWasLost() {
        RealRun.Outcome outcome = run(target(), Mode.AT_LEAST_ONCE, LOST_PRODUCE_ANSWER);
        assertThat(outcome.appliedFaults()).containsExactly("lose-response Produce 1");
        assertThat(outcome.verdict("NoDuplicate").holds()).as(outcome.verdicts().toString()).isFalse();
        assertThat(outcome.verdict("NoLoss").holds()).isTrue();
        assertThat(outcome.verdict("AckedDurable").holds()).isTrue();
        // the history is our producer's own: its sends and the retry of the batch whose answer was lost
        assertThat(outcome.history().events()).filteredOn(e -> e instanceof ProducerSend).hasSize(2);
        assertThat(outcome.history().events()).anySatisfy(e -> assertThat(e).isInstanceOf(ProducerRetry.class));
    }

    @Test
    void idempotentHoldsUnderTheSameSchedule() {
        RealRun.Outcome outcome = run(target(), Mode.IDEMPOTENT, LOST_PRODUCE_ANSWER + "lose-response Produce 3\n"
                + "send key=k3\nflush\n");
        assertThat(outcome.appliedFaults()).hasSize(2);
        assertThat(outcome.verdicts()).allSatisfy(v -> assertThat(v.holds()).as(v.toString()).isTrue());
        assertThat(outcome.history().acks()).hasSize(3);
    }

    /** Transaction version 2 on the wire: the lost EndTxn answer is retried and answered with the bumped epoch. */
    @Test
    void exactlyOnceHoldsUnderALostEndTxnAnswer() {
        RealRun.Outcome outcome = run(target(), Mode.EXACTLY_ONCE, "lose-response EndTxn 1\n"
                + "begin-txn\nsend key=k1\nsend key=k2\ncommit-txn\nbegin-txn\nsend key=k3\ncommit-txn\n");
        assertThat(outcome.appliedFaults()).containsExactly("lose-response EndTxn 1");
        assertThat(outcome.verdicts()).allSatisfy(v -> assertThat(v.holds()).as(v.toString()).isTrue());
        assertThat(outcome.history().acks()).hasSize(3);
        assertThat(outcome.history().events()).noneMatch(e -> e instanceof dev.deliverycheck.event.ProducerAddPartitions);
    }

    @Test
    void theExplorerFindsAndShrinksTheDuplicateWithOurClient(@TempDir Path out) throws Exception {
        ProducerSettings settings = ProducerSettings.preset(Mode.AT_LEAST_ONCE);
        RealExplorer explorer = new RealExplorer(new RealRun(target(), settings, Client.OURS), settings, out, 20, 1,
                line -> { });
        RealSchedule noisy = RealSchedule.parse("mode: at-least-once\nseed: 7\n---\ndelay 50 Produce 2\n"
                + "lose-response Produce 1\nsend key=k1\nflush\nsend key=k2\nflush\n", "noisy");
        RealExplorer.Outcome noDuplicate = explorer.replay(noisy, 1).invariants()
                .get(dev.deliverycheck.check.Invariant.NO_DUPLICATE);
        assertThat(noDuplicate.holds()).isFalse();
        assertThat(noDuplicate.finding().shrunkSteps()).isLessThan(noDuplicate.finding().originalSteps());
        assertThat(noDuplicate.finding().faultSteps()).isBetween(1L, 4L);
        assertThat(Files.exists(noDuplicate.finding().file())).isTrue();
    }

    @Test
    void settingsOurProducerDoesNotTakeAreBadInput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.properties");
        Files.writeString(file, "enable.idempotence=false\nacks=1\ncompression.type=gzip\n");
        ProducerSettings settings = ProducerSettings.fromFile(file);
        assertThatThrownBy(() -> new RealRun(target(), settings, Client.OURS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compression.type");
    }
}
