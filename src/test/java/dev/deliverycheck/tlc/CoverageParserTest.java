package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoverageParserTest {
    private final CoverageParser parser = new CoverageParser(
            (module, line, col, endLine, endCol) -> module.equals("AtMostOnce") && line == 28 ? "BrokerAck"
                    : module.equals("AtMostOnce") && line == 31 ? "ProducerSendFailed" : null);

    private static List<String> captured() throws IOException {
        try (InputStream in = CoverageParserTest.class.getResourceAsStream("coverage-MCAtMostOnce.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void readsTheActionsOfCapturedTlcOutputSkippingInitAndInvariants() throws IOException {
        Coverage c = parser.parse(captured());
        assertThat(c.actions()).extracting(Coverage.Action::name)
                .containsExactly("BrokerAck", "ProducerSendFailed", "ProducerSend", "Terminating");
        Coverage.Action failed = c.actions().get(1);
        assertThat(failed.distinct()).isEqualTo(1544);
        assertThat(failed.generated()).isEqualTo(7706);
        assertThat(failed.definition()).isEqualTo(new Coverage.Region("AtMostOnce", 24, 1, 24, 4));
        assertThat(failed.neverEvaluated()).containsExactly(
                new Coverage.Region("DeliveryBase", 440, 14, 440, 56),
                new Coverage.Region("DeliveryBase", 441, 14, 441, 73),
                new Coverage.Region("DeliveryBase", 442, 14, 442, 63));
        assertThat(failed.evaluated()).contains(new Coverage.Region("DeliveryBase", 444, 21, 444, 32));
        Coverage.Action terminating = c.actions().get(3);
        assertThat(terminating.distinct()).isZero();
        assertThat(terminating.enabled()).as("stuttering counts as enabled").isTrue();
    }

    @Test
    void keepsOnlyTheOutermostNeverEvaluatedExpressionAndReadsTheLastBlock() {
        Coverage c = parser.parse(List.of(
                "The coverage statistics at 2026-12-06 07:51:50",
                "<Stale line 1, col 1 to line 1, col 5 of module M>: 1:1",
                "End of statistics.",
                "The coverage statistics at 2026-12-06 07:51:52",
                "<Step line 5, col 1 to line 5, col 4 of module M>: 3:9",
                "  line 6, col 8 to line 6, col 20 of module M: 0",
                "  |line 6, col 8 to line 6, col 10 of module M: 0",
                "  line 7, col 8 to line 7, col 20 of module M: 9:27",
                "  |line 7, col 12 to line 7, col 20 of module M: 0",
                "<Never line 9, col 1 to line 9, col 5 of module M>: 0:0",
                "  line 10, col 8 to line 10, col 20 of module M: 0",
                "End of statistics."));
        assertThat(c.actions()).extracting(Coverage.Action::name).containsExactly("Step", "Never");
        assertThat(c.actions().get(0).neverEvaluated()).containsExactly(
                new Coverage.Region("M", 6, 8, 6, 20), new Coverage.Region("M", 7, 12, 7, 20));
        assertThat(c.actions().get(0).evaluated()).containsExactly(new Coverage.Region("M", 7, 8, 7, 20));
        assertThat(c.actions().get(1).enabled()).isFalse();
    }

    @Test
    void noCoverageBlockIsNone() {
        assertThat(parser.parse(List.of("Model checking completed. No error has been found."))).isEqualTo(Coverage.NONE);
    }
}
