package dev.deliverycheck.report;

import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import java.util.List;

/**
 * One cell of DESIGN.md's outcome matrix as {@code verify} judged it: the expectation, what TLC
 * said (and which models spoke for the cell), what the explorer said on the code.
 */
public record MatrixCell(Mode mode, Invariant invariant, String expected, String tlc, List<String> models, String code,
                         boolean ok) {
    public MatrixCell {
        models = List.copyOf(models);
    }
}
