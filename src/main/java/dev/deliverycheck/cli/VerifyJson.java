package dev.deliverycheck.cli;

import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.explore.ExploreJson;
import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.TraceSampler;
import dev.deliverycheck.tlc.ModelCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The document {@code verify --json} prints: Jackson writes the components in this order (the CLI contract scripts
 * read): the outcome matrix by mode and invariant, the TLC models, each mode's {@code explore --json} document,
 * the budget, the wall time in seconds (rounded to tenths), the verdict, and each mode's trace validation.
 */
record VerifyJson(Map<String, Map<String, Cell>> matrix, List<Model> models, Map<String, ExploreJson> explore,
                  int runsPerMode, double seconds, boolean ok, Map<String, TraceSampler.Summary> traceValidation,
                  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                  CheckModelsJson.Coverage coverage) {

    /** One matrix cell: the expectation, TLC's and the code's observation, the models that spoke for it. */
    record Cell(String expected, String tlc, String code, List<String> models, boolean ok) {
    }

    /** One TLC model's result ({@code seconds} as measured). */
    record Model(String name, String expected, String observed, long distinctStates, double seconds, boolean ok) {
    }

    static VerifyJson of(OutcomeMatrix matrix, List<ModelCheck> checks, Map<Mode, ExploreReport> explored,
                         Map<Mode, TraceSampler.Report> traced, boolean ok, double seconds, int budget,
                         dev.deliverycheck.tlc.CoverageGate.Report coverage) {
        Map<String, Map<String, Cell>> rows = new LinkedHashMap<>();
        for (Map.Entry<Mode, Map<Invariant, OutcomeMatrix.Cell>> row : matrix.cells().entrySet()) {
            Map<String, Cell> cells = new LinkedHashMap<>();
            for (OutcomeMatrix.Cell c : row.getValue().values()) {
                cells.put(c.invariant().tlaName(), new Cell(c.expected().label(), c.model(), c.code(), c.models(),
                        c.matches()));
            }
            rows.put(row.getKey().cliName(), cells);
        }
        List<Model> models = checks.stream().map(c -> new Model(c.name(), c.expected(), c.observed(),
                c.distinctStates(), c.seconds(), c.ok())).toList();
        Map<String, ExploreJson> explore = new LinkedHashMap<>();
        explored.forEach((mode, r) -> explore.put(mode.cliName(), r.toJson()));
        Map<String, TraceSampler.Summary> traces = new LinkedHashMap<>();
        traced.forEach((mode, r) -> traces.put(mode.cliName(), r.toJson()));
        return new VerifyJson(rows, models, explore, budget, Math.round(seconds * 10) / 10.0, ok, traces,
                coverage == null ? null : CheckModelsJson.Coverage.of(coverage));
    }
}
