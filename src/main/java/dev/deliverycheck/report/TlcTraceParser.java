package dev.deliverycheck.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the error trace out of TLC's standard output: each {@code State N: <Action ...>} header
 * and the {@code /\ var = value} lines under it (a value may span several lines; they are joined
 * with single spaces). TLC names a step reached through an unnamed disjunct after {@code Next};
 * callers pass the resolved action names (as {@link dev.deliverycheck.tlc.TlcResult#counterexample()}
 * has them) to replace the names read here.
 */
public final class TlcTraceParser {
    private static final Pattern HEADER = Pattern.compile("^State (\\d+): <([^\\s>(]+)[^>]*>.*");
    private static final Pattern INITIAL = Pattern.compile("^State (\\d+): <Initial predicate>.*");
    private static final Pattern VIOLATED = Pattern.compile("^Error: (?:Invariant|Action property|Property) (\\S+) is violated.*");

    private TlcTraceParser() {
    }

    /**
     * @param resolvedActions the action names of states 2, 3, ... (may be empty, then TLC's own names are kept)
     */
    public static TlaTrace parse(String model, List<String> lines, List<String> resolvedActions) {
        List<TlaTrace.State> states = new ArrayList<>();
        String violated = null;
        Integer number = null;
        String action = null;
        List<String> body = new ArrayList<>();
        for (String line : lines) {
            Matcher m;
            if ((m = VIOLATED.matcher(line)).matches()) {
                violated = m.group(1);
                continue;
            }
            Matcher init = INITIAL.matcher(line);
            Matcher header = HEADER.matcher(line);
            boolean isInit = init.matches();
            if (isInit || header.matches()) {
                if (number != null) {
                    states.add(new TlaTrace.State(number, action, variables(body)));
                }
                number = Integer.parseInt(isInit ? init.group(1) : header.group(1));
                action = isInit ? "Init" : header.group(2);
                body.clear();
            } else if (number != null) {
                if (line.isBlank()) {
                    states.add(new TlaTrace.State(number, action, variables(body)));
                    number = null;
                    body.clear();
                } else {
                    body.add(line);
                }
            }
        }
        if (number != null) {
            states.add(new TlaTrace.State(number, action, variables(body)));
        }
        if (resolvedActions.size() == states.size() - 1) {
            List<TlaTrace.State> named = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                TlaTrace.State s = states.get(i);
                named.add(i == 0 ? s : new TlaTrace.State(s.number(), resolvedActions.get(i - 1), s.variables()));
            }
            states = named;
        }
        return new TlaTrace(model, violated, states);
    }

    /** {@code /\ x = 1} lines (or a single {@code x = 1} when the spec has one variable) to a map. */
    static Map<String, String> variables(List<String> body) {
        Map<String, String> vars = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String raw : body) {
            String line = raw.strip();
            boolean starts = line.startsWith("/\\ ") || name == null;
            int eq = line.indexOf(" = ");
            if (starts && eq > 0) {
                if (name != null) {
                    vars.put(name, value.toString());
                }
                String head = line.startsWith("/\\ ") ? line.substring(3) : line;
                eq = head.indexOf(" = ");
                name = head.substring(0, eq).strip();
                value.setLength(0);
                value.append(head.substring(eq + 3).strip());
            } else if (name != null) {
                value.append(' ').append(line);
            }
        }
        if (name != null) {
            vars.put(name, value.toString());
        }
        return vars;
    }
}
