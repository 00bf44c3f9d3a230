package dev.deliverycheck.env;

import java.util.SplittableRandom;

/** A {@link RandomSource} from a seed: the same seed gives the same sequence on every JVM. */
public final class SeededRandom implements RandomSource {
    private final SplittableRandom random;

    public SeededRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    @Override
    public double nextDouble() {
        return random.nextDouble();
    }

    public long nextLong() {
        return random.nextLong();
    }

    /** An independent generator derived from this one, for a sub-component. */
    public SeededRandom split() {
        return new SeededRandom(random.nextLong());
    }
}
