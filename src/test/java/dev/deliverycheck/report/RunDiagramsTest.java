package dev.deliverycheck.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.sim.SimulationConfig;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The diagrams of real explorer findings show what the README says they show. */
class RunDiagramsTest {
    private static RunDiagrams.Drawn finding(Mode mode, Invariant inv) {
        ExploreReport r = Explored.of(mode);
        ExploreReport.Finding f = r.invariants().get(inv).finding();
        assertThat(f).as("%s %s found within %d runs from seed 1", mode, inv, Explored.RUNS).isNotNull();
        return RunDiagrams.draw(f.schedule(), SimulationConfig.forExploration(mode), inv);
    }

    private static <T extends Diagram.Item> List<T> items(Diagram d, Class<T> type, Predicate<T> p) {
        return d.items().stream().filter(type::isInstance).map(type::cast).filter(p).toList();
    }

    private static int position(Diagram d, Diagram.Item item) {
        return d.items().indexOf(item);
    }

    @Test
    void atLeastOnceNoDuplicateShowsTheLostAckTheRetryAndTheDuplicateRecord() {
        Diagram d = finding(Mode.AT_LEAST_ONCE, Invariant.NO_DUPLICATE).diagram();
        List<Diagram.Arrow> lostAcks = items(d, Diagram.Arrow.class, a -> a.lost() && a.label().startsWith("NetworkLoseResponse: ProduceResponse"));
        List<Diagram.Note> retries = items(d, Diagram.Note.class, n -> n.label().startsWith("ProducerRetry"));
        List<Diagram.Note> appends = items(d, Diagram.Note.class, n -> n.label().startsWith("BrokerAppend") && n.highlighted());
        List<Diagram.Banner> banners = items(d, Diagram.Banner.class, b -> b.label().startsWith("NoDuplicate violated"));
        assertThat(lostAcks).hasSize(1);
        assertThat(lostAcks.get(0).from()).startsWith("broker ");
        assertThat(lostAcks.get(0).to()).startsWith("producer ");
        assertThat(retries).isNotEmpty().allMatch(Diagram.Note::highlighted);
        // The same record appended twice: the original and the retry's duplicate, both highlighted.
        assertThat(appends).hasSize(2);
        String record = appends.get(0).label().replaceAll(".*\\[(r\\d+)]$", "$1");
        assertThat(appends.get(1).label()).endsWith("[" + record + "]").isNotEqualTo(appends.get(0).label());
        assertThat(banners).hasSize(1);
        assertThat(position(d, lostAcks.get(0))).isLessThan(position(d, retries.get(0)));
        assertThat(position(d, retries.get(0))).isLessThan(position(d, appends.get(1)));
        assertThat(position(d, appends.get(1))).isLessThan(position(d, banners.get(0)));
        String svg = SvgSequenceDiagram.render(d);
        assertThat(svg).contains("class=\"message lost\"").contains("class=\"cross\"").contains("class=\"note offending\"")
                .contains("class=\"violation\"").contains(">NoDuplicate violated: ");
    }

    @Test
    void atMostOnceNoLossShowsTheLostRequestAndTheFailedSend() {
        Diagram d = finding(Mode.AT_MOST_ONCE, Invariant.NO_LOSS).diagram();
        List<Diagram.Arrow> lost = items(d, Diagram.Arrow.class, a -> a.lost() && a.label().startsWith("NetworkLoseRequest: Produce"));
        List<Diagram.Arrow> failed = items(d, Diagram.Arrow.class, a -> a.label().startsWith("ProducerSendFailed")
                && a.to().equals(EventDiagram.APPLICATION));
        assertThat(lost).hasSize(1);
        assertThat(lost.get(0).from()).startsWith("producer ");
        assertThat(lost.get(0).to()).startsWith("broker ");
        assertThat(lost.get(0).highlighted()).as("the lost request carries the lost record").isTrue();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).highlighted()).isTrue();
        assertThat(items(d, Diagram.Note.class, n -> n.label().startsWith("BrokerAppend"))).as("never stored").isEmpty();
        assertThat(items(d, Diagram.Banner.class, b -> b.label().startsWith("NoLoss violated"))).hasSize(1);
    }

    @Test
    void anExactlyOnceAbortShowsItsMarkers() {
        RunDiagrams.Drawn abort = AbortExample.find(Explored.of(Mode.EXACTLY_ONCE)).orElseThrow();
        Diagram d = abort.diagram();
        List<Diagram.Note> markers = items(d, Diagram.Note.class, n -> n.marker() && n.label().startsWith("CoordinatorWriteMarker ABORT"));
        assertThat(markers).isNotEmpty().allMatch(n -> n.lane().startsWith("broker "));
        assertThat(items(d, Diagram.Note.class, n -> n.lane().equals(EventDiagram.COORDINATOR)
                && n.label().startsWith("CoordinatorPrepare ABORT"))).hasSize(1);
        assertThat(d.lanes()).contains(EventDiagram.COORDINATOR);
        assertThat(abort.result().schedule().steps()).as("shrunk to a short schedule").hasSizeLessThanOrEqualTo(15);
        assertThat(SvgSequenceDiagram.render(d)).contains("class=\"note marker\"");
        assertThat(items(d, Diagram.Banner.class, b -> true)).as("no invariant broke").isEmpty();
    }
}
