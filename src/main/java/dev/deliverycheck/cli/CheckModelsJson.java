package dev.deliverycheck.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deliverycheck.tlc.CoverageGate;
import dev.deliverycheck.tlc.ModelCheck;
import java.util.List;

/**
 * The document {@code check-models --json} prints: Jackson writes the components in this order (the CLI contract
 * scripts read); {@code coverage} only when the coverage gate ran.
 */
record CheckModelsJson(List<Model> models, boolean ok,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Coverage coverage) {

    /** One model's result; {@code seconds} rounded to tenths, {@code counterexample} the action names (or empty). */
    record Model(String name, String expected, String observed, long distinctStates, double seconds, boolean ok,
                 List<String> counterexample) {
        static Model of(ModelCheck c) {
            return new Model(c.name(), c.expected(), c.observed(), c.distinctStates(), Math.round(c.seconds() * 10) / 10.0,
                    c.ok(), c.counterexample());
        }
    }

    /** The coverage gate's verdict: unreached and stale region ids, one summary line per spec. */
    record Coverage(boolean ok, List<String> unreached, List<String> stale, List<String> specs) {
        static Coverage of(CoverageGate.Report r) {
            return new Coverage(r.ok(), r.unreached(), r.stale(), r.specs().stream().map(Object::toString).toList());
        }
    }

    static CheckModelsJson of(List<ModelCheck> checks, boolean ok, CoverageGate.Report coverage) {
        return new CheckModelsJson(checks.stream().map(Model::of).toList(), ok,
                coverage == null ? null : Coverage.of(coverage));
    }
}
