package dev.deliverycheck.wire.harness;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.explore.Step;
import dev.deliverycheck.wire.proxy.Fault;
import dev.deliverycheck.wire.proxy.FaultAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random schedules for real runs, one per seed: a short workload in the mode's shape (sends over two
 * partitions with flushes; transactions and a producer restart for exactly-once) and one to three proxy faults
 * (lose-response, lose-request, disconnect, delay, refuse, refuse-late) on the request kinds the mode's client sends,
 * at occurrences 1-3. A send is sometimes followed by {@code await-request Produce N} (N the requests its records need at least), so that
 * the next record goes out in a request of its own while the earlier one is still unanswered: the shape a late
 * refusal needs to let a later batch overtake an earlier one. Real runs cost seconds, so schedules are short and
 * faults frequent. Same seed, same schedule.
 */
public final class RealScheduleGenerator {
    private static final int PARTITIONS = 2;

    private RealScheduleGenerator() {
    }

    public static RealSchedule generate(Mode mode, long seed) {
        Random random = new Random(seed);
        List<RealStep> steps = new ArrayList<>();
        int faults = 1 + random.nextInt(3);
        for (int i = 0; i < faults; i++) {
            steps.add(new RealStep.ProxyFault(fault(mode, random)));
        }
        if (mode.transactional()) {
            int transactions = 2 + random.nextInt(2);
            int restartAt = random.nextInt(transactions + 1);
            for (int t = 0; t < transactions; t++) {
                if (t == restartAt) {
                    steps.add(RealStep.of(new Step.RestartProducer()));
                }
                steps.add(RealStep.of(new Step.BeginTxn()));
                for (int r = 1 + random.nextInt(3); r > 0; r--) {
                    steps.add(RealStep.of(new Step.Send("k" + random.nextInt(6))));
                }
                steps.add(random.nextInt(5) == 0 ? RealStep.of(new Step.AbortTxn()) : RealStep.of(new Step.CommitTxn()));
            }
        } else {
            // Sends between two awaits or flushes may share one request; the next send after either goes out in a
            // new one. So the n-th such group is on the wire once the n-th Produce was seen (retries only count more).
            int groups = 0;
            boolean groupOpen = false;
            for (int r = 3 + random.nextInt(4); r > 0; r--) {
                steps.add(RealStep.of(new Step.Send("k" + random.nextInt(6))));
                if (!groupOpen) {
                    groups++;
                    groupOpen = true;
                }
                if (random.nextBoolean()) {
                    steps.add(new RealStep.AwaitRequest("Produce", groups));
                    groupOpen = false;
                }
                if (random.nextInt(3) == 0) {
                    steps.add(RealStep.of(new Step.Flush()));
                    groupOpen = false;
                }
            }
            steps.add(RealStep.of(new Step.Flush()));
        }
        return new RealSchedule(mode, seed, PARTITIONS, null, steps);
    }

    private static Fault fault(Mode mode, Random random) {
        String[] kinds = mode.transactional()
                ? new String[] {"Produce", "Produce", "EndTxn", "EndTxn", "InitProducerId", "FindCoordinator"}
                : mode == Mode.IDEMPOTENT ? new String[] {"Produce", "Produce", "Produce", "InitProducerId", "Metadata"}
                : new String[] {"Produce", "Produce", "Produce", "Metadata"};
        String kind = kinds[random.nextInt(kinds.length)];
        int occurrence = 1 + random.nextInt(3);
        int pick = random.nextInt(11);
        if (pick >= 8) {
            FaultAction refusal = pick == 8 ? FaultAction.REFUSE : FaultAction.REFUSE_LATE;
            return Fault.of(kind.equals("Produce") ? refusal : FaultAction.LOSE_RESPONSE, kind, occurrence);
        }
        if (pick < 4) {
            return Fault.of(FaultAction.LOSE_RESPONSE, kind, occurrence);
        }
        if (pick < 6) {
            return Fault.of(FaultAction.LOSE_REQUEST, kind, occurrence);
        }
        if (pick < 7) {
            return Fault.of(FaultAction.DISCONNECT, kind, occurrence);
        }
        return new Fault(FaultAction.DELAY, 100 + 100L * random.nextInt(5), kind, occurrence);
    }
}
