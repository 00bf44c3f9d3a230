package dev.deliverycheck.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Shrinks a failing schedule to a short one that still fails the same way: first remove chunks
 * of steps (delta debugging, halving the chunk size), then single steps, then replace steps by
 * simpler variants; repeat until a whole pass changes nothing or the attempt budget is spent.
 * When a pass changes nothing, a schedule of at most {@link #MAX_PAIR_SHRINK} steps is also tried
 * without each pair of steps. Every candidate is judged by a full deterministic replay
 * ({@code stillFails}), so the result is guaranteed to fail; it is locally minimal: removing any
 * one step (and, up to that length, any two) makes it pass.
 */
public final class Shrinker {
    private final Predicate<List<Step>> stillFails;
    private final int maxAttempts;
    private int attempts;

    public Shrinker(Predicate<List<Step>> stillFails, int maxAttempts) {
        this.stillFails = stillFails;
        this.maxAttempts = maxAttempts;
    }

    public List<Step> shrink(List<Step> failing) {
        List<Step> current = List.copyOf(failing);
        boolean progress = true;
        while (progress && attempts < maxAttempts) {
            progress = false;
            for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
                List<Step> reduced = removeChunks(current, chunk);
                if (reduced.size() < current.size()) {
                    current = reduced;
                    progress = true;
                }
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
