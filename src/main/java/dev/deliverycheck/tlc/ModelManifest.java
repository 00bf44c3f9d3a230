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

    private final Path file;
    private final List<Entry> entries;

    private ModelManifest(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
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
        if (!(root instanceof Map<?, ?> top) || !top.keySet().equals(Set.of("models"))
                || !(top.get("models") instanceof List<?> models)) {
            throw new ManifestException(file + ": expected an object with exactly one key, \"models\", holding a list");
        }
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
        return new ModelManifest(file, entries);
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
        return new ModelManifest(file, list);
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
