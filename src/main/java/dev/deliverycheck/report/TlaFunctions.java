package dev.deliverycheck.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads TLC's printed function literals, {@code (100 :> "Ready" @@ 101 :> "Init")}, so a state
 * diff can say which producer or broker an action changed: TLC prints no action arguments, but
 * the keys whose values changed name the actor.
 */
final class TlaFunctions {
    private TlaFunctions() {
    }

    /** Key to value of a function literal, or null if {@code value} is not one. */
    static Map<String, String> parse(String value) {
        String v = value.strip();
        if (v.startsWith("(") && v.endsWith(")")) {
            v = v.substring(1, v.length() - 1).strip();
        }
        Map<String, String> f = new LinkedHashMap<>();
        for (String segment : splitTopLevel(v, "@@")) {
            List<String> kv = splitTopLevel(segment, ":>");
            if (kv.size() != 2) {
                return null;
            }
            f.put(kv.get(0).strip(), kv.get(1).strip());
        }
        return f.isEmpty() ? null : f;
    }

    /** The keys of {@code candidates} whose values differ between two printings of the same function variable. */
    static Set<String> changedKeys(String before, String after, Set<String> candidates) {
        Set<String> changed = new TreeSet<>();
        Map<String, String> b = before == null ? null : parse(before);
        Map<String, String> a = after == null ? null : parse(after);
        if (b == null || a == null) {
            return changed;
        }
        for (String key : candidates) {
            if (!String.valueOf(b.get(key)).equals(String.valueOf(a.get(key)))) {
                changed.add(key);
            }
        }
        return changed;
    }

    /** Splits at {@code separator} where no bracket, tuple or string is open. */
    static List<String> splitTopLevel(String text, String separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (quoted) {
                continue;
            } else if (text.startsWith("<<", i)) {
                depth++;
                i++;
            } else if (text.startsWith(">>", i)) {
                depth--;
                i++;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && text.startsWith(separator, i)) {
                parts.add(text.substring(start, i));
                start = i + separator.length();
                i += separator.length() - 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
