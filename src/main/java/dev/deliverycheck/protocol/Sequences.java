package dev.deliverycheck.protocol;

/** Sequence-number arithmetic shared by producer and broker: sequences wrap from MAX_VALUE to 0. */
public final class Sequences {
    private Sequences() {
    }

    /** {@code sequence + increment}, wrapping past {@link Integer#MAX_VALUE} to 0. */
    public static int increment(int sequence, int increment) {
        if (sequence > Integer.MAX_VALUE - increment) {
            return increment - (Integer.MAX_VALUE - sequence) - 1;
        }
        return sequence + increment;
    }
}
