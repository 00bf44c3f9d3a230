package dev.deliverycheck.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShrinkerTest {
    /** Fails iff the schedule contains, in order, a send, a deliver and a lost response. */
    private static boolean needsSendDeliverLose(List<Step> steps) {
        int phase = 0;
        for (Step s : steps) {
            if (phase == 0 && s instanceof Step.Send) {
                phase = 1;
            } else if (phase == 1 && s instanceof Step.Deliver) {
                phase = 2;
            } else if (phase == 2 && s instanceof Step.LoseResponse) {
                return true;
            }
        }
        return false;
    }

    @Test
    void shrinksToTheEssentialSteps() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            steps.add(new Step.Advance(100));
            steps.add(new Step.Send("k" + i));
            steps.add(new Step.Flush());
            steps.add(new Step.Deliver(3));
            steps.add(new Step.LoseResponse(2));
        }
        Shrinker shrinker = new Shrinker(ShrinkerTest::needsSendDeliverLose, 10_000);
        List<Step> shrunk = shrinker.shrink(steps);
        assertThat(shrunk).containsExactly(new Step.Send("k0"), new Step.Deliver(0), new Step.LoseResponse(0));
        assertThat(shrinker.attempts()).isPositive();
    }

    @Test
    void keepsOnlyCandidatesThatStillFail() {
        List<Step> steps = List.of(new Step.Send("k1"), new Step.Deliver(0), new Step.LoseResponse(0));
        List<List<Step>> tried = new ArrayList<>();
        Shrinker shrinker = new Shrinker(c -> {
            tried.add(c);
            return needsSendDeliverLose(c);
        }, 1000);
        List<Step> shrunk = shrinker.shrink(steps);
        assertThat(needsSendDeliverLose(shrunk)).isTrue();
        assertThat(shrunk).hasSize(3);
        assertThat(tried).isNotEmpty();
    }

    @Test
    void stopsAtTheAttemptBudget() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            steps.add(new Step.Advance(5));
        }
        int[] calls = {0};
        Shrinker shrinker = new Shrinker(c -> {
            calls[0]++;
            return false;
        }, 7);
        assertThat(shrinker.shrink(steps)).isEqualTo(steps);
        assertThat(calls[0]).isEqualTo(7);
    }

    /** Fails iff a flush is present and crashes and restarts balance: a crash and its restart can only go together. */
    private static boolean flushWithBalancedCrashes(List<Step> steps) {
        int crashes = 0;
        int restarts = 0;
        boolean flush = false;
        for (Step s : steps) {
            if (s instanceof Step.CrashBroker) {
                crashes++;
            } else if (s instanceof Step.RestartBroker) {
                restarts++;
            } else if (s instanceof Step.Flush) {
                flush = true;
            }
        }
        return flush && crashes == restarts;
    }

    @Test
    void removesStepsThatOnlyGoInPairs() {
        List<Step> steps = List.of(new Step.CrashBroker(0), new Step.Flush(), new Step.RestartBroker(0));
        Shrinker shrinker = new Shrinker(ShrinkerTest::flushWithBalancedCrashes, 1000);

        assertThat(shrinker.shrink(steps)).containsExactly(new Step.Flush());
    }
}
