package dev.deliverycheck.env;

/** Randomness a state machine may use (e.g. the sticky partitioner); always seeded. */
public interface RandomSource {
    /** Uniform in [0, bound). */
    int nextInt(int bound);

    /** Uniform in [0, 1). */
    double nextDouble();
}
