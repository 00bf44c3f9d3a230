package dev.deliverycheck.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Expectation;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.ScheduleFile;
import dev.deliverycheck.tlc.ModelCheck;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** JUnit XML as CI systems read it: well-formed, one case per cell or model, failures with seed, replay command and schedule. */
class JUnitXmlTest {
    @TempDir
    Path dir;

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element testcase(Document doc, String classname, String name) {
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            if (e.getAttribute("classname").equals(classname) && e.getAttribute("name").equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no testcase " + classname + " " + name);
    }

    /** The at-least-once exploration as if NoDuplicate had been expected to hold: a mismatch carrying a real finding. */
    private static ExploreReport misjudged() {
        ExploreReport r = Explored.of(Mode.AT_LEAST_ONCE);
        Map<Invariant, ExploreReport.InvariantOutcome> outcomes = new LinkedHashMap<>(r.invariants());
        ExploreReport.InvariantOutcome dup = outcomes.get(Invariant.NO_DUPLICATE);
        outcomes.put(Invariant.NO_DUPLICATE, new ExploreReport.InvariantOutcome(Invariant.NO_DUPLICATE, Expectation.HOLDS, false,
                dup.finding()));
        return new ExploreReport(r.mode(), r.runs(), r.steps(), r.seed(), outcomes, r.coverage(), r.requiredScenarios(),
                r.unsettledRuns(), r.schedulesPerSecond(), r.schedulesPerCpuSecond(), r.brokerVariant());
    }

    @Test
    void aMismatchedInvariantFailsWithItsSeedReplayCommandAndShrunkSchedule() throws Exception {
        ExploreReport r = misjudged();
        ExploreReport.Finding f = r.invariants().get(Invariant.NO_DUPLICATE).finding();
        Path file = dir.resolve("out").resolve("explore.xml");
        JUnitXml.write(file, ReportInput.of("./deliverycheck explore --mode at-least-once", false, null).withExplored(List.of(r)));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo(String.valueOf(Mode.AT_LEAST_ONCE.invariants().size()));
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        Element failure = (Element) testcase(doc, "explore.at-least-once", "NoDuplicate").getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("expected holds, observed violated");
        assertThat(failure.getTextContent()).contains("seed " + f.seed() + ": " + f.explanation())
                .contains("replay: ./deliverycheck replay " + f.file())
                .contains(ScheduleFile.format(f.schedule()));
        Element passing = testcase(doc, "explore.at-least-once", "PartitionOrder");
        assertThat(passing.getElementsByTagName("failure").getLength()).isZero();
        assertThat(passing.getElementsByTagName("system-out").item(0).getTextContent()).contains("./deliverycheck replay ");
    }

    @Test
    void verifyWritesOneCasePerMatrixCellAndModel() throws Exception {
        ExploreReport r = Explored.of(Mode.AT_LEAST_ONCE);
        List<MatrixCell> cells = r.invariants().values().stream().map(o -> new MatrixCell(r.mode(), o.invariant(),
                o.expected().label(), o.expected().label(), List.of("MCAtLeastOnce"), o.observed(), o.matches())).toList();
        List<ModelCheck> models = List.of(new ModelCheck("MCAtLeastOnce", "holds", "holds", 1, 2.5, true, List.of()),
                new ModelCheck("MCBad", "holds", "violates NoLoss", 1, 1.0, false, List.of("ProducerSend", "NetworkLoseRequest")));
        String xml = JUnitXml.render(ReportInput.of("./deliverycheck verify", false, null).withMatrix(cells).withModels(models, null)
                .withExplored(List.of(r)));
        Document doc = parse(xml);
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(cells.size() + models.size());
        assertThat(testcase(doc, "verify.matrix.at-least-once", "NoDuplicate").getElementsByTagName("failure").getLength()).isZero();
        Element bad = (Element) testcase(doc, "check-models", "MCBad").getElementsByTagName("failure").item(0);
        assertThat(bad.getAttribute("message")).isEqualTo("expected holds, TLC observed violates NoLoss");
        assertThat(bad.getTextContent()).contains("counterexample: ProducerSend -> NetworkLoseRequest");
        assertThat(((Element) doc.getElementsByTagName("testsuites").item(0)).getAttribute("failures")).isEqualTo("1");
    }

    @Test
    void escapesMarkupAndDropsCharactersXmlCannotCarry() throws Exception {
        assertThat(JUnitXml.escape("a<b & \"c\"\u0001")).isEqualTo("a&lt;b &amp; &quot;c&quot;");
        ModelCheck odd = new ModelCheck("M<&>\u0002", "holds", "error: <x>", -1, 0, false, List.of());
        Document doc = parse(JUnitXml.render(ReportInput.of("cmd \"q\"", false, null).withModels(List.of(odd), null)));
        assertThat(((Element) doc.getElementsByTagName("testcase").item(0)).getAttribute("name")).isEqualTo("M<&>");
    }
}
