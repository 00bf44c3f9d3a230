package dev.deliverycheck.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A TLC counterexample: the states of the error trace in order, each with the action that led to
 * it (the first state's action is {@code Init}) and its variables as TLC printed them.
 */
public record TlaTrace(String model, String violated, List<State> states) {
    public TlaTrace {
        states = List.copyOf(states);
    }

    /** One state: the action that produced it and every variable's value, in TLC's order. */
    public record State(int number, String action, Map<String, String> variables) {
        public State {
            variables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        }
    }

    /** A variable whose value differs from the previous state ({@code before} is null in the first state). */
    public record Change(String variable, String before, String after) {
    }

    /** What the {@code index}-th state changed; for the first state, every variable. */
    public List<Change> diff(int index) {
        State now = states.get(index);
        Map<String, String> before = index == 0 ? Map.of() : states.get(index - 1).variables();
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, String> v : now.variables().entrySet()) {
            String old = before.get(v.getKey());
            if (!Objects.equals(old, v.getValue())) {
                changes.add(new Change(v.getKey(), old, v.getValue()));
            }
        }
        return changes;
    }
}
