package dev.deliverycheck.check;

/** A cell of DESIGN.md's expected outcome matrix. */
public enum Expectation {
    /** Must hold in every run and every model. */
    HOLDS("holds"),
    /** Must be found violated: a checker that never finds it is broken. */
    VIOLATED("violated"),
    /** The invariant does not apply to the mode (the matrix's "–"). */
    NOT_APPLICABLE("n/a");

    private final String label;

    Expectation(String label) {
        this.label = label;
    }

    /** "holds", "violated" or "n/a", as in reports and JSON. */
    public String label() {
        return label;
    }

    /**
     * Whether an observation agrees with this expectation: {@code holds} for HOLDS, a violation for
     * VIOLATED; nothing observed can agree with NOT_APPLICABLE, which should not be judged at all.
     */
    public boolean matches(boolean holds) {
        return switch (this) {
            case HOLDS -> holds;
            case VIOLATED -> !holds;
            case NOT_APPLICABLE -> false;
        };
    }
}
