package dev.deliverycheck.tlc;

import dev.deliverycheck.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tla/models.json}: every TLC model with its expected outcome and the state count of its
 * last recorded run -- the regression oracle of the model side.
 *
 * <p>Closed schema: {@code {"models": [{"name", "spec", "config", "expected", "distinctStates",
 * "seconds"?}]}}; any other key is an error. {@code name} is unique, {@code spec} a {@code .tla}
 * and {@code config} a {@code .cfg} file next to it (paths relative to the manifest's directory),
 * {@code expected} is {@code holds} or {@code violates <Property>}. {@code distinctStates} and
 * {@code seconds} are written by {@code check-models --record}, never by hand; a model added by
 * hand has {@code distinctStates: null} until its first recorded run.
 *
 * <p>An optional top-level {@code "unreachable": [{"id", "reason"}]} lists the actions and
 * branches that no positive model needs to reach, each with the reason ({@link CoverageGate}
 * names the ids).
 */
public final class ModelManifest {
    private static final Set<String> ENTRY_KEYS = Set.of("name", "spec", "config", "expected", "distinctStates", "seconds");

    /** One model. {@code distinctStates} and {@code seconds} are null until recorded. */
    public record Entry(String name, String spec, String config, String expected, Long distinctStates, Double seconds) {
        public Outcome expectation() {
            return Outcome.parseExpected(expected);
        }

        public Entry recorded(long distinct, double secs) {
            return new Entry(name, spec, config, expected, distinct, Math.round(secs * 10) / 10.0);
        }
    }

    /** A malformed manifest: the message names the file, the model and the problem. */
    public static final class ManifestException extends RuntimeException {
        public ManifestException(String message) {
            super(message);
        }
    }

    /** An action or branch deliberately left unreached by the positive models, and why. */
    public record Unreachable(String id, String reason) {
    }

    private final Path file;
    private final List<Entry> entries;
    private final List<Unreachable> unreachable;

    private ModelManifest(Path file, List<Entry> entries, List<Unreachable> unreachable) {
        this.file = file;
        this.entries = List.copyOf(entries);
        this.unreachable = List.copyOf(unreachable);
    }

    public static ModelManifest read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ManifestException("cannot read model manifest " + file + ": " + e.getMessage());
        }
        return parse(file, text);
    }

    static ModelManifest parse(Path file, String text) {
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.ParseException e) {
            throw new ManifestException(file + ": not JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> top) || !top.containsKey("models") || !Set.of("models", "unreachable")
                .containsAll(top.keySet()) || !(top.get("models") instanceof List<?> models)) {
            throw new ManifestException(file + ": expected an object with the key \"models\" holding a list "
                    + "(and optionally \"unreachable\")");
        }
        List<Unreachable> unreachable = unreachable(file, top.get("unreachable"));
        Path dir = file.toAbsolutePath().getParent();
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Object o : models) {
            Entry e = entry(file, o);
            if (!names.add(e.name())) {
                throw new ManifestException(file + ": model " + e.name() + " is listed twice");
            }
            Path spec = dir.resolve(e.spec());
            Path config = dir.resolve(e.config());
            if (!Files.isRegularFile(spec) || !Files.isRegularFile(config)) {
                throw new ManifestException(file + ": model " + e.name() + ": missing " + (Files.isRegularFile(spec) ? config : spec));
            }
            if (!spec.getParent().equals(config.getParent())) {
                throw new ManifestException(file + ": model " + e.name() + ": config must sit next to its spec");
            }
            entries.add(e);
        }
        return new ModelManifest(file, entries, unreachable);
    }

    private static List<Unreachable> unreachable(Path file, Object o) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List<?> list)) {
            throw new ManifestException(file + ": \"unreachable\" must be a list");
        }
        List<Unreachable> result = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> m) || !m.keySet().equals(Set.of("id", "reason"))) {
                throw new ManifestException(file + ": every \"unreachable\" item is {\"id\", \"reason\"}");
            }
            String where = file + ": unreachable " + m.get("id");
            Unreachable u = new Unreachable(string(m, "id", where), string(m, "reason", where));
            if (!ids.add(u.id())) {
                throw new ManifestException(where + " is listed twice");
            }
            result.add(u);
        }
        return result;
    }

    private static Entry entry(Path file, Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new ManifestException(file + ": every model must be an object");
        }
        Object name = m.get("name");
        String where = file + ": model " + (name instanceof String s ? s : "#?");
        for (Object k : m.keySet()) {
            if (!ENTRY_KEYS.contains(k)) {
                throw new ManifestException(where + ": unknown key \"" + k + "\" (allowed: " + String.join(", ", ENTRY_KEYS) + ")");
            }
        }
        String spec = string(m, "spec", where);
        String config = string(m, "config", where);
        String expected = string(m, "expected", where);
        if (!string(m, "name", where).matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new ManifestException(where + ": name must be an identifier");
        }
        if (!spec.endsWith(".tla") || !config.endsWith(".cfg")) {
            throw new ManifestException(where + ": spec must be a .tla file and config a .cfg file");
        }
        try {
            Outcome.parseExpected(expected);
        } catch (IllegalArgumentException e) {
            throw new ManifestException(where + ": " + e.getMessage());
        }
        if (!m.containsKey("distinctStates")) {
            throw new ManifestException(where + ": missing key \"distinctStates\" (null until recorded)");
        }
        Object distinct = m.get("distinctStates");
        Object seconds = m.get("seconds");
        if (distinct != null && !(distinct instanceof Long)) {
            throw new ManifestException(where + ": distinctStates must be an integer or null");
        }
        if (seconds != null && !(seconds instanceof Number)) {
            throw new ManifestException(where + ": seconds must be a number");
        }
        return new Entry((String) name, spec, config, expected, (Long) distinct,
                seconds == null ? null : ((Number) seconds).doubleValue());
    }

    private static String string(Map<?, ?> m, String key, String where) {
        if (!(m.get(key) instanceof String s) || s.isBlank()) {
            throw new ManifestException(where + ": \"" + key + "\" must be a non-empty string");
        }
        return s;
    }

    public Path file() {
        return file;
    }

    /** The directory spec and config paths are relative to. */
    public Path directory() {
        return file.toAbsolutePath().getParent();
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The actions and branches the positive models may leave unreached, with the reasons. */
    public List<Unreachable> unreachable() {
        return unreachable;
    }

    public Optional<Entry> find(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public Path specOf(Entry e) {
        return directory().resolve(e.spec());
    }

    public Path configOf(Entry e) {
        return directory().resolve(e.config());
    }

    /** This manifest with the entry of the same name replaced. */
    public ModelManifest with(Entry updated) {
        List<Entry> list = new ArrayList<>();
        boolean found = false;
        for (Entry e : entries) {
            found |= e.name().equals(updated.name());
            list.add(e.name().equals(updated.name()) ? updated : e);
        }
        if (!found) {
            throw new IllegalArgumentException("no model named " + updated.name());
        }
        return new ModelManifest(file, list, unreachable);
    }

    public String toJson() {
        List<Object> models = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.name());
            m.put("spec", e.spec());
            m.put("config", e.config());
            m.put("expected", e.expected());
            m.put("distinctStates", e.distinctStates());
            if (e.seconds() != null) {
                m.put("seconds", e.seconds());
            }
            models.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("models", models);
        if (!unreachable.isEmpty()) {
            List<Object> items = new ArrayList<>();
            for (Unreachable u : unreachable) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", u.id());
                m.put("reason", u.reason());
                items.add(m);
            }
            root.put("unreachable", items);
        }
        return Json.writePretty(root);
    }

    public void write() {
        try {
            Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
