package dev.deliverycheck.report;

import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.ScheduleFile;
import dev.deliverycheck.sim.SimulationConfig;
import dev.deliverycheck.tlc.ProjectRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes the report directory: {@code index.html}, a copy of every shrunk schedule under
 * {@code schedules/} and the performance lab's charts under {@code bench/}, so every link of the
 * page resolves inside the directory and the directory can be moved or uploaded as a whole.
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    /** Writes the report into {@code dir} (created if missing) and returns its {@code index.html}. */
    public static Path write(Path dir, ReportInput in) throws IOException {
        Files.createDirectories(dir);
        Map<String, TlaTrace> counterexamples = in.manifest() == null || in.root() == null ? Map.of()
                : TlcCounterexamples.capture(in.manifest(), in.models(), ProjectRoot.tlaDir(in.root()));
        Map<String, RunDiagrams.Drawn> drawn = new LinkedHashMap<>();
        for (ExploreReport r : in.explored()) {
            for (ExploreReport.InvariantOutcome o : r.invariants().values()) {
                ExploreReport.Finding f = o.finding();
                if (f == null || f.schedule() == null) {
                    continue;
                }
                drawn.put(FindingsHtml.findingId(r, o.invariant()),
                        RunDiagrams.draw(f.schedule(), SimulationConfig.forExploration(r.mode()), o.invariant()));
                Path copy = dir.resolve("schedules").resolve(f.file().getFileName().toString());
                ScheduleFile.write(f.schedule(), copy);
            }
            java.util.Optional<RunDiagrams.Drawn> abort = AbortExample.find(r);
            if (abort.isPresent()) {
                drawn.put(FindingsHtml.abortId(r), abort.get());
                ScheduleFile.write(abort.get().result().schedule(), dir.resolve(FindingsHtml.abortFile(r, abort.get())));
            }
        }
        RunDiagrams.Drawn replay = null;
        if (in.replay() != null) {
            ReportInput.Replay r = in.replay();
            Invariant focus = r.schedule().failing() == null ? null : Invariant.fromTlaName(r.schedule().failing());
            replay = RunDiagrams.draw(r.schedule(), SimulationConfig.forExploration(r.schedule().mode()), focus);
        }
        for (RealKafkaResult r : in.real()) {
            for (RealKafkaResult.Row row : r.rows()) {
                if (row.example() != null && row.example().file() != null) {
                    Path copy = dir.resolve("schedules").resolve(row.example().file().getFileName().toString());
                    Files.createDirectories(copy.getParent());
                    Files.writeString(copy, row.example().scheduleText(), StandardCharsets.UTF_8);
                }
            }
        }
        List<String> charts = copyCharts(in.root(), dir);
        Path index = dir.resolve("index.html");
        Files.writeString(index, HtmlReport.render(in, counterexamples, drawn, replay, charts), StandardCharsets.UTF_8);
        return index;
    }

    private static List<String> copyCharts(Path root, Path dir) throws IOException {
        List<String> charts = new ArrayList<>();
        if (root == null) {
            return charts;
        }
        Path bench = root.resolve("docs").resolve("bench");
        if (!Files.isDirectory(bench)) {
            return charts;
        }
        List<Path> pngs;
        try (Stream<Path> files = Files.list(bench)) {
            pngs = files.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        }
        for (Path png : pngs) {
            Path target = dir.resolve("bench").resolve(png.getFileName().toString());
            Files.createDirectories(target.getParent());
            Files.copy(png, target, StandardCopyOption.REPLACE_EXISTING);
            charts.add("bench/" + png.getFileName());
        }
        return charts;
    }
}
