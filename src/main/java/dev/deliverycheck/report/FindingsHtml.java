package dev.deliverycheck.report;

import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.Scenario;
import dev.deliverycheck.explore.ScheduleFile;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The evidence sections of the report: per exploration its verdicts, coverage and shrunk
 * findings (diagram, schedule text, the command that replays it); per TLC counterexample its
 * diagram and the state diff of every step; a replayed schedule.
 */
final class FindingsHtml {
    private FindingsHtml() {
    }

    static String findingId(ExploreReport r, Invariant inv) {
        return Html.id("finding", r.mode().cliName(), inv.tlaName());
    }

    static String exploreId(ExploreReport r) {
        return Html.id("explore", r.mode().cliName());
    }

    static String abortId(ExploreReport r) {
        return Html.id("example", r.mode().cliName(), "abort");
    }

    static String abortFile(ExploreReport r, RunDiagrams.Drawn d) {
        return "schedules/" + r.mode().cliName() + "-abort-seed" + d.result().schedule().seed() + ".schedule";
    }

    static String tlcId(String model) {
        return Html.id("tlc", model);
    }

    static void exploration(StringBuilder h, ExploreReport r, Map<String, RunDiagrams.Drawn> drawn) {
        h.append("<section id=\"").append(exploreId(r)).append("\">\n<h2>Explorer: ").append(r.mode().cliName()).append("</h2>\n");
        h.append(String.format(Locale.ROOT, "<p>%d schedules of %d steps, run i with seed %d+i (%s). <code>./deliverycheck explore "
                + "--mode %s --runs %d --steps %d --seed %d</code> runs them again.</p>%n", r.runs(), r.steps(), r.seed(),
                r.ok() ? "every invariant as expected" : "<strong class=\"bad\">a mismatch</strong>", r.mode().cliName(), r.runs(),
                r.steps(), r.seed()));
        h.append("<table><tr><th>invariant</th><th>expected</th><th>observed</th><th>evidence</th></tr>\n");
        for (ExploreReport.InvariantOutcome o : r.invariants().values()) {
            h.append("<tr class=\"").append(o.matches() ? "ok" : "mismatch").append("\"><td>").append(o.invariant().tlaName())
                    .append("</td><td>").append(o.expected().label()).append("</td><td>").append(o.observed()).append("</td><td>");
            if (o.finding() != null) {
                h.append("<a href=\"#").append(findingId(r, o.invariant())).append("\">seed ").append(o.finding().seed())
                        .append(", shrunk to ").append(o.finding().shrunkSteps()).append(" steps</a>");
            } else {
                h.append("no violation in ").append(r.runs()).append(" schedules");
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n<h3>Coverage</h3>\n<table><tr><th>scenario</th><th>schedules</th><th>share</th><th>needed by this mode</th></tr>\n");
        for (Map.Entry<Scenario, Integer> c : r.coverage().entrySet()) {
            boolean required = r.requiredScenarios().contains(c.getKey());
            boolean low = r.undercoveredScenarios().contains(c.getKey());
            h.append(String.format(Locale.ROOT, "<tr class=\"%s\"><td>%s</td><td>%d</td><td>%.1f %%</td><td>%s</td></tr>%n",
                    low ? "mismatch" : "", c.getKey().jsonName(), c.getValue(), 100.0 * c.getValue() / Math.max(1, r.runs()),
                    required ? (low ? "yes, below " + Math.round(Scenario.MIN_SHARE * 100) + " %" : "yes") : ""));
        }
        h.append("</table>\n");
        for (ExploreReport.InvariantOutcome o : r.invariants().values()) {
            if (o.finding() != null) {
                finding(h, r, o, drawn.get(findingId(r, o.invariant())));
            }
        }
        RunDiagrams.Drawn abort = drawn.get(abortId(r));
        if (abort != null) {
            String file = abortFile(r, abort);
            h.append("<article class=\"example\" id=\"").append(abortId(r)).append("\">\n<h3>An aborted transaction (seed ")
                    .append(abort.result().schedule().seed()).append(")</h3>\n<p>No invariant of this mode broke, so here is the "
                    + "first explored run that aborted a transaction, shrunk to the steps that still abort one: the coordinator "
                    + "writes ABORT markers and a read_committed reader sees none of the transaction's records.</p>\n");
            h.append("<div class=\"diagram\">\n").append(SvgSequenceDiagram.render(abort.diagram())).append("</div>\n");
            h.append("<h4>Schedule</h4>\n<pre class=\"schedule\">").append(Html.escape(ScheduleFile.format(abort.result().schedule())))
                    .append("</pre>\n<p><a href=\"").append(file).append("\">").append(file).append("</a>: <code>./deliverycheck replay ")
                    .append(file).append("</code> in the report directory</p>\n</article>\n");
        }
        h.append("</section>\n");
    }

    private static void finding(StringBuilder h, ExploreReport r, ExploreReport.InvariantOutcome o, RunDiagrams.Drawn d) {
        ExploreReport.Finding f = o.finding();
        h.append("<article class=\"finding\" id=\"").append(findingId(r, o.invariant())).append("\">\n");
        h.append(String.format(Locale.ROOT, "<h3>%s %s: found at seed %d, shrunk %d &rarr; %d steps</h3>%n", r.mode().cliName(),
                o.invariant().tlaName(), f.seed(), f.originalSteps(), f.shrunkSteps()));
        h.append("<p class=\"explanation\">").append(Html.escape(f.explanation())).append("</p>\n");
        if (d != null) {
            h.append("<div class=\"diagram\">\n").append(SvgSequenceDiagram.render(d.diagram())).append("</div>\n");
        }
        h.append("<h4>Replay</h4>\n<pre class=\"command\">").append(Html.escape(replayCommand(f))).append("</pre>\n");
        if (f.schedule() == null) {
            h.append("<p>The schedule file ").append(Html.escape(f.file().toString())).append(" was not at hand when the report was "
                    + "written; the same run from its seed: <code>").append(Html.escape(seedCommand(r, f))).append("</code></p>\n</article>\n");
            return;
        }
        h.append("<h4>Schedule</h4>\n<pre class=\"schedule\">").append(Html.escape(ScheduleFile.format(f.schedule()))).append("</pre>\n");
        String copy = "schedules/" + f.file().getFileName();
        h.append("<p>The schedule file: <a href=\"").append(Html.escape(copy)).append("\">").append(Html.escape(copy))
                .append("</a> (a copy of ").append(Html.escape(f.file().toString())).append("). The same run from its seed: <code>")
                .append(Html.escape(seedCommand(r, f))).append("</code></p>\n</article>\n");
    }

    /** The one command that replays a finding. */
    static String replayCommand(ExploreReport.Finding f) {
        return "./deliverycheck replay " + f.file();
    }

    static String seedCommand(ExploreReport r, ExploreReport.Finding f) {
        return "./deliverycheck explore --mode " + r.mode().cliName() + " --seed " + f.seed() + " --runs 1 --steps " + r.steps();
    }

    static void counterexample(StringBuilder h, TlaTrace t) {
        h.append("<article class=\"counterexample\" id=\"").append(tlcId(t.model())).append("\">\n");
        h.append("<h3>").append(Html.escape(t.model())).append(": counterexample to ").append(Html.escape(String.valueOf(t.violated())))
                .append(", ").append(t.states().size()).append(" states</h3>\n");
        h.append("<div class=\"diagram\">\n").append(SvgSequenceDiagram.render(TlaTraceDiagram.of(t))).append("</div>\n");
        h.append("<h4>State diff per step</h4>\n<table class=\"diff\"><tr><th>state</th><th>action</th><th>variable</th>"
                + "<th>before</th><th>after</th></tr>\n");
        for (int i = 0; i < t.states().size(); i++) {
            TlaTrace.State s = t.states().get(i);
            List<TlaTrace.Change> changes = t.diff(i);
            if (i == 0) {
                h.append("<tr><td>1</td><td>Init</td><td colspan=\"3\"><details><summary>").append(changes.size())
                        .append(" variables</summary>");
                for (TlaTrace.Change c : changes) {
                    h.append("<div><code>").append(Html.escape(c.variable() + " = " + c.after())).append("</code></div>");
                }
                h.append("</details></td></tr>\n");
                continue;
            }
            if (changes.isEmpty()) {
                h.append("<tr><td>").append(s.number()).append("</td><td>").append(Html.escape(s.action()))
                        .append("</td><td colspan=\"3\">no variable changed</td></tr>\n");
            }
            for (int k = 0; k < changes.size(); k++) {
                TlaTrace.Change c = changes.get(k);
                h.append("<tr>");
                if (k == 0) {
                    h.append("<td rowspan=\"").append(changes.size()).append("\">").append(s.number()).append("</td><td rowspan=\"")
                            .append(changes.size()).append("\">").append(Html.escape(s.action())).append("</td>");
                }
                h.append("<td>").append(Html.escape(c.variable())).append("</td><td><code>").append(Html.escape(c.before()))
                        .append("</code></td><td><code>").append(Html.escape(c.after())).append("</code></td></tr>\n");
            }
        }
        h.append("</table>\n</article>\n");
    }

    static void replay(StringBuilder h, ReportInput.Replay r, RunDiagrams.Drawn d) {
        h.append("<section id=\"replay\">\n<h2>Replay of ").append(Html.escape(r.file().toString())).append("</h2>\n");
        String failing = r.schedule().failing();
        h.append("<p>").append(failing == null ? "The schedule names no failure." : (r.reproduced()
                ? "Reproduced the " + Html.escape(failing) + " violation the schedule was saved for."
                : "<strong class=\"bad\">" + Html.escape(failing) + " did not fail this time.</strong>")).append("</p>\n");
        if (r.traceMessage() != null) {
            h.append("<p>Trace validation: ").append(Html.escape(r.traceMessage())).append("</p>\n");
        }
        h.append("<div class=\"diagram\">\n").append(SvgSequenceDiagram.render(d.diagram())).append("</div>\n");
        h.append("<h4>Schedule</h4>\n<pre class=\"schedule\">").append(Html.escape(ScheduleFile.format(r.schedule()))).append("</pre>\n");
        h.append("<pre class=\"command\">./deliverycheck replay ").append(Html.escape(r.file().toString())).append("</pre>\n</section>\n");
    }
}
