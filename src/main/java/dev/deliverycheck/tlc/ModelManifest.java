package dev.deliverycheck.tlc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.deliverycheck.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tla/models.json}: every TLC model with its expected outcome and the state count of its
 * last recorded run -- the regression oracle of the model side.
 *
 * <p>Closed schema (read by Jackson into typed records; an unknown key is an error naming the
 * key and the file): {@code {"models": [{"name", "spec", "config", "expected", "distinctStates",
 * "seconds"?}]}}; any other key is an error. {@code name} is unique, {@code spec} a {@code .tla}
 * and {@code config} a {@code .cfg} file next to it (paths relative to the manifest's directory),
 * {@code expected} is {@code holds} or {@code violates <Property>}. {@code distinctStates} and
 * {@code seconds} are written by {@code check-models --record}, never by hand; a model added by
 * hand has {@code distinctStates: null} until its first recorded run.
 *
 * <p>A model expecting {@code violates P} must check {@code P}: its config lists it under
 * {@code INVARIANTS} or, for a temporal property (a liveness model), alone under
 * {@code PROPERTIES}, since TLC does not name the temporal property a lasso violates.
 *
 * <p>An optional top-level {@code "unreachable": [{"id", "reason"}]} lists the actions and
 * branches that no positive model needs to reach, each with the reason ({@link CoverageGate}
 * names the ids).
 */
public final class ModelManifest {
    /** One model. {@code distinctStates} and {@code seconds} are null until recorded. */
    public record Entry(@JsonProperty(required = true) String name, @JsonProperty(required = true) String spec,
            @JsonProperty(required = true) String config, @JsonProperty(required = true) String expected,
            @JsonProperty(required = true) Long distinctStates, @JsonInclude(JsonInclude.Include.NON_NULL) Double seconds) {
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
    public record Unreachable(@JsonProperty(required = true) String id, @JsonProperty(required = true) String reason) {
    }

    /** The file as written: the typed form of the closed schema above. */
    private record Document(@JsonProperty(required = true) List<Entry> models,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Unreachable> unreachable) {
    }

    private final Path file;
    private final List<Entry> entries;
    private final List<Unreachable> unreachable;

    private ModelManifest(Path file, List<Entry> entries, List<Unreachable> unreachable) {
        this.file = file;
        this.entries = List.copyOf(entries);
        this.unreachable = List.copyOf(unreachable);
    }

    /** Reads a manifest of this schema from any path ({@code tla/models.json}, {@code tla/models-deep.json}, ...). */
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
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ManifestException(file + ": not JSON: " + Json.describe(e));
        }
        if (tree == null || !tree.isObject()) {
            throw new ManifestException(file + ": expected an object with the key \"models\" holding a list "
                    + "(and optionally \"unreachable\")");
        }
        Document doc;
        try {
            doc = Json.MAPPER.treeToValue(tree, Document.class);
        } catch (JsonProcessingException e) {
            throw new ManifestException(file + ": " + problem(tree, e));
        }
        List<Unreachable> unreachable = doc.unreachable() == null ? List.of() : doc.unreachable();
        Set<String> ids = new HashSet<>();
        for (Unreachable u : unreachable) {
            String where = file + ": unreachable " + u.id();
            nonEmpty(u.id(), "id", where);
            nonEmpty(u.reason(), "reason", where);
            if (!ids.add(u.id())) {
                throw new ManifestException(where + " is listed twice");
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        Set<String> names = new HashSet<>();
        for (Entry e : doc.models()) {
            check(file, e);
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
            checkExpectedProperty(file, e, TlcConfig.read(config));
        }
        return new ModelManifest(file, doc.models(), unreachable);
    }

    /** What the schema says an entry's values must be, beyond their JSON types. */
    private static void check(Path file, Entry e) {
        String where = file + ": model " + (e.name() == null ? "#?" : e.name());
        nonEmpty(e.name(), "name", where);
        nonEmpty(e.spec(), "spec", where);
        nonEmpty(e.config(), "config", where);
        nonEmpty(e.expected(), "expected", where);
        if (!e.name().matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new ManifestException(where + ": name must be an identifier");
        }
        if (!e.spec().endsWith(".tla") || !e.config().endsWith(".cfg")) {
            throw new ManifestException(where + ": spec must be a .tla file and config a .cfg file");
        }
        try {
            Outcome.parseExpected(e.expected());
        } catch (IllegalArgumentException ex) {
            throw new ManifestException(where + ": " + ex.getMessage());
        }
    }

    /**
     * A model expected to violate a property must check it: list it under INVARIANTS, or -- a
     * temporal property -- under PROPERTIES, alone there, since TLC does not name the temporal
     * property a lasso violates.
     */
    private static void checkExpectedProperty(Path file, Entry e, TlcConfig config) {
        Outcome expected = e.expectation();
        if (expected.kind() != Outcome.Kind.VIOLATES) {
            return;
        }
        String p = expected.detail();
        String where = file + ": model " + e.name();
        if (config.properties().contains(p)) {
            if (config.properties().size() != 1) {
                throw new ManifestException(where + ": expects the temporal property " + p + " violated, but "
                        + e.config() + " lists " + config.properties().size() + " PROPERTIES " + config.properties()
                        + " (TLC does not name a violated temporal property: list " + p + " alone)");
            }
        } else if (!config.invariants().contains(p)) {
            throw new ManifestException(where + ": expects " + p + " violated, but " + e.config()
                    + " lists it under neither INVARIANTS nor PROPERTIES");
        }
    }

    private static void nonEmpty(String value, String key, String where) {
        if (value == null || value.isBlank()) {
            throw new ManifestException(where + ": \"" + key + "\" must be a non-empty string");
        }
    }

    /**
     * Jackson's complaint in the manifest's words: where (the model by name, or the unreachable
     * item by id, when the file gives one), and what: the unknown key with the allowed ones, the
     * missing key, or the type a value must have.
     */
    private static String problem(JsonNode tree, JsonProcessingException e) {
        StringBuilder where = new StringBuilder();
        String field = null;
        JsonNode node = tree;
        List<JsonMappingException.Reference> path = e instanceof JsonMappingException m ? m.getPath() : List.of();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                field = r.getFieldName();
                node = node == null ? null : node.get(field);
            } else {
                int i = r.getIndex();
                node = node == null ? null : node.get(i);
                String key = "models".equals(field) ? "name" : "id";
                JsonNode label = node == null ? null : node.get(key);
                where.append("models".equals(field) ? "model " : field + " ")
                        .append(label != null && label.isTextual() ? label.asText() : "#" + i).append(": ");
                field = null;
            }
        }
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> allowed = u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            if (where.isEmpty()) {
                allowed = List.of("models", "unreachable");
            }
            return where + "unknown key \"" + u.getPropertyName() + "\" (allowed: " + String.join(", ", allowed) + ")";
        }
        if (e instanceof MismatchedInputException m && m.getOriginalMessage().startsWith("Missing required creator property")) {
            String key = m.getOriginalMessage().replaceAll(".*'([^']*)'.*", "$1");
            String hint = "distinctStates".equals(key) ? " (null until recorded)" : "";
            return where + "missing key \"" + key + "\"" + hint;
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return where + (field == null ? "" : "\"" + field + "\" ") + "must be " + kind(m.getTargetType());
        }
        return where + Json.describe(e);
    }

    private static String kind(Class<?> type) {
        if (type == Long.class || type == long.class) {
            return "an integer" + (type == Long.class ? " or null" : "");
        } else if (type == Double.class) {
            return "a number or null";
        } else if (type == String.class) {
            return "a string";
        } else if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
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
        return Json.writePretty(new Document(entries, unreachable));
    }

    public void write() {
        try {
            Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
