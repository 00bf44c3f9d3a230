package dev.deliverycheck.tlc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads TLC's standard output: the violated property, the state counts and the action names of
 * the counterexample.
 *
 * <p>TLC names a step of an error trace after the operator whose body the step satisfied. When
 * the step's action is reached through an operator TLC does not name (it then reports the
 * enclosing {@code Next} and the location of the call), the parser asks a {@link SourceLocator}
 * for the identifier written at that location, so a counterexample always lists the spec's
 * action names -- which are DESIGN.md's event names.
 */
public final class TlcOutputParser {
    /** Finds the action called in a region of a module's source (1-based, inclusive), or null. */
    @FunctionalInterface
    public interface SourceLocator {
        String actionAt(String module, int line, int column, int endLine, int endColumn);
    }

    private static final Pattern INVARIANT = Pattern.compile("^Error: Invariant (\\S+) is violated.*");
    private static final Pattern PROPERTY = Pattern.compile("^Error: (?:Action property|Property) (\\S+) is violated.*");
    private static final Pattern COUNTS = Pattern.compile(
            "^([0-9,]+) states generated(?: \\([^)]*\\))?, ([0-9,]+) distinct states found.*");
    private static final Pattern STEP = Pattern.compile(
            "^State \\d+: <(\\S+?)(?:\\([^)]*\\))? line (\\d+), col (\\d+) to line (\\d+), col (\\d+) of module (\\S+)>.*");
    private static final Pattern DEPTH = Pattern.compile("^The depth of the complete state graph search is (\\d+).*");
    private static final Pattern PROGRESS = Pattern.compile(
            "^Progress\\(\\d+\\).*?: ([0-9,]+) states generated.*?, ([0-9,]+) distinct states found.*");

    /** Simulation mode's count: {@code Progress: 210529 states checked.} (no distinct states). */
    private static final Pattern SIMULATED = Pattern.compile("^Progress: ([0-9,]+) states checked.*");

    private final SourceLocator locator;

    public TlcOutputParser(SourceLocator locator) {
        this.locator = locator;
    }

    /** Distinct states of a {@code Progress(...)} line, or -1 if the line is not one. */
    public static long progressDistinct(String line) {
        Matcher m = PROGRESS.matcher(line);
        return m.matches() ? number(m.group(2)) : -1;
    }

    public TlcResult parse(int exitCode, List<String> lines, double seconds) {
        String violated = null;
        boolean deadlock = false;
        boolean temporal = false;
        long distinct = -1;
        long generated = -1;
        int depth = -1;
        List<String> trace = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String line : lines) {
            Matcher m;
            if ((m = INVARIANT.matcher(line)).matches() || (m = PROPERTY.matcher(line)).matches()) {
                violated = m.group(1);
            } else if (line.startsWith("Error: Deadlock reached")) {
                deadlock = true;
            } else if (line.startsWith("Error: Temporal properties were violated")) {
                temporal = true;
            } else if ((m = COUNTS.matcher(line)).matches()) {
                generated = number(m.group(1));
                distinct = number(m.group(2));
            } else if ((m = SIMULATED.matcher(line)).matches()) {
                generated = number(m.group(1));
            } else if ((m = DEPTH.matcher(line)).matches()) {
                depth = Integer.parseInt(m.group(1));
            } else if ((m = STEP.matcher(line)).matches()) {
                trace.add(actionName(m.group(1), m.group(6), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))));
            }
            if (line.startsWith("Error:") || line.contains("***Parse Error***") || line.startsWith("Semantic errors")
                    || line.startsWith("Unknown operator") || line.startsWith("Attempted to")) {
                errors.add(line);
            }
        }
        return new TlcResult(exitCode, outcome(exitCode, violated, deadlock, temporal, errors), distinct, generated,
                depth, trace, errors, seconds, new CoverageParser(locator).parse(lines));
    }

    private String actionName(String reported, String module, int line, int column, int endLine, int endColumn) {
        if (!"Next".equals(reported)) {
            return reported;
        }
        String resolved = locator == null ? null : locator.actionAt(module, line, column, endLine, endColumn);
        return resolved == null ? reported : resolved;
    }

    private static Outcome outcome(int exitCode, String violated, boolean deadlock, boolean temporal,
                                   List<String> errors) {
        return switch (exitCode) {
            case 0 -> Outcome.holds();
            case 11 -> Outcome.deadlock();
            case 12, 14 -> violated != null ? Outcome.violates(violated)
                    : Outcome.error("safety violation without a property name" + firstError(errors));
            case 13 -> Outcome.violates(violated != null ? violated : temporal ? TlcConfig.UNNAMED_TEMPORAL : "liveness");
            case 150, 151 -> Outcome.error("TLC could not parse the spec or config" + firstError(errors));
            default -> deadlock ? Outcome.deadlock()
                    : Outcome.error("TLC exit code " + exitCode + firstError(errors));
        };
    }

    private static String firstError(List<String> errors) {
        return errors.isEmpty() ? "" : " (" + errors.get(0) + ")";
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }
}
