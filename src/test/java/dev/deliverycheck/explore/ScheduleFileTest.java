package dev.deliverycheck.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.check.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleFileTest {
    private static final List<Step> ALL_STEPS = List.of(new Step.Send("k1"), new Step.Send(null),
            new Step.Deliver(2), new Step.Deliver(1, 3), new Step.Run(250), new Step.LoseRequest(0), new Step.LoseResponse(1), new Step.Advance(100),
            new Step.CrashBroker(0), new Step.ShutdownBroker(1), new Step.RestartBroker(0), new Step.RestartProducer(),
            new Step.BeginTxn(),
            new Step.CommitTxn(), new Step.AbortTxn(), new Step.Flush());

    @Test
    void roundTripsEveryStep() throws Exception {
        Schedule s = new Schedule(Mode.EXACTLY_ONCE, -42, 2, 3, "AtomicCommit", ALL_STEPS);
        assertThat(ScheduleFile.parse(ScheduleFile.format(s), "x")).isEqualTo(s);
    }

    @Test
    void ignoresCommentsAndBlankLines() throws Exception {
        Schedule s = ScheduleFile.parse("# hi\nmode: idempotent\n\nseed: 7 # the seed\n---\nsend\n\nflush\n", "f");
        assertThat(s.mode()).isEqualTo(Mode.IDEMPOTENT);
        assertThat(s.seed()).isEqualTo(7);
        assertThat(s.steps()).containsExactly(new Step.Send(null), new Step.Flush());
        assertThat(s.failing()).isNull();
    }

    @Test
    void namesTheLineOfAnUnknownStep() {
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\n---\nsend\nexplode 3\n", "bad.txt"))
                .isInstanceOf(ScheduleFile.MalformedScheduleException.class)
                .hasMessageStartingWith("bad.txt:5: unknown step 'explode'");
    }

    @Test
    void namesTheLineOfABadArgument() {
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\n---\nadvance soon\n", "f"))
                .hasMessage("f:4: expected 'advance MS', 'soon' is not a number");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\n---\ndeliver -1\n", "f"))
                .hasMessageContaining("f:4: ").hasMessageContaining("non-negative");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\n---\nflush now\n", "f"))
                .hasMessage("f:4: 'flush' takes no arguments");
    }

    @Test
    void writesTheTrafficStepsAsTheReadmeShowsThem() throws Exception {
        Schedule s = ScheduleFile.parse("mode: exactly-once\nseed: 1\n---\nrun 31000\ndeliver 1 times=3\ndeliver 0\n", "f");
        assertThat(s.steps()).containsExactly(new Step.Run(31_000), new Step.Deliver(1, 3), new Step.Deliver(0));
        assertThat(ScheduleFile.format(s)).endsWith("---\nrun 31000\ndeliver 1 times=3\ndeliver 0\n");
    }

    @Test
    void namesTheLineOfABadRunOrRepeatedDelivery() {
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\n---\nrun\n", "f"))
                .isInstanceOf(ScheduleFile.MalformedScheduleException.class).hasMessage("f:4: expected 'run MS'");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\n---\nsend\nrun later\n", "f"))
                .hasMessage("f:5: expected 'run MS', 'later' is not a number");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\n---\nrun -5\n", "f"))
                .hasMessage("f:4: expected 'run MS' with a non-negative number, got -5");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\n---\nrun 5 10\n", "f"))
                .hasMessage("f:4: expected 'run MS'");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\n---\ndeliver 1 times=0\n", "f"))
                .hasMessage("f:4: expected 'deliver INDEX [times=N]' with times at least 1, got 0");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\n---\ndeliver 1 count=2\n", "f"))
                .hasMessage("f:4: expected 'deliver INDEX [times=N]', got 'count=2'");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\n---\ndeliver 1 times=x\n", "f"))
                .hasMessage("f:4: expected 'deliver INDEX [times=N]', 'x' is not a number");
    }

    @Test
    void rejectsBadHeaders() {
        assertThatThrownBy(() -> ScheduleFile.parse("mode: sometimes\nseed: 1\n---\n", "f"))
                .hasMessageStartingWith("f:1: unknown mode 'sometimes'");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: x\n---\n", "f"))
                .hasMessage("f:2: seed must be a number, got 'x'");
        assertThatThrownBy(() -> ScheduleFile.parse("seed: 1\n---\n", "f")).hasMessage("f: missing header 'mode: M'");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\n---\n", "f")).hasMessage("f: missing header 'seed: S'");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\nsend\n", "f"))
                .hasMessageStartingWith("f:3: expected a header line");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\ncolour: red\n---\n", "f"))
                .hasMessageStartingWith("f:3: unknown header 'colour'");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\nbrokers: 0\n---\n", "f"))
                .hasMessage("f:3: brokers must be at least 1, got 0");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\n", "f"))
                .hasMessage("f: missing '---' line before the steps");
    }

    @Test
    void whatAFileSaysMustFitItsOwnHeader() throws Exception {
        assertThatThrownBy(() -> ScheduleFile.parse("mode: at-least-once\nseed: 1\nbrokers: 2\n---\nrestart-broker 2\n", "f"))
                .isInstanceOf(ScheduleFile.MalformedScheduleException.class)
                .hasMessage("f:5: 'restart-broker 2' names broker 2, but the schedule has 2 (brokers 0..1)");
        assertThatThrownBy(() -> ScheduleFile.parse("fails: ZombieFenced\nmode: idempotent\nseed: 1\n---\nsend\n", "f"))
                .hasMessage("f:1: fails: 'ZombieFenced' is not judged in mode idempotent, expected one of NoDuplicate, "
                        + "NoLoss, AckedDurable, PartitionOrder, Progress");
        assertThatThrownBy(() -> ScheduleFile.parse("mode: idempotent\nseed: 1\nbrokers: 1001\n---\n", "f"))
                .hasMessage("f:3: brokers must be at most 1000, got 1001");
        assertThat(ScheduleFile.parse("mode: exactly-once\nseed: 1\nbrokers: 2\nfails: Progress\n---\ncrash-broker 1\n", "f")
                .steps()).hasSize(1);
    }
}
