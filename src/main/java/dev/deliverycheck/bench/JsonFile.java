package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.deliverycheck.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a scenario's figures as pretty JSON next to its CSV and charts, with the list of files the scenario wrote as
 * the document's last key, {@code files}. The figures are a record (Jackson writes its components in order) or, for
 * the scenarios not yet moved to records, an insertion-ordered map.
 */
final class JsonFile {
    private JsonFile() {
    }

    /** A scenario's figures followed by {@code files}: the document its JSON file and {@code --json} hold. */
    record Filed(@JsonUnwrapped Object figures, List<String> files) {
    }

    /**
     * Writes {@code figures} and the file list to {@code file}, adds the file to {@code files}, and returns the
     * document written (for a map: the map itself, with {@code files} put last).
     */
    static Object write(Path file, Object figures, List<Path> files) throws IOException {
        files.add(file);
        List<String> names = files.stream().map(Path::toString).toList();
        Object document;
        if (figures instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) map;
            json.put("files", names);
            document = json;
        } else {
            document = new Filed(figures, names);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, Json.writePretty(document), StandardCharsets.UTF_8);
        return document;
    }

    /** A record's JSON as an insertion-ordered map (same keys, order and values), for maps not yet records. */
    static Map<String, Object> toMap(Object figures) {
        return Json.MAPPER.convertValue(figures, new TypeReference<LinkedHashMap<String, Object>>() { });
    }
}
