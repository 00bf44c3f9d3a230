package dev.deliverycheck.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Shrinks a failing schedule to a short one that still fails the same way: first remove chunks
 * of steps (delta debugging, halving the chunk size), then single steps, then (given a clock)
 * replace windows of consecutive traffic steps ({@link Step#isTraffic()}) by one step: one
 * {@link Step.Run} over the virtual time the window spanned, the same deliveries written once
 * ({@code deliver I times=N}), or, for deliveries of several indices, one repeated delivery of
 * one of them; then (given a clock) drop a step that separates two traffic steps and write those
 * two as one; then replace steps by simpler variants (a shorter run among them); repeat until a
 * whole pass changes nothing or the attempt budget is spent. With a clock, a second shrink merges
 * windows before removing steps, and the shorter result is kept.
 * When a pass changes nothing, a schedule of at most {@link #MAX_PAIR_SHRINK} steps is also tried
 * without each pair of steps, and then with each pair of neighbours swapped and one other step
 * removed (or, given a clock, the traffic steps the swap brought together merged): removing a
 * step shifts the seeded latencies of every later message, so the failure often survives only
 * in another order. Every candidate is judged by a full deterministic replay
 * ({@code stillFails}), so the result is guaranteed to fail, and the same input gives the same
 * result; unless the budget ran out it is locally minimal: removing any one step (and, up to
 * that length, any two, or any one after swapping two neighbours) makes it pass.
 */
public final class Shrinker {
    private final Predicate<List<Step>> stillFails;
    /** The virtual time before and after each step of a schedule, or null: then no window is merged. */
    private final Function<List<Step>, long[]> clock;
    private final int maxAttempts;
    private int attempts;

    /** A shrinker that only removes and simplifies steps. */
    public Shrinker(Predicate<List<Step>> stillFails, int maxAttempts) {
        this(stillFails, null, maxAttempts);
    }

    /**
     * A shrinker that also merges windows of traffic steps into runs; {@code clock} gives the
     * virtual time before the first step and after each step of a schedule (length steps + 1,
     * {@link ScheduleRunner#stepTimes}).
     */
    public Shrinker(Predicate<List<Step>> stillFails, Function<List<Step>, long[]> clock, int maxAttempts) {
        this.stillFails = stillFails;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
    }

    /**
     * The shortest of two shrinks of {@code failing} (the first on a tie): one that merges windows
     * of traffic steps after removing steps, one that merges them before. Removing a step changes
     * what the seeded latencies of later messages are, so the two orders end in different local
     * minima; without a clock both are the same and one is run.
     */
    public List<Step> shrink(List<Step> failing) {
        List<Step> mergedLast = shrink(failing, false);
        if (clock == null) {
            return mergedLast;
        }
        List<Step> mergedFirst = shrink(failing, true);
        return mergedFirst.size() < mergedLast.size() ? mergedFirst : mergedLast;
    }

    private List<Step> shrink(List<Step> failing, boolean mergeFirst) {
        List<Step> current = List.copyOf(failing);
        boolean progress = true;
        while (progress && attempts < maxAttempts) {
            progress = false;
            if (mergeFirst) {
                List<Step> merged = mergeTraffic(current);
                if (merged.size() < current.size()) {
                    current = merged;
                    progress = true;
                }
            }
            for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
                List<Step> reduced = removeChunks(current, chunk);
                if (reduced.size() < current.size()) {
                    current = reduced;
                    progress = true;
                }
            }
            if (!mergeFirst) {
                List<Step> merged = mergeTraffic(current);
                if (merged.size() < current.size()) {
                    current = merged;
                    progress = true;
                }
            }
            List<Step> bridged = dropBetweenTraffic(current);
            if (bridged.size() < current.size()) {
                current = bridged;
                progress = true;
            }
            List<Step> simpler = simplifySteps(current);
            if (!simpler.equals(current)) {
                current = simpler;
                progress = true;
            }
            if (!progress && current.size() <= MAX_PAIR_SHRINK) {
                // Locally minimal for single steps; two steps may only go together (a crash and its
                // restart, a send and its delivery).
                List<Step> reduced = removePairs(current);
                if (reduced.size() < current.size()) {
                    current = reduced;
                    progress = true;
                }
            }
            if (!progress && current.size() <= MAX_PAIR_SHRINK) {
                // The order of two neighbours often does not matter to the failure, but one order
                // lets another step go, or brings two traffic steps together.
                List<Step> reduced = swapAndShorten(current);
                if (reduced.size() < current.size()) {
                    current = reduced;
                    progress = true;
                }
            }
        }
        return current;
    }

    /** Up to this length a locally minimal schedule is also tried without each pair of steps. */
    static final int MAX_PAIR_SHRINK = 40;

    private List<Step> removePairs(List<Step> schedule) {
        for (int i = 0; i < schedule.size() && attempts < maxAttempts; i++) {
            for (int j = i + 1; j < schedule.size() && attempts < maxAttempts; j++) {
                List<Step> candidate = new ArrayList<>(schedule);
                candidate.remove(j);
                candidate.remove(i);
                if (fails(candidate)) {
                    return candidate;
                }
            }
        }
        return schedule;
    }

    /**
     * From left to right, swaps each pair of neighbouring steps and tries the swapped schedule
     * without each other step, then (given a clock) with the traffic steps the swap brought
     * together as one run over their span; returns the first candidate that fails, or the
     * schedule itself.
     */
    private List<Step> swapAndShorten(List<Step> schedule) {
        for (int i = 0; i + 1 < schedule.size() && attempts < maxAttempts; i++) {
            if (schedule.get(i).equals(schedule.get(i + 1))) {
                continue;
            }
            List<Step> swapped = new ArrayList<>(schedule);
            swapped.set(i, schedule.get(i + 1));
            swapped.set(i + 1, schedule.get(i));
            for (int k = 0; k < swapped.size() && attempts < maxAttempts; k++) {
                if (k == i || k == i + 1) {
                    continue; // without either swapped step the swap changes nothing: tried already
                }
                List<Step> candidate = new ArrayList<>(swapped);
                candidate.remove(k);
                if (fails(candidate)) {
                    return candidate;
                }
            }
            List<Step> merged = mergeAround(swapped, i);
            if (merged != null) {
                return merged;
            }
        }
        return schedule;
    }

    /**
     * The first of the windows of two traffic steps that end or start at the swapped pair
     * {@code i, i + 1} of {@code swapped}, replaced by one run over its span, that still fails,
     * or null (also without a clock).
     */
    private List<Step> mergeAround(List<Step> swapped, int i) {
        if (clock == null) {
            return null;
        }
        long[] times = null;
        for (int k = Math.max(0, i - 1); k <= i + 1 && k + 1 < swapped.size() && attempts < maxAttempts; k++) {
            if (!swapped.get(k).isTraffic() || !swapped.get(k + 1).isTraffic()) {
                continue;
            }
            if (times == null) {
                times = clock.apply(List.copyOf(swapped));
            }
            List<Step> candidate = replaced(swapped, k, k + 2, new Step.Run(times[k + 2] - times[k]));
            if (fails(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** How many candidate schedules were replayed. */
    public int attempts() {
        return attempts;
    }

    private List<Step> removeChunks(List<Step> schedule, int chunk) {
        List<Step> current = schedule;
        int start = 0;
        while (start < current.size() && attempts < maxAttempts) {
            int end = Math.min(current.size(), start + chunk);
            List<Step> candidate = new ArrayList<>(current.subList(0, start));
            candidate.addAll(current.subList(end, current.size()));
            if (fails(candidate)) {
                current = candidate;
            } else {
                start += chunk;
            }
        }
        return current;
    }

    /**
     * From left to right, replaces the longest window of two or more traffic steps that can go by
     * one step, keeping only candidates that still fail: first by the same steps written once
     * ({@code deliver I} n times as {@code deliver I times=n}, advances as one advance of their
     * sum), then by one run over the window's span of virtual time (measured on the schedule as
     * it is).
     */
    private List<Step> mergeTraffic(List<Step> schedule) {
        if (clock == null) {
            return schedule;
        }
        List<Step> current = schedule;
        long[] times = null;
        for (int i = 0; i < current.size() - 1 && attempts < maxAttempts; i++) {
            int end = i;
            while (end < current.size() && current.get(end).isTraffic()) {
                end++;
            }
            for (int j = end; j >= i + 2 && attempts < maxAttempts; j--) {
                if (times == null) {
                    times = clock.apply(List.copyOf(current));
                }
                List<Step> candidates = new ArrayList<>();
                candidates.add(new Step.Run(times[j] - times[i]));
                Step same = writtenOnce(current.subList(i, j));
                if (same != null) {
                    candidates.add(same);
                } else {
                    candidates.addAll(deliveriesAsOne(current.subList(i, j)));
                }
                Step merged = null;
                for (Step by : candidates) {
                    if (attempts >= maxAttempts) {
                        break;
                    }
                    if (fails(replaced(current, i, j, by))) {
                        merged = by;
                        break;
                    }
                }
                if (merged != null) {
                    current = replaced(current, i, j, merged);
                    times = null;
                    break;
                }
            }
        }
        return current;
    }

    /**
     * From left to right, tries each step that separates two traffic steps without it, its two
     * neighbours then written as one step: one run over the virtual time the three spanned (measured
     * on the schedule as it is), or the neighbours' deliveries as one ({@link #deliveriesAsOne}).
     * A send between two windows often matters only through the time it lets pass; removed alone,
     * it leaves two traffic steps that single-step removal and window merging each keep.
     */
    private List<Step> dropBetweenTraffic(List<Step> schedule) {
        if (clock == null) {
            return schedule;
        }
        List<Step> current = schedule;
        long[] times = null;
        for (int i = 1; i < current.size() - 1 && attempts < maxAttempts; i++) {
            if (current.get(i).isTraffic() || !current.get(i - 1).isTraffic() || !current.get(i + 1).isTraffic()) {
                continue;
            }
            if (times == null) {
                times = clock.apply(List.copyOf(current));
            }
            List<Step> candidates = new ArrayList<>();
            candidates.add(new Step.Run(times[i + 2] - times[i - 1]));
            candidates.addAll(deliveriesAsOne(List.of(current.get(i - 1), current.get(i + 1))));
            for (Step by : candidates) {
                if (attempts >= maxAttempts) {
                    break;
                }
                List<Step> candidate = replaced(current, i - 1, i + 2, by);
                if (fails(candidate)) {
                    current = candidate;
                    times = null;
                    break;
                }
            }
        }
        return current;
    }

    /**
     * Guesses for a window of deliveries as one step: {@code deliver K times=N}, N all its
     * deliveries, for each index K the window uses (first use first). Unlike {@link #writtenOnce}
     * such a step may choose other heads than the window did, so only the replay can tell.
     */
    static List<Step> deliveriesAsOne(List<Step> window) {
        if (!window.stream().allMatch(s -> s instanceof Step.Deliver)) {
            return List.of();
        }
        int total = window.stream().mapToInt(s -> ((Step.Deliver) s).times()).sum();
        return window.stream().map(s -> ((Step.Deliver) s).index()).distinct()
                .map(k -> (Step) new Step.Deliver(k, total)).toList();
    }

    /**
     * The window as one step that does exactly what its steps did one by one (deliveries of one
     * index, or advances), or null if there is none.
     */
    static Step writtenOnce(List<Step> window) {
        if (window.stream().allMatch(s -> s instanceof Step.Advance)) {
            return new Step.Advance(window.stream().mapToLong(s -> ((Step.Advance) s).ms()).sum());
        }
        if (window.stream().allMatch(s -> s instanceof Step.Deliver d && d.index() == ((Step.Deliver) window.get(0)).index())) {
            return new Step.Deliver(((Step.Deliver) window.get(0)).index(),
                    window.stream().mapToInt(s -> ((Step.Deliver) s).times()).sum());
        }
        return null;
    }

    private static List<Step> replaced(List<Step> schedule, int from, int to, Step by) {
        List<Step> candidate = new ArrayList<>(schedule.subList(0, from));
        candidate.add(by);
        candidate.addAll(schedule.subList(to, schedule.size()));
        return candidate;
    }

    private List<Step> simplifySteps(List<Step> schedule) {
        List<Step> current = new ArrayList<>(schedule);
        for (int i = 0; i < current.size() && attempts < maxAttempts; i++) {
            for (Step simpler : current.get(i).simplifications()) {
                List<Step> candidate = new ArrayList<>(current);
                candidate.set(i, simpler);
                if (fails(candidate)) {
                    current = candidate;
                    break;
                }
            }
        }
        return List.copyOf(current);
    }

    private boolean fails(List<Step> candidate) {
        attempts++;
        return stillFails.test(List.copyOf(candidate));
    }
}
