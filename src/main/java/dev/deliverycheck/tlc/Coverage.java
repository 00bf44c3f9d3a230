package dev.deliverycheck.tlc;

import java.util.List;

/**
 * What TLC's {@code -coverage} statistics say about the actions of one model: per disjunct of
 * {@code Next}, how many states it generated and which of its sub-expressions were never
 * evaluated. An action that generated no state was never enabled; a never-evaluated
 * sub-expression of an enabled action is a branch (a disjunct, or the rest of a conjunction
 * after a guard that never held) that no behaviour of the model took.
 *
 * @param actions the disjuncts of {@code Next} in TLC's order ({@code Init} is not one); empty
 *                when TLC printed no coverage
 */
public record Coverage(List<Action> actions) {
    public static final Coverage NONE = new Coverage(List.of());

    public Coverage {
        actions = List.copyOf(actions);
    }

    /** A source region as TLC prints it: 1-based lines and columns, both ends inclusive. */
    public record Region(String module, int line, int column, int endLine, int endColumn) {
        @Override
        public String toString() {
            return module + ":" + line + ":" + column + "-" + endLine + ":" + endColumn;
        }
    }

    /**
     * One disjunct of {@code Next}.
     *
     * @param name           the action's name (the called operator when TLC only names {@code Next})
     * @param definition     where TLC says the action is defined
     * @param disjunct       for an action TLC split at its top-level disjunction, the disjunct this
     *                       entry is about; null for a whole action
     * @param distinct       new distinct states it found
     * @param generated      states it generated: 0 means it was never enabled
     * @param neverEvaluated outermost sub-expressions TLC never evaluated while checking it
     * @param evaluated      sub-expressions TLC did evaluate
     */
    public record Action(String name, Region definition, Region disjunct, long distinct, long generated,
                         List<Region> neverEvaluated, List<Region> evaluated) {
        public Action {
            neverEvaluated = List.copyOf(neverEvaluated);
            evaluated = List.copyOf(evaluated);
        }

        public boolean enabled() {
            return generated > 0;
        }
    }
}
