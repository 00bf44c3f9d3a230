package dev.deliverycheck.tlc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a TLC configuration file ({@code .cfg}) asks TLC to check: the names under
 * {@code INVARIANT(S)} and under {@code PROPERTY(IES)} (temporal properties).
 *
 * <p>Why it matters: TLC names a violated invariant ({@code Error: Invariant X is violated}) but
 * not a violated temporal property ({@code Error: Temporal properties were violated.}, exit 13).
 * A model expected to violate a temporal property therefore lists exactly that one property, and
 * {@link #nameTemporalViolation} names TLC's unnamed verdict by it -- the only way the manifest's
 * {@code violates <Property>} can be checked for a liveness model.
 */
public record TlcConfig(List<String> invariants, List<String> properties) {
    private static final String KEYWORDS = "CONSTANTS?|INIT|NEXT|SPECIFICATION|PROPERTY|PROPERTIES|INVARIANTS?|SYMMETRY"
            + "|VIEW|CONSTRAINTS?|ACTION_CONSTRAINTS?|CHECK_DEADLOCK|ALIAS|POSTCONDITION";
    private static final Pattern SECTION = Pattern.compile("(?s)\\b(INVARIANTS?|PROPERTY|PROPERTIES)\\b(.*?)(?=\\b(?:"
            + KEYWORDS + ")\\b|$)");

    /** What {@link TlcOutputParser} reports for an exit 13 that named no property. */
    static final String UNNAMED_TEMPORAL = "temporal property";

    public TlcConfig {
        invariants = List.copyOf(invariants);
        properties = List.copyOf(properties);
    }

    public static TlcConfig read(Path cfg) {
        try {
            return parse(Files.readString(cfg, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TLC config " + cfg, e);
        }
    }

    static TlcConfig parse(String text) {
        String plain = text.replaceAll("\\\\\\*[^\\n]*", "").replaceAll("(?s)\\(\\*.*?\\*\\)", "");
        List<String> invariants = new ArrayList<>();
        List<String> properties = new ArrayList<>();
        Matcher m = SECTION.matcher(plain);
        while (m.find()) {
            List<String> into = m.group(1).startsWith("INVARIANT") ? invariants : properties;
            for (String token : m.group(2).trim().split("\\s+")) {
                if (!token.isEmpty()) {
                    into.add(token);
                }
            }
        }
        return new TlcConfig(invariants, properties);
    }

    /** True iff the config checks temporal properties (a liveness model). */
    public boolean checksLiveness() {
        return !properties.isEmpty();
    }

    /**
     * TLC's verdict with an unnamed temporal violation named by the config's one property; any
     * other verdict (or a config with several properties, where the name is unknowable) unchanged.
     */
    public TlcResult nameTemporalViolation(TlcResult r) {
        Outcome o = r.outcome();
        if (r.exitCode() != 13 || o.kind() != Outcome.Kind.VIOLATES || !UNNAMED_TEMPORAL.equals(o.detail())
                || properties.size() != 1) {
            return r;
        }
        return new TlcResult(r.exitCode(), Outcome.violates(properties.get(0)), r.distinctStates(), r.statesGenerated(),
                r.depth(), r.counterexample(), r.errorLines(), r.seconds(), r.coverage());
    }
}
