package dev.deliverycheck.check;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Collects a checker's offences: each offending record id once, in the order met, and the
 * explanation of the first offence only — later ones are never formatted, which keeps a badly
 * broken history as cheap to judge as a clean one.
 */
final class Offences {
    private final Invariant invariant;
    private final Set<Long> ids = new LinkedHashSet<>();
    private String first;

    Offences(Invariant invariant) {
        this.invariant = invariant;
    }

    /** Records an offence; {@code explanation} is kept only for the first one. */
    void add(List<Long> recordIds, Supplier<String> explanation) {
        ids.addAll(recordIds);
        if (first == null) {
            first = explanation.get();
        }
    }

    void add(long recordId, Supplier<String> explanation) {
        add(List.of(recordId), explanation);
    }

    /** Violated with the first offence's explanation, or holds with {@code holdsExplanation}. */
    Verdict verdict(String holdsExplanation) {
        if (first == null) {
            return Verdict.pass(invariant, holdsExplanation);
        }
        String total = ids.size() > 1 ? "; " + ids.size() + " offending records in all" : "";
        return Verdict.fail(invariant, new ArrayList<>(ids), first + total);
    }
}
