package dev.deliverycheck.cli;

import dev.deliverycheck.check.Expectation;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.tlc.ModelCheck;
import dev.deliverycheck.tlc.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DESIGN.md's expected outcome matrix with two observations per cell: what TLC found on the
 * models, and what the explorer found on the real code. A cell matches when both agree with the
 * expectation.
 *
 * <p>Which models speak for a cell: a model belongs to a mode when its spec module is
 * {@code MC<Mode>...} (e.g. {@code MCExactlyOnceZombie} is an exactly-once model). A {@code holds}
 * cell is observed by every model of the mode that is expected to hold and lists the invariant
 * under INVARIANTS in its config; a {@code violated} cell by every model of the mode expected to
 * violate exactly that invariant. Known-bad protocol variants are expected to violate invariants
 * that hold in the matrix, so they never speak for a matrix cell.
 */
final class OutcomeMatrix {
    private static final Map<Mode, String> MODULES = Map.of(Mode.AT_MOST_ONCE, "AtMostOnce",
            Mode.AT_LEAST_ONCE, "AtLeastOnce", Mode.IDEMPOTENT, "Idempotent", Mode.EXACTLY_ONCE, "ExactlyOnce");

    /** One cell: expectation, TLC's and the code's observation ("holds", "violated", or "none" if nothing checked it). */
    record Cell(Mode mode, Invariant invariant, Expectation expected, String model, List<String> models, String code) {
        boolean matches() {
            return expected.label().equals(model) && expected.label().equals(code);
        }
    }

    private final Map<Mode, Map<Invariant, Cell>> cells = new EnumMap<>(Mode.class);

    OutcomeMatrix(ModelManifest manifest, List<ModelCheck> checks, Map<Mode, ExploreReport> explored) {
        Map<String, ModelCheck> byName = new LinkedHashMap<>();
        checks.forEach(c -> byName.put(c.name(), c));
        for (Mode mode : Mode.values()) {
            Map<Invariant, Cell> row = new EnumMap<>(Invariant.class);
            for (Invariant inv : mode.invariants()) {
                Expectation expected = mode.expected(inv);
                List<String> speaking = new ArrayList<>();
                String model = "none";
                for (ModelManifest.Entry e : manifest.entries()) {
                    ModelCheck c = byName.get(e.name());
                    if (c == null || !speaksForCell(manifest, e, mode, inv)) {
                        continue;
                    }
                    speaking.add(e.name());
                    String observed = observed(c, inv);
                    model = model.equals("none") || model.equals(observed) ? observed : "inconsistent";
                }
                ExploreReport r = explored.get(mode);
                String code = r == null ? "none" : r.invariants().get(inv).observed();
                row.put(inv, new Cell(mode, inv, expected, model, speaking, code));
            }
            cells.put(mode, row);
        }
    }

    /**
     * The --quick subset: for each matrix cell the smallest model that speaks for it (fewest recorded
     * distinct states; a model not yet recorded counts as the largest; ties go to the manifest's
     * order), in manifest order. Every cell keeps a TLC observation while the large models, which
     * the full {@code verify} and {@code check-models} run, are left out: they took most of
     * {@code verify --quick}'s time.
     */
    static List<ModelManifest.Entry> quickModels(ModelManifest manifest) {
        java.util.Set<String> chosen = new java.util.HashSet<>();
        for (Mode mode : Mode.values()) {
            for (Invariant inv : mode.invariants()) {
                ModelManifest.Entry smallest = null;
                for (ModelManifest.Entry e : manifest.entries()) {
                    if (speaksForCell(manifest, e, mode, inv) && (smallest == null || size(e) < size(smallest))) {
                        smallest = e;
                    }
                }
                if (smallest != null) {
                    chosen.add(smallest.name());
                }
            }
        }
        return manifest.entries().stream().filter(e -> chosen.contains(e.name())).toList();
    }

    /** Whether a model's verdict is one of a matrix cell's TLC observations. */
    static boolean speaksForCell(ModelManifest manifest, ModelManifest.Entry e, Mode mode, Invariant inv) {
        return belongsTo(e, mode) && speaksFor(manifest, e, inv, mode.expected(inv));
    }

    private static long size(ModelManifest.Entry e) {
        return e.distinctStates() == null ? Long.MAX_VALUE : e.distinctStates();
    }

    private static boolean belongsTo(ModelManifest.Entry e, Mode mode) {
        // No mode's module name is a prefix of another's, so a prefix match is unambiguous.
        return e.spec().startsWith("MC" + MODULES.get(mode));
    }

    private static boolean speaksFor(ModelManifest manifest, ModelManifest.Entry e, Invariant inv, Expectation expected) {
        if (expected == Expectation.VIOLATED) {
            return e.expected().equals("violates " + inv.tlaName());
        }
        return e.expected().equals("holds") && configInvariants(manifest.configOf(e)).contains(inv.tlaName());
    }

    /** What a model says about one invariant: a passing model says it holds, a counterexample to it says violated. */
    private static String observed(ModelCheck c, Invariant inv) {
        if (c.observed().equals("holds")) {
            return "holds";
        }
        if (c.observed().equals("violates " + inv.tlaName())) {
            return "violated";
        }
        return "error: " + c.observed();
    }

    /** The names listed under INVARIANT(S) in a TLC config. */
    static List<String> configInvariants(Path cfg) {
        List<String> names = new ArrayList<>();
        String text;
        try {
            text = Files.readString(cfg);
        } catch (IOException e) {
            return names;
        }
        text = text.replaceAll("\\\\\\*[^\\n]*", "").replaceAll("(?s)\\(\\*.*?\\*\\)", "");
        Matcher section = Pattern.compile("(?s)\\bINVARIANTS?\\b(.*?)(?=\\b(?:CONSTANTS?|INIT|NEXT|SPECIFICATION|PROPERTY|PROPERTIES|INVARIANTS?|SYMMETRY|VIEW|CONSTRAINTS?|ACTION_CONSTRAINTS?|CHECK_DEADLOCK|ALIAS|POSTCONDITION)\\b|$)")
                .matcher(text);
        while (section.find()) {
            for (String token : section.group(1).trim().split("\\s+")) {
                if (!token.isEmpty()) {
                    names.add(token);
                }
            }
        }
        return names;
    }

    Map<Mode, Map<Invariant, Cell>> cells() {
        return cells;
    }

    List<Cell> mismatches() {
        List<Cell> bad = new ArrayList<>();
        cells.values().forEach(row -> row.values().stream().filter(c -> !c.matches()).forEach(bad::add));
        return bad;
    }
}
