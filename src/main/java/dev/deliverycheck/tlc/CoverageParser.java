package dev.deliverycheck.tlc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the last coverage block TLC 2.18 prints with {@code -coverage}: a header per action,
 * {@code <Name line L, col C to line L2, col C2 of module M (call site)>: distinct:generated},
 * followed by one line per sub-expression, {@code |}-indented by nesting depth, ending in its
 * evaluation count. Invariant sections (headers without counts) and {@code Init} are skipped.
 * TLC names a disjunct of {@code Next} that calls an action inside a quantifier {@code Next}
 * with the call site in parentheses (the called action's name is then resolved there), and it
 * splits an action whose body is a disjunction into one entry per disjunct, again with the
 * disjunct's position in parentheses.
 *
 * <p>Only the outermost never-evaluated sub-expression of a branch is kept: what is nested in
 * it is never evaluated for the same reason.
 */
public final class CoverageParser {
    private static final Pattern HEADER = Pattern.compile(
            "^<(\\S+) line (\\d+), col (\\d+) to line (\\d+), col (\\d+) of module (\\S+)"
                    + "(?: \\((\\d+) (\\d+) (\\d+) (\\d+)\\))?>(?:: (\\d+):(\\d+))?\\s*$");
    private static final Pattern SUB = Pattern.compile(
            "^\\s*(\\|*)line (\\d+), col (\\d+) to line (\\d+), col (\\d+) of module (\\S+): (\\d+)(?::\\d+)?\\s*$");
    private static final String BLOCK_START = "The coverage statistics";
    private static final String BLOCK_END = "End of statistics.";

    private final TlcOutputParser.SourceLocator locator;

    public CoverageParser(TlcOutputParser.SourceLocator locator) {
        this.locator = locator;
    }

    public Coverage parse(List<String> lines) {
        int start = -1;
        for (int k = 0; k < lines.size(); k++) {
            if (lines.get(k).startsWith(BLOCK_START)) {
                start = k;
            }
        }
        if (start < 0) {
            return Coverage.NONE;
        }
        List<Coverage.Action> actions = new ArrayList<>();
        ActionBuilder current = null;
        for (int k = start + 1; k < lines.size() && !lines.get(k).startsWith(BLOCK_END); k++) {
            String line = lines.get(k);
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                if (current != null) {
                    actions.add(current.build());
                }
                current = h.group(11) == null || "Init".equals(h.group(1)) ? null : header(h);
                continue;
            }
            Matcher s = SUB.matcher(line);
            if (s.matches() && current != null) {
                current.sub(s.group(1).length(), region(s, 6, 2), Long.parseLong(s.group(7)));
            }
        }
        if (current != null) {
            actions.add(current.build());
        }
        return new Coverage(actions);
    }

    private ActionBuilder header(Matcher h) {
        Coverage.Region definition = region(h, 6, 2);
        String name = h.group(1);
        Coverage.Region disjunct = null;
        if (h.group(7) != null) {
            Coverage.Region site = new Coverage.Region(definition.module(), Integer.parseInt(h.group(7)),
                    Integer.parseInt(h.group(8)), Integer.parseInt(h.group(9)), Integer.parseInt(h.group(10)));
            if ("Next".equals(name)) {
                String resolved = locator == null ? null
                        : locator.actionAt(site.module(), site.line(), site.column(), site.endLine(), site.endColumn());
                name = resolved != null ? resolved : "Next " + site;
            } else {
                disjunct = site;
            }
        }
        return new ActionBuilder(name, definition, disjunct, Long.parseLong(h.group(11)), Long.parseLong(h.group(12)));
    }

    private static Coverage.Region region(Matcher m, int moduleGroup, int firstGroup) {
        return new Coverage.Region(m.group(moduleGroup), Integer.parseInt(m.group(firstGroup)),
                Integer.parseInt(m.group(firstGroup + 1)), Integer.parseInt(m.group(firstGroup + 2)),
                Integer.parseInt(m.group(firstGroup + 3)));
    }

    private static final class ActionBuilder {
        private final String name;
        private final Coverage.Region definition;
        private final Coverage.Region disjunct;
        private final long distinct;
        private final long generated;
        private final List<Coverage.Region> never = new ArrayList<>();
        private final List<Coverage.Region> evaluated = new ArrayList<>();
        /** Per nesting depth: whether the enclosing line at that depth was never evaluated. */
        private final List<Boolean> zeroAt = new ArrayList<>();

        ActionBuilder(String name, Coverage.Region definition, Coverage.Region disjunct, long distinct, long generated) {
            this.name = name;
            this.definition = definition;
            this.disjunct = disjunct;
            this.distinct = distinct;
            this.generated = generated;
        }

        void sub(int depth, Coverage.Region region, long count) {
            while (zeroAt.size() > depth) {
                zeroAt.remove(zeroAt.size() - 1);
            }
            boolean insideZero = zeroAt.contains(Boolean.TRUE);
            while (zeroAt.size() < depth) {
                zeroAt.add(Boolean.FALSE);
            }
            zeroAt.add(count == 0);
            if (count == 0) {
                if (!insideZero) {
                    never.add(region);
                }
            } else {
                evaluated.add(region);
            }
        }

        Coverage.Action build() {
            return new Coverage.Action(name, definition, disjunct, distinct, generated, never, evaluated);
        }
    }
}
