package dev.deliverycheck.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.tlc.ModelCheck;
import dev.deliverycheck.tlc.ModelManifest;
import dev.deliverycheck.tlc.ProjectRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report written from real explorer runs and a real TLC counterexample, checked with an HTML
 * parser (anchors, local files, nothing external) and opened in headless Chromium (no console
 * errors, every diagram and chart rendered at a non-zero size). A screenshot of the at-least-once
 * NoDuplicate diagram is saved as target/report-at-least-once-noduplicate.png.
 */
class ReportPageTest {
    @TempDir
    static Path dir;
    private static Path index;
    private static HeadlessChromium browser;

    @BeforeAll
    static void writeReportAndStartBrowser() throws Exception {
        Path root = ProjectRoot.locate();
        ModelManifest manifest = ModelManifest.read(ProjectRoot.tlaDir(root).resolve("models.json"));
        List<ModelCheck> models = List.of(
                new ModelCheck("MCAtLeastOnce", "holds", "holds", 28434, 3, true, List.of()),
                new ModelCheck("MCAtLeastOnce_NoDuplicate", "violates NoDuplicate", "violates NoDuplicate", 284, 1, true, List.of()));
        List<ExploreReport> explored = List.of(Explored.of(Mode.AT_MOST_ONCE), Explored.of(Mode.AT_LEAST_ONCE),
                Explored.of(Mode.EXACTLY_ONCE));
        List<MatrixCell> cells = new ArrayList<>();
        for (ExploreReport r : explored) {
            for (ExploreReport.InvariantOutcome o : r.invariants().values()) {
                boolean alo = r.mode() == Mode.AT_LEAST_ONCE;
                List<String> speaking = !alo ? List.of() : o.invariant() == Invariant.NO_DUPLICATE
                        ? List.of("MCAtLeastOnce_NoDuplicate") : List.of("MCAtLeastOnce");
                cells.add(new MatrixCell(r.mode(), o.invariant(), o.expected().label(), alo ? o.expected().label() : "none", speaking,
                        o.observed(), o.matches()));
            }
        }
        ReportInput in = ReportInput.of("./deliverycheck verify --report DIR", true, root).withMatrix(cells)
                .withModels(models, manifest).withExplored(explored);
        index = ReportWriter.write(dir, in);
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void everyAnchorAndLocalFileResolvesAndNothingIsExternal() throws Exception {
        assertThat(ReportLinks.problems(index)).isEmpty();
        String html = Files.readString(index, StandardCharsets.UTF_8);
        assertThat(html).contains("id=\"finding-at-least-once-NoDuplicate\"", "id=\"finding-at-most-once-NoLoss\"",
                "id=\"tlc-MCAtLeastOnce-NoDuplicate\"", "id=\"example-exactly-once-abort\"",
                "./deliverycheck replay ");
        assertThat(html).containsPattern("href=\"#tlc-MCAtLeastOnce-NoDuplicate\">violated</a> / <a href=\"#finding-at-least-once-NoDuplicate\">violated</a>");
    }

    @Test
    void theLinkCheckCatchesABrokenAnchorAndAMissingFile() throws Exception {
        Path bad = dir.resolve("bad.html");
        Files.writeString(bad, "<html><body id=\"top\"><a href=\"#nowhere\">x</a><a href=\"#top\">ok</a>"
                + "<img src=\"missing.png\"><a href=\"index.html\">ok</a><script src=\"https://cdn.example/x.js\"></script></body></html>");
        assertThat(ReportLinks.problems(bad)).containsExactlyInAnyOrder("broken anchor #nowhere", "missing file missing.png",
                "not a local file: https://cdn.example/x.js",
                "external or active content: <script src=\"https://cdn.example/x.js\"></script>");
    }

    @Test
    void chromiumRendersEveryDiagramWithoutConsoleErrors() throws Exception {
        browser.open(index.toUri().toString());
        List<?> svgs = (List<?>) browser.evaluate("[...document.querySelectorAll('svg')].map(s => "
                + "{const r = s.getBoundingClientRect(); return [s.getAttribute('aria-label'), r.width, r.height];})");
        assertThat(svgs).as("diagrams: 2 findings, 1 abort, 1 TLC counterexample, at least").hasSizeGreaterThanOrEqualTo(4);
        for (Object o : svgs) {
            List<?> s = (List<?>) o;
            assertThat(((Number) s.get(1)).doubleValue()).as("width of %s", s.get(0)).isGreaterThan(100);
            assertThat(((Number) s.get(2)).doubleValue()).as("height of %s", s.get(0)).isGreaterThan(50);
        }
        List<?> images = (List<?>) browser.evaluate("[...document.images].map(i => [i.getAttribute('src'), i.complete, i.naturalWidth])");
        for (Object o : images) {
            List<?> i = (List<?>) o;
            assertThat(((Number) i.get(2)).intValue()).as("image %s loaded", i.get(0)).isGreaterThan(0);
        }
        assertThat(browser.consoleErrors()).isEmpty();

        Map<?, ?> box = (Map<?, ?>) browser.evaluate("(() => {const s = document.querySelector("
                + "'#finding-at-least-once-NoDuplicate svg'); s.scrollIntoView(); const r = s.getBoundingClientRect(); return {x: r.left + window.scrollX, "
                + "y: r.top + window.scrollY, w: r.width, h: r.height};})()");
        byte[] png = browser.screenshot(num(box, "x"), num(box, "y"), num(box, "w"), num(box, "h"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        int width = java.nio.ByteBuffer.wrap(png, 16, 8).getInt();
        assertThat(width).isEqualTo((int) Math.round(num(box, "w")));
        Path shot = ProjectRoot.locate().resolve("target").resolve("report-at-least-once-noduplicate.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, png);
    }

    @Test
    void chromiumReportsAFailedLoadAsAConsoleError() throws Exception {
        Path bad = dir.resolve("missing-image.html");
        Files.writeString(bad, "<html><body><img src=\"nothing-here.png\"></body></html>");
        browser.open(bad.toUri().toString());
        assertThat(browser.consoleErrors()).anyMatch(e -> e.contains("nothing-here.png") || e.contains("ERR_FILE_NOT_FOUND"));
    }

    private static double num(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }
}
