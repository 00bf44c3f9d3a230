package dev.deliverycheck.report;

import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.Schedule;
import dev.deliverycheck.explore.TraceSampler;
import dev.deliverycheck.tlc.ModelCheck;
import dev.deliverycheck.tlc.ModelManifest;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything one command found, for the HTML report and the JUnit XML: each part may be empty,
 * since {@code check-models} has only models, {@code explore} only explorations, {@code replay}
 * only a replay, {@code kafka} only results against real Kafka, and {@code verify} all but those.
 *
 * @param command  the command line as the user would type it, shown at the top of the report
 * @param manifest the TLC manifest the models came from (null without models); counterexamples
 *                 are re-read from TLC through it
 * @param root     the project root (for tla/ and docs/bench/), or null
 */
public record ReportInput(String command, boolean ok, List<MatrixCell> matrix, List<ModelCheck> models,
                          ModelManifest manifest, List<ExploreReport> explored, List<TraceSampler.Report> traces,
                          Replay replay, Path root, List<RealKafkaResult> real) {
    public ReportInput {
        real = List.copyOf(real);
        matrix = List.copyOf(matrix);
        models = List.copyOf(models);
        explored = List.copyOf(explored);
        traces = List.copyOf(traces);
    }

    /** A schedule file replayed by {@code replay}: whether its failure was shown again, and the trace verdict if checked. */
    public record Replay(Path file, Schedule schedule, boolean reproduced, String traceMessage) {
    }

    public static ReportInput of(String command, boolean ok, Path root) {
        return new ReportInput(command, ok, List.of(), List.of(), null, List.of(), List.of(), null, root, List.of());
    }

    public ReportInput withMatrix(List<MatrixCell> cells) {
        return new ReportInput(command, ok, cells, models, manifest, explored, traces, replay, root, real);
    }

    public ReportInput withModels(List<ModelCheck> checks, ModelManifest from) {
        return new ReportInput(command, ok, matrix, checks, from, explored, traces, replay, root, real);
    }

    public ReportInput withExplored(List<ExploreReport> reports) {
        return new ReportInput(command, ok, matrix, models, manifest, reports, traces, replay, root, real);
    }

    public ReportInput withTraces(List<TraceSampler.Report> reports) {
        return new ReportInput(command, ok, matrix, models, manifest, explored, reports, replay, root, real);
    }

    public ReportInput withReal(List<RealKafkaResult> results) {
        return new ReportInput(command, ok, matrix, models, manifest, explored, traces, replay, root, results);
    }

    public ReportInput withReplay(Replay r) {
        return new ReportInput(command, ok, matrix, models, manifest, explored, traces, r, root, real);
    }
}
