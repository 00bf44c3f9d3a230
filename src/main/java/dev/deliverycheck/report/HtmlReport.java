package dev.deliverycheck.report;

import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.TraceSampler;
import dev.deliverycheck.tlc.ModelCheck;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report page: one static HTML file with its style inline, no script, no external resource
 * but the chart images copied next to it, so it opens from the file system and a CI artifact
 * viewer alike. Every link points at an anchor on the page or at a file written beside it.
 */
final class HtmlReport {
    private static final String STYLE = """
            body{font-family:sans-serif;margin:24px;color:#212121;max-width:1400px}
            h1{font-size:22px}h2{border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:36px}
            table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f0f0f0}tr.ok td.cell,td.ok{background:#e8f5e9}tr.mismatch td,td.mismatch{background:#ffebee}
            .bad{color:#b71c1c}.good{color:#1b5e20}pre{background:#f7f7f7;border:1px solid #ddd;padding:8px;overflow-x:auto}
            .diagram{overflow-x:auto;border:1px solid #ddd;margin:8px 0}table.diff code{white-space:pre-wrap;word-break:break-all}
            table.diff td{max-width:520px}nav a{margin-right:12px}img.chart{max-width:100%;border:1px solid #ddd;margin:8px 0}
            """;

    private HtmlReport() {
    }

