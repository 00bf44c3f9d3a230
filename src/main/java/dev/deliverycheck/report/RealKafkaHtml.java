package dev.deliverycheck.report;

import java.util.List;
import java.util.Locale;

/**
 * The report's section for runs against real Kafka software: the invariants' expected and observed outcomes and,
 * for each violation, the observed run drawn with the lanes and event names of the explorer's diagrams. A real
 * run's history has no network events (the harness sees the producer's callbacks, the proxy's view of the
 * coordinator and the log read back afterwards), so its diagram shows what was observed, in that order, under one
 * divider naming the faults the proxy applied.
 */
final class RealKafkaHtml {
    private RealKafkaHtml() {
    }

    static String sectionId(int index) {
        return Html.id("real", Integer.toString(index));
    }

    static String exampleId(int index, String invariant) {
        return Html.id("real", Integer.toString(index), invariant);
    }

    static void section(StringBuilder h, int index, RealKafkaResult r) {
        h.append("<section id=\"").append(sectionId(index)).append("\">\n<h2>Real Kafka: ").append(Html.escape(r.title()))
                .append("</h2>\n<p>").append(r.runs()).append(r.runs() == 1 ? " real run" : " real runs")
                .append(", each judged by the same checkers as the explorer's runs. Real runs are not deterministic: "
                        + "a schedule is replayed to count how often its violation shows again.</p>\n");
        h.append("<table>\n<tr><th>invariant</th><th>expected</th><th>observed</th><th>violated in</th><th>example</th></tr>\n");
        for (RealKafkaResult.Row row : r.rows()) {
            h.append(String.format(Locale.ROOT, "<tr class=\"%s\"><td class=\"cell\">%s</td><td>%s</td><td>%s</td><td>%d of %d runs</td><td>",
                    row.ok() ? "ok" : "mismatch", Html.escape(row.invariant()), Html.escape(row.expected()),
                    Html.escape(row.observed()), row.violatedRuns(), r.runs()));
            if (row.example() != null) {
                h.append("<a href=\"#").append(exampleId(index, row.invariant())).append("\">the run</a>");
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (RealKafkaResult.Row row : r.rows()) {
            if (row.example() != null) {
                example(h, index, r, row);
            }
        }
        h.append("</section>\n");
    }

    static Diagram diagram(RealKafkaResult r, RealKafkaResult.Row row) {
        RealKafkaResult.Example e = row.example();
        String faults = e.appliedFaults().isEmpty() ? "no fault applied" : "faults applied: " + String.join(", ", e.appliedFaults());
        return EventDiagram.of(r.title() + ": " + row.invariant(), 1, e.readerIsolation(),
                List.of(new EventDiagram.StepEvents("the run as observed (" + faults + ")", e.events())), e.offending(), 0,
                row.invariant() + " violated: " + e.explanation());
    }

    private static void example(StringBuilder h, int index, RealKafkaResult r, RealKafkaResult.Row row) {
        RealKafkaResult.Example e = row.example();
        h.append("<article class=\"finding\" id=\"").append(exampleId(index, row.invariant())).append("\">\n<h3>")
                .append(Html.escape(row.invariant())).append(" violated</h3>\n<p class=\"explanation\">")
                .append(Html.escape(e.explanation())).append("</p>\n<div class=\"diagram\">\n")
                .append(SvgSequenceDiagram.render(diagram(r, row))).append("</div>\n");
        h.append("<h4>Replay</h4>\n<pre class=\"command\">").append(Html.escape(e.replayCommand())).append("</pre>\n");
        if (e.replays() > 0) {
            h.append(String.format(Locale.ROOT, "<p>Reproduced in %d of %d replays.</p>%n", e.reproduced(), e.replays()));
        }
        h.append("<h4>Schedule</h4>\n<pre class=\"schedule\">").append(Html.escape(e.scheduleText())).append("</pre>\n");
        if (e.file() != null) {
            String copy = "schedules/" + e.file().getFileName();
            h.append("<p>The schedule file: <a href=\"").append(Html.escape(copy)).append("\">").append(Html.escape(copy))
                    .append("</a> (a copy of ").append(Html.escape(e.file().toString())).append(")</p>\n");
        }
        h.append("</article>\n");
    }
}
