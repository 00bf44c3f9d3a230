package dev.deliverycheck.report;

import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.ScheduleFile;
import dev.deliverycheck.explore.TraceSampler;
import dev.deliverycheck.tlc.ModelCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a command's results as JUnit XML ({@code testsuites/testsuite/testcase/failure}), the
 * format CI systems display: one test case per matrix cell (verify), per invariant of an
 * exploration (explore), per TLC model, per validated trace and per replayed schedule. A failing
 * case carries the seed, the command that replays it and the shrunk schedule; a case whose
 * expected violation was found carries the same in its {@code system-out}.
 */
public final class JUnitXml {
    private record Case(String classname, String name, double seconds, String failure, String details, String out) {
    }

    private JUnitXml() {
    }

    public static void write(Path file, ReportInput in) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, render(in), StandardCharsets.UTF_8);
    }

    static String render(ReportInput in) {
        List<Case> cases = new ArrayList<>();
        for (MatrixCell c : in.matrix()) {
            ExploreReport r = in.explored().stream().filter(x -> x.mode() == c.mode()).findFirst().orElse(null);
            String evidence = r == null ? "" : evidence(r, r.invariants().get(c.invariant()));
            cases.add(new Case("verify.matrix." + c.mode().cliName(), c.invariant().tlaName(), 0,
                    c.ok() ? null : "expected " + c.expected() + ", TLC " + c.tlc() + " (models " + c.models() + "), code " + c.code(),
                    evidence, c.ok() ? evidence : ""));
        }
        for (ModelCheck m : in.models()) {
            String trace = m.counterexample().isEmpty() ? "" : "counterexample: " + String.join(" -> ", m.counterexample());
            cases.add(new Case("check-models", m.name(), m.seconds(), m.ok() ? null : "expected " + m.expected() + ", TLC observed "
                    + m.observed(), trace + "\n./deliverycheck check-models --model " + m.name(), trace));
        }
        if (in.matrix().isEmpty()) {
            for (ExploreReport r : in.explored()) {
                for (ExploreReport.InvariantOutcome o : r.invariants().values()) {
                    String evidence = evidence(r, o);
                    cases.add(new Case("explore." + r.mode().cliName(), o.invariant().tlaName(), 0, o.matches() ? null
                            : "expected " + o.expected().label() + ", observed " + o.observed(), evidence, o.matches() ? evidence : ""));
                }
            }
        }
        for (TraceSampler.Report r : in.traces()) {
            for (TraceSampler.Sampled s : r.runs()) {
                cases.add(new Case("traces." + r.mode().cliName(), "seed " + s.seed(), s.validation().seconds(),
                        s.validation().ok() ? null : s.validation().message(), "seed " + s.seed() + "\n./deliverycheck explore --mode "
                        + r.mode().cliName() + " --seed " + s.seed() + " --runs 1 --validate-traces 1", ""));
            }
        }
        if (in.replay() != null) {
            ReportInput.Replay r = in.replay();
            String text = "seed " + r.schedule().seed() + "\n./deliverycheck replay " + r.file() + "\n" + ScheduleFile.format(r.schedule());
            boolean ok = r.reproduced() && (r.traceMessage() == null || r.traceMessage().startsWith("trace ok"));
            cases.add(new Case("replay", r.file().getFileName().toString(), 0, ok ? null
                    : r.reproduced() ? r.traceMessage() : r.schedule().failing() + " did not fail this time", text, ok ? text : ""));
        }
        for (RealKafkaResult r : in.real()) {
            for (RealKafkaResult.Row row : r.rows()) {
                RealKafkaResult.Example e = row.example();
                String evidence = e == null ? "not violated in " + r.runs() + " real runs"
                        : e.explanation() + "\nreplay: " + e.replayCommand() + "\nschedule:\n" + e.scheduleText();
                cases.add(new Case("kafka", row.invariant(), 0, row.ok() ? null : "expected " + row.expected() + ", observed "
                        + row.observed() + " (violated in " + row.violatedRuns() + " of " + r.runs() + " real runs)",
                        evidence, row.ok() ? evidence : ""));
            }
        }
        long failures = cases.stream().filter(c -> c.failure() != null).count();
        double total = cases.stream().mapToDouble(Case::seconds).sum();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append(String.format(Locale.ROOT, "<testsuites name=\"deliverycheck\" tests=\"%d\" failures=\"%d\" errors=\"0\" time=\"%.3f\">%n",
                cases.size(), failures, total));
        x.append(String.format(Locale.ROOT, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\" time=\"%.3f\">%n",
                escape(in.command()), cases.size(), failures, total));
        for (Case c : cases) {
            x.append(String.format(Locale.ROOT, "    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"", escape(c.classname()),
                    escape(c.name()), c.seconds()));
            if (c.failure() == null && c.out().isEmpty()) {
                x.append("/>\n");
                continue;
            }
            x.append(">\n");
            if (c.failure() != null) {
                x.append("      <failure message=\"").append(escape(c.failure())).append("\" type=\"mismatch\">")
                        .append(escape(c.details())).append("</failure>\n");
            }
            if (!c.out().isEmpty()) {
                x.append("      <system-out>").append(escape(c.out())).append("</system-out>\n");
            }
            x.append("    </testcase>\n");
        }
        x.append("  </testsuite>\n</testsuites>\n");
        return x.toString();
    }

    /** Seed, replay command and shrunk schedule of a finding; for no finding, the command that re-runs the search. */
    private static String evidence(ExploreReport r, ExploreReport.InvariantOutcome o) {
        ExploreReport.Finding f = o.finding();
        if (f == null) {
            return "no violation in " + r.runs() + " schedules from seed " + r.seed() + "\n./deliverycheck explore --mode "
                    + r.mode().cliName() + " --runs " + r.runs() + " --steps " + r.steps() + " --seed " + r.seed();
        }
        return "seed " + f.seed() + ": " + f.explanation() + "\nreplay: " + FindingsHtml.replayCommand(f) + "\nfrom the seed: "
                + FindingsHtml.seedCommand(r, f) + "\nshrunk schedule (" + f.shrunkSteps() + " steps):\n"
                + (f.schedule() == null ? "" : ScheduleFile.format(f.schedule()));
    }

    /** XML text/attribute escaping; characters XML 1.0 cannot carry are dropped. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                continue;
            }
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\n' -> sb.append('\n');
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
