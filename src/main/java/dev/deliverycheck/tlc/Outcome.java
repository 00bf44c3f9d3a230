package dev.deliverycheck.tlc;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a TLC model is expected to show, or showed: {@code holds}, {@code violates <Property>},
 * {@code deadlock} or {@code error: <reason>}. The manifest admits only the first two as
 * expectations; the text form is the one {@code tla/models.json} and the CLI use.
 *
 * <p>Invariant: a {@code VIOLATES} outcome always names its property; the others never do.
 */
public record Outcome(Kind kind, String detail) {
    public enum Kind { HOLDS, VIOLATES, DEADLOCK, ERROR }

    private static final Pattern VIOLATES = Pattern.compile("violates ([A-Za-z_][A-Za-z0-9_]*)");

    public Outcome {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.VIOLATES || kind == Kind.ERROR) == (detail == null || detail.isBlank())) {
            throw new IllegalArgumentException(kind + " outcome with detail '" + detail + "'");
        }
    }

    public static Outcome holds() {
        return new Outcome(Kind.HOLDS, null);
    }

    public static Outcome violates(String property) {
        return new Outcome(Kind.VIOLATES, property);
    }

    public static Outcome deadlock() {
        return new Outcome(Kind.DEADLOCK, null);
    }

    public static Outcome error(String reason) {
        return new Outcome(Kind.ERROR, reason);
    }

    /** Parses an expectation as the manifest writes it: {@code holds} or {@code violates <Property>}. */
    public static Outcome parseExpected(String text) {
        if ("holds".equals(text)) {
            return holds();
        }
        Matcher m = VIOLATES.matcher(text == null ? "" : text);
        if (m.matches()) {
            return violates(m.group(1));
        }
        throw new IllegalArgumentException("expected must be \"holds\" or \"violates <Property>\", was \"" + text + "\"");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case HOLDS -> "holds";
            case VIOLATES -> "violates " + detail;
            case DEADLOCK -> "deadlock";
            case ERROR -> "error: " + detail;
        };
    }
}
