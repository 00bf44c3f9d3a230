package dev.deliverycheck.bench;

import dev.deliverycheck.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes a scenario's figures as pretty JSON next to its CSV and charts. */
final class JsonFile {
    private JsonFile() {
    }

    /** Writes {@code json} to {@code file} and adds the file to {@code files} (and to the JSON's file list). */
    static void write(Path file, Map<String, Object> json, List<Path> files) throws IOException {
        files.add(file);
        json.put("files", files.stream().map(Path::toString).toList());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, Json.writePretty(json), StandardCharsets.UTF_8);
    }
}
