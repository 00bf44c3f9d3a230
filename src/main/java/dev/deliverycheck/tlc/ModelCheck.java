package dev.deliverycheck.tlc;

import java.util.List;

/**
 * The verdict on one manifest model: what was expected, what TLC observed, and whether they
 * agree. A violation counts as expected only if TLC names the expected property.
 *
 * @param counterexample action names of TLC's error trace (empty when the model holds)
 * @param coverage       TLC's coverage of a positive model ({@link Coverage#NONE} for the others)
 */
public record ModelCheck(String name, String expected, String observed, long distinctStates, double seconds,
                         boolean ok, List<String> counterexample, Coverage coverage) {
    public ModelCheck {
        counterexample = List.copyOf(counterexample);
    }

    public ModelCheck(String name, String expected, String observed, long distinctStates, double seconds,
                      boolean ok, List<String> counterexample) {
        this(name, expected, observed, distinctStates, seconds, ok, counterexample, Coverage.NONE);
    }

    public static ModelCheck of(ModelManifest.Entry entry, TlcResult result) {
        Outcome expected = entry.expectation();
        return new ModelCheck(entry.name(), expected.toString(), result.outcome().toString(), result.distinctStates(),
                result.seconds(), expected.equals(result.outcome()), result.counterexample(), result.coverage());
    }
}
