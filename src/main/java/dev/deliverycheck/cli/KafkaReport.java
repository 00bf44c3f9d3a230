package dev.deliverycheck.cli;

import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.report.RealKafkaResult;
import dev.deliverycheck.wire.harness.RealExplorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Turns what {@code kafka} found into the report's terms ({@link RealKafkaResult}), for {@code kafka --report}. */
final class KafkaReport {
    private KafkaReport() {
    }

    /**
     * @param title    mode, settings, target and client, as the text output names them
     * @param schedule the schedule the user gave to replay, or null when the runs were generated
     * @param target   the --target the user gave, for the replay command
     */
    static RealKafkaResult of(RealExplorer.Report report, String title, Path schedule, String target, String client) {
        List<RealKafkaResult.Row> rows = new ArrayList<>();
        for (RealExplorer.Outcome o : report.invariants().values()) {
            RealKafkaResult.Example example = null;
            RealExplorer.Example e = o.example();
            if (e != null) {
                Verdict verdict = e.run().verdict(o.invariant().tlaName());
                RealExplorer.Finding f = o.finding();
                Path file = f != null ? f.file() : schedule;
                String replay = "./deliverycheck kafka --target " + target + " --client " + client + " --schedule "
                        + (file != null ? file : "FILE") + " --runs 10";
                example = new RealKafkaResult.Example(e.schedule().format(), f != null ? f.file() : null, replay,
                        e.run().appliedFaults(), verdict == null ? "" : verdict.explanation(),
                        verdict == null ? List.of() : verdict.offendingIds(), e.run().history().readerIsolation(),
                        e.run().history().events(), f == null ? 0 : f.reproduced(), f == null ? 0 : f.replays());
            }
            rows.add(new RealKafkaResult.Row(o.invariant().tlaName(), o.expected().label(), o.holds() ? "holds" : "violated",
                    o.matches(), o.violatedRuns(), example));
        }
        return new RealKafkaResult(title, report.runs(), rows);
    }
}