    static String render(ReportInput in, Map<String, TlaTrace> counterexamples, Map<String, RunDiagrams.Drawn> drawn,
                         RunDiagrams.Drawn replay, List<String> charts) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>deliverycheck report</title>\n<style>\n")
                .append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>deliverycheck report: <span class=\"").append(in.ok() ? "good\">ok" : "bad\">MISMATCH").append("</span></h1>\n");
        h.append("<p><code>").append(Html.escape(in.command())).append("</code></p>\n<nav>");
        if (!in.matrix().isEmpty()) {
            h.append("<a href=\"#matrix\">outcome matrix</a>");
        }
        if (!in.models().isEmpty()) {
            h.append("<a href=\"#models\">TLC models</a>");
        }
        for (ExploreReport r : in.explored()) {
            h.append("<a href=\"#").append(FindingsHtml.exploreId(r)).append("\">explorer: ").append(r.mode().cliName()).append("</a>");
        }
        if (!in.traces().isEmpty()) {
            h.append("<a href=\"#traces\">trace validation</a>");
        }
        if (in.replay() != null) {
            h.append("<a href=\"#replay\">replay</a>");
        }
        for (int i = 0; i < in.real().size(); i++) {
            h.append("<a href=\"#").append(RealKafkaHtml.sectionId(i)).append("\">real Kafka</a>");
        }
        if (!charts.isEmpty()) {
            h.append("<a href=\"#bench\">performance lab</a>");
        }
        h.append("</nav>\n");
        if (!in.matrix().isEmpty()) {
            matrix(h, in, counterexamples);
        }
        if (!in.models().isEmpty()) {
            models(h, in.models(), counterexamples);
        }
        for (ExploreReport r : in.explored()) {
            FindingsHtml.exploration(h, r, drawn);
        }
        if (!in.traces().isEmpty()) {
            traces(h, in.traces());
        }
        if (in.replay() != null) {
            FindingsHtml.replay(h, in.replay(), replay);
        }
        for (int i = 0; i < in.real().size(); i++) {
            RealKafkaHtml.section(h, i, in.real().get(i));
        }
        if (!charts.isEmpty()) {
            h.append("<section id=\"bench\">\n<h2>Performance lab</h2>\n<p>The charts of <code>docs/bench/</code>, "
                    + "as the last <code>./deliverycheck bench</code> runs left them.</p>\n");
            for (String c : charts) {
                h.append("<figure><img class=\"chart\" src=\"").append(Html.escape(c)).append("\" alt=\"").append(Html.escape(c))
                        .append("\"><figcaption>").append(Html.escape(c)).append("</figcaption></figure>\n");
            }
            h.append("</section>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void matrix(StringBuilder h, ReportInput in, Map<String, TlaTrace> counterexamples) {
        h.append("<section id=\"matrix\">\n<h2>Outcome matrix</h2>\n<p>Each cell: expected / TLC on the models / explorer on the "
                + "real code. A <em>violated</em> cell must be found by both.</p>\n<table>\n<tr><th>mode</th>");
        List<String> invariants = in.matrix().stream().map(c -> c.invariant().tlaName()).distinct().toList();
        List<String> modes = in.matrix().stream().map(c -> c.mode().cliName()).distinct().toList();
        invariants.forEach(i -> h.append("<th>").append(i).append("</th>"));
        h.append("</tr>\n");
        for (String mode : modes) {
            h.append("<tr><th>").append(mode).append("</th>");
            for (String inv : invariants) {
                MatrixCell c = in.matrix().stream().filter(x -> x.mode().cliName().equals(mode) && x.invariant().tlaName().equals(inv))
                        .findFirst().orElse(null);
                if (c == null) {
                    h.append("<td>&ndash;</td>");
                    continue;
                }
                h.append("<td class=\"").append(c.ok() ? "ok" : "mismatch").append("\" id=\"").append(Html.id("cell", mode, inv))
                        .append("\">").append(c.expected()).append(" / ");
                String tlcTarget = c.models().isEmpty() ? null : counterexamples.containsKey(c.models().get(0))
                        ? FindingsHtml.tlcId(c.models().get(0)) : modelId(c.models().get(0));
                link(h, tlcTarget, c.tlc());
                h.append(" / ");
                ExploreReport r = in.explored().stream().filter(x -> x.mode() == c.mode()).findFirst().orElse(null);
                String codeTarget = r == null ? null : r.invariants().get(c.invariant()).finding() != null
                        ? FindingsHtml.findingId(r, c.invariant()) : FindingsHtml.exploreId(r);
                link(h, codeTarget, c.code());
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n</section>\n");
    }

    private static void link(StringBuilder h, String anchor, String text) {
        if (anchor == null) {
            h.append(Html.escape(text));
        } else {
            h.append("<a href=\"#").append(anchor).append("\">").append(Html.escape(text)).append("</a>");
        }
    }

    static String modelId(String model) {
        return Html.id("model", model);
    }

    private static void models(StringBuilder h, List<ModelCheck> models, Map<String, TlaTrace> counterexamples) {
        h.append("<section id=\"models\">\n<h2>TLC models</h2>\n<table>\n<tr><th>model</th><th>expected</th><th>observed</th>"
                + "<th>distinct states</th><th>seconds</th><th>counterexample</th></tr>\n");
        for (ModelCheck m : models) {
            h.append(String.format(Locale.ROOT, "<tr id=\"%s\" class=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%,d</td><td>%.1f</td><td>",
                    modelId(m.name()), m.ok() ? "ok" : "mismatch", Html.escape(m.name()), Html.escape(m.expected()),
                    Html.escape(m.observed()), m.distinctStates(), m.seconds()));
            if (counterexamples.containsKey(m.name())) {
                h.append("<a href=\"#").append(FindingsHtml.tlcId(m.name())).append("\">").append(m.counterexample().size() + 1)
                        .append(" states</a>");
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (TlaTrace t : counterexamples.values()) {
            FindingsHtml.counterexample(h, t);
        }
        h.append("</section>\n");
    }

    private static void traces(StringBuilder h, List<TraceSampler.Report> reports) {
        h.append("<section id=\"traces\">\n<h2>Trace validation</h2>\n<p>Explored runs checked by TLC against the mode's TLA+ "
                + "spec: a run is accepted when some behaviour of the spec explains every event in order.</p>\n<table>\n"
                + "<tr><th>mode</th><th>seed</th><th>events</th><th>verdict</th></tr>\n");
        for (TraceSampler.Report r : reports) {
            for (TraceSampler.Sampled s : r.runs()) {
                h.append("<tr class=\"").append(s.validation().ok() ? "ok" : "mismatch").append("\"><td>").append(r.mode().cliName())
                        .append("</td><td>").append(s.seed()).append("</td><td>").append(s.events()).append("</td><td>")
                        .append(Html.escape(s.validation().message())).append("</td></tr>\n");
            }
        }
        h.append("</table>\n</section>\n");
    }
}
