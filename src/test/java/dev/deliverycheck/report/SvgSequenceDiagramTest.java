package dev.deliverycheck.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The SVG drawing: sizes, escaping, the shapes of a lost message, a crash and a violation. */
class SvgSequenceDiagramTest {
    private static final List<String> LANES = List.of("application", "producer 100", "broker 0");

    private static double attribute(String svg, String name) {
        Matcher m = Pattern.compile("<svg [^>]*\\b" + name + "=\"([0-9.]+)\"").matcher(svg);
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aLostMessageEndsInACrossShortOfItsTargetAndHasNoArrowhead() {
        String svg = SvgSequenceDiagram.render(new Diagram("t", LANES, List.of(
                new Diagram.Arrow("producer 100", "broker 0", "NetworkLoseRequest: Produce", true, false))));
        double from = SvgSequenceDiagram.laneX(1);
        double to = SvgSequenceDiagram.laneX(2);
        assertThat(svg).contains(String.format(java.util.Locale.ROOT, "x2=\"%.1f\"", from + (to - from) * 0.6))
                .contains("class=\"cross\"").doesNotContain("<polygon");
        String delivered = SvgSequenceDiagram.render(new Diagram("t", LANES, List.of(
                new Diagram.Arrow("producer 100", "broker 0", "Produce", false, false))));
        assertThat(delivered).contains("<polygon").doesNotContain("class=\"cross\"");
    }

    @Test
    void theSizeGrowsWithRowsAndWithLongLabels() {
        String small = SvgSequenceDiagram.render(new Diagram("t", LANES, List.of(new Diagram.Divider("step 1"))));
        String tall = SvgSequenceDiagram.render(new Diagram("t", LANES, List.of(new Diagram.Divider("step 1"),
                new Diagram.Bar("broker 0", "BrokerCrash", true), new Diagram.Bar("broker 0", "BrokerRestart", false))));
        String wide = SvgSequenceDiagram.render(new Diagram("t", LANES, List.of(new Diagram.Note("broker 0", "x".repeat(300), false, false))));
        assertThat(attribute(small, "width")).isEqualTo(2 * SvgSequenceDiagram.MARGIN + 3 * SvgSequenceDiagram.LANE_WIDTH);
        assertThat(attribute(tall, "height")).isEqualTo(attribute(small, "height") + 2 * SvgSequenceDiagram.ROW);
        assertThat(attribute(wide, "width")).isGreaterThan(300 * SvgSequenceDiagram.CHAR);
        assertThat(tall).contains("class=\"crash\"").contains("class=\"restart\"");
    }

    @Test
    void labelsAreEscaped() {
        String svg = SvgSequenceDiagram.render(new Diagram("a <b> & \"c\"", LANES, List.of(
                new Diagram.Banner("NoDuplicate violated: <r1> & r2"))));
        assertThat(svg).contains("NoDuplicate violated: &lt;r1&gt; &amp; r2").contains("aria-label=\"a &lt;b&gt; &amp; &quot;c&quot;\"")
                .doesNotContain("<r1>");
    }

    @Test
    void anItemOnALaneTheDiagramDoesNotHaveIsRefused() {
        assertThatThrownBy(() -> new Diagram("t", LANES, List.of(new Diagram.Note("coordinator", "x", false, false))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no lane 'coordinator'");
    }
}
