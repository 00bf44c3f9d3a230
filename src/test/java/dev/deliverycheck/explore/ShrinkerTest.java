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

    /** A stand-in for the simulation's clock: advances and runs take their ms, each delivery 2 ms. */
    private static long[] fakeTimes(List<Step> steps) {
        long[] times = new long[steps.size() + 1];
        for (int i = 0; i < steps.size(); i++) {
            long took = steps.get(i) instanceof Step.Advance a ? a.ms()
                    : steps.get(i) instanceof Step.Run r ? r.ms()
                    : steps.get(i) instanceof Step.Deliver d ? 2L * d.times() : 0;
            times[i + 1] = times[i] + took;
        }
        return times;
    }

    /** Fails iff a response is lost at least 50 ms (of the fake clock) after a send: the traffic in between is needed as a whole. */
    private static boolean losesAnAnswerLate(List<Step> steps) {
        long[] times = fakeTimes(steps);
        long sentAt = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof Step.Send && sentAt < 0) {
                sentAt = times[i];
            } else if (steps.get(i) instanceof Step.LoseResponse && sentAt >= 0 && times[i] - sentAt >= 50) {
                return true;
            }
        }
        return false;
    }

    private static final List<Step> TRAFFIC_BETWEEN = List.of(new Step.Send("k3"), new Step.Advance(20),
            new Step.Deliver(0), new Step.Advance(20), new Step.Deliver(0), new Step.Advance(20), new Step.Flush(),
            new Step.LoseResponse(0));

    @Test
    void replacesAWindowOfTrafficByOneRunOverItsSpan() {
        Shrinker shrinker = new Shrinker(ShrinkerTest::losesAnAnswerLate, ShrinkerTest::fakeTimes, 10_000);

        assertThat(shrinker.shrink(TRAFFIC_BETWEEN))
                .containsExactly(new Step.Send("k0"), new Step.Run(60), new Step.LoseResponse(0));
    }

    @Test
    void withoutAClockEveryStepOfTheWindowStays() {
        Shrinker shrinker = new Shrinker(ShrinkerTest::losesAnAnswerLate, 10_000);

        assertThat(shrinker.shrink(TRAFFIC_BETWEEN)).containsExactly(new Step.Send("k0"), new Step.Advance(10),
                new Step.Advance(20), new Step.Advance(20), new Step.LoseResponse(0));
    }

    @Test
    void shortensARunWhileTheFailureHolds() {
        List<Step> steps = List.of(new Step.Send("k0"), new Step.Run(400), new Step.LoseResponse(0));
        Shrinker shrinker = new Shrinker(ShrinkerTest::losesAnAnswerLate, ShrinkerTest::fakeTimes, 10_000);

        assertThat(shrinker.shrink(steps)).containsExactly(new Step.Send("k0"), new Step.Run(50), new Step.LoseResponse(0));
    }

    /** Fails iff at least three deliveries overtake (index 1) and no run delivers in arrival order. */
    private static boolean threeOvertakingDeliveries(List<Step> steps) {
        return steps.stream().noneMatch(s -> s instanceof Step.Run) && steps.stream()
                .mapToInt(s -> s instanceof Step.Deliver d && d.index() == 1 ? d.times() : 0).sum() >= 3;
    }

    @Test
    void writesDeliveriesARunCannotReplaceAsOneRepeatedDelivery() {
        List<Step> steps = List.of(new Step.Flush(), new Step.Deliver(1), new Step.Deliver(1), new Step.Advance(5),
                new Step.Deliver(1), new Step.Deliver(0));
        Shrinker shrinker = new Shrinker(ShrinkerTest::threeOvertakingDeliveries, ShrinkerTest::fakeTimes, 10_000);

        assertThat(shrinker.shrink(steps)).containsExactly(new Step.Deliver(1, 3));
    }

    @Test
    void writesAdvancesOnlyAsTheirSum() {
        assertThat(Shrinker.writtenOnce(List.of(new Step.Advance(5), new Step.Advance(31_000))))
                .isEqualTo(new Step.Advance(31_005));
        assertThat(Shrinker.writtenOnce(List.of(new Step.Deliver(2), new Step.Deliver(2, 3))))
                .isEqualTo(new Step.Deliver(2, 4));
        assertThat(Shrinker.writtenOnce(List.of(new Step.Deliver(2), new Step.Deliver(0)))).isNull();
        assertThat(Shrinker.writtenOnce(List.of(new Step.Advance(5), new Step.Deliver(0)))).isNull();
        assertThat(Shrinker.writtenOnce(List.of(new Step.Run(5), new Step.Run(5)))).isNull();
    }
    /** Fails iff at least three deliveries, one of them of index 1, and no run: the index matters, not which step has it. */
    private static boolean threeDeliveriesOneOvertaking(List<Step> steps) {
        return steps.stream().noneMatch(s -> s instanceof Step.Run)
                && steps.stream().anyMatch(s -> s instanceof Step.Deliver d && d.index() == 1)
                && steps.stream().mapToInt(s -> s instanceof Step.Deliver d ? d.times() : 0).sum() >= 3;
    }

    @Test
    void triesDeliveriesOfSeveralIndicesAsOneRepeatedDeliveryOfEach() {
        List<Step> steps = List.of(new Step.Deliver(0), new Step.Deliver(1), new Step.Deliver(0));
        Shrinker shrinker = new Shrinker(ShrinkerTest::threeDeliveriesOneOvertaking, ShrinkerTest::fakeTimes, 10_000);

        assertThat(shrinker.shrink(steps)).containsExactly(new Step.Deliver(1, 3));
        assertThat(Shrinker.deliveriesAsOne(steps)).containsExactly(new Step.Deliver(0, 3), new Step.Deliver(1, 3));
        assertThat(Shrinker.deliveriesAsOne(List.of(new Step.Deliver(2), new Step.Advance(5)))).isEmpty();
    }

    /**
     * A late loss where no two advances are neighbours and no flush follows the send or precedes the
     * loss: a stand-in for a failure that removing or moving any one step breaks.
     */
    private static boolean losesLateWithoutNeighbouringAdvances(List<Step> steps) {
        for (int i = 0; i + 1 < steps.size(); i++) {
            Step a = steps.get(i);
            Step b = steps.get(i + 1);
            if (a instanceof Step.Advance && b instanceof Step.Advance || a instanceof Step.Send && b instanceof Step.Flush
                    || a instanceof Step.Flush && b instanceof Step.LoseResponse) {
                return false;
            }
        }
        return losesAnAnswerLate(steps);
    }

    @Test
    void dropsAStepBetweenTwoTrafficStepsAndWritesThemAsOneRun() {
        List<Step> steps = List.of(new Step.Send("k3"), new Step.Advance(30), new Step.Flush(), new Step.Advance(30),
                new Step.LoseResponse(0));
        Shrinker shrinker = new Shrinker(ShrinkerTest::losesLateWithoutNeighbouringAdvances, ShrinkerTest::fakeTimes, 10_000);

        assertThat(shrinker.shrink(steps)).containsExactly(new Step.Send("k0"), new Step.Run(60), new Step.LoseResponse(0));
    }

    /** A late loss that also needs a flush before it. */
    private static boolean flushesAndLosesLate(List<Step> steps) {
        int flush = steps.indexOf(new Step.Flush());
        int lose = steps.indexOf(new Step.LoseResponse(0));
        return flush >= 0 && flush < lose && losesAnAnswerLate(steps);
    }

    @Test
    void swapsNeighboursSoThatTwoTrafficStepsMerge() {
        List<Step> steps = List.of(new Step.Send("k3"), new Step.Advance(20), new Step.Flush(), new Step.Advance(40),
                new Step.LoseResponse(0));
        Shrinker shrinker = new Shrinker(ShrinkerTest::flushesAndLosesLate, ShrinkerTest::fakeTimes, 10_000);

        assertThat(shrinker.shrink(steps))
                .containsExactly(new Step.Send("k0"), new Step.Flush(), new Step.Run(50), new Step.LoseResponse(0));
    }

    /** Fails iff the third step is a flush after a send, with a crash anywhere: the position matters, as a seeded latency's does. */
    private static boolean flushThirdAfterASendWithACrash(List<Step> steps) {
        return steps.size() >= 3 && steps.get(2) instanceof Step.Flush && steps.subList(0, 2).contains(new Step.Send("k0"))
                && steps.contains(new Step.CrashBroker(0));
    }

    @Test
    void swapsNeighboursSoThatAnotherStepCanGo() {
        List<Step> steps = List.of(new Step.Send("k0"), new Step.Advance(5), new Step.Flush(), new Step.CrashBroker(0));
        List<List<Step>> tried = new ArrayList<>();
        Shrinker shrinker = new Shrinker(c -> {
            tried.add(c);
            return flushThirdAfterASendWithACrash(c);
        }, 10_000);

        assertThat(shrinker.shrink(steps)).containsExactly(new Step.Send("k0"), new Step.CrashBroker(0), new Step.Flush());
        // Removing any one or two steps alone passes: only the swap of the flush and the crash lets the advance go.
        assertThat(tried.stream().filter(c -> c.size() < steps.size()).filter(ShrinkerTest::flushThirdAfterASendWithACrash))
                .containsExactly(List.of(new Step.Send("k0"), new Step.CrashBroker(0), new Step.Flush()));
    }
}
