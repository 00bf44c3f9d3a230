package dev.deliverycheck.producer.testkit;

import dev.deliverycheck.env.RandomSource;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A {@link RandomSource} returning scripted draws: queued ints (taken modulo the bound) and a fixed
 * double (0.5 by default, which makes the backoff jitter factor exactly 1).
 */
public final class ScriptedRandom implements RandomSource {
    private final Deque<Integer> ints = new ArrayDeque<>();
    private double fixedDouble = 0.5;
    private int defaultInt;

    public ScriptedRandom ints(int... values) {
        for (int v : values) {
            ints.addLast(v);
        }
        return this;
    }

    public ScriptedRandom fixedDouble(double value) {
        this.fixedDouble = value;
        return this;
    }

    public ScriptedRandom defaultInt(int value) {
        this.defaultInt = value;
        return this;
    }

    @Override
    public int nextInt(int bound) {
        int v = ints.isEmpty() ? defaultInt : ints.pollFirst();
        return Math.floorMod(v, bound);
    }

    @Override
    public double nextDouble() {
        return fixedDouble;
    }
}
