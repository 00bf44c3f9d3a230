package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.explore.RunResult;
import dev.deliverycheck.explore.Schedule;
import dev.deliverycheck.explore.ScheduleFile;
import dev.deliverycheck.explore.ScheduleRunner;
import dev.deliverycheck.sim.SimulationConfig;
import org.junit.jupiter.api.Test;

/**
 * Schedules written with the shrinker's traffic steps ({@code run MS}, {@code deliver I times=N})
 * validate against the TLA+ spec of their mode like any other run: trace validation reads the
 * events, and these steps cause only events the other steps cause too.
 */
class TrafficStepTracesTest {
    private static RunResult replay(String text) throws ScheduleFile.MalformedScheduleException {
        Schedule s = ScheduleFile.parse(text, "test");
        return new ScheduleRunner(SimulationConfig.forExploration(s.mode())).run(s);
    }

    @Test
    void aLostAnswerBetweenRunsIsABehaviourOfTheAtLeastOnceSpec() throws Exception {
        RunResult r = replay("mode: at-least-once\nseed: 1\nbrokers: 1\npartitions: 1\n---\nsend key=k0\nflush\n"
                + "deliver 0\nadvance 600\nlose-response 0\nrun 31000\ndeliver 0 times=2\nrun 2000\n");

        assertThat(r.history().events()).anyMatch(e -> e instanceof NetworkLoseResponse);
        TraceValidation v = ExploredTracesTest.VALIDATOR.validate(Mode.AT_LEAST_ONCE, r.history().events());
        assertThat(v.ok()).as(v.message()).isTrue();
    }

    @Test
    void aTransactionRunToItsCommitIsABehaviourOfTheExactlyOnceSpec() throws Exception {
        RunResult r = replay("mode: exactly-once\nseed: 5\nbrokers: 2\npartitions: 2\n---\nrun 100\nbegin-txn\n"
                + "send key=k0\nsend key=k1\nrun 500\ncommit-txn\nrun 1000\nbegin-txn\nsend key=k0\nflush\n"
                + "deliver 0 times=3\nrestart-producer\nrun 31000\n");

        assertThat(r.history().events()).anyMatch(e -> e instanceof ProducerSendAcked);
        TraceValidation v = ExploredTracesTest.VALIDATOR.validate(Mode.EXACTLY_ONCE, r.history().events());
        assertThat(v.ok()).as(v.message()).isTrue();
    }
}
