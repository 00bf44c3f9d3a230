package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.deliverycheck.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a scenario's figures as pretty JSON next to its CSV and charts, with the list of files the scenario wrote as
 * the document's last key, {@code files}. The figures are a record: Jackson writes its components in order.
 */
final class JsonFile {
    private JsonFile() {
    }

    /** A scenario's figures followed by {@code files}: the document its JSON file and {@code --json} hold. */
    record Filed(@JsonUnwrapped Object figures, List<String> files) {
    }

    /** Writes {@code figures} and the file list to {@code file}, adds the file to {@code files}, and returns the document written. */
    static Filed write(Path file, Object figures, List<Path> files) throws IOException {
        files.add(file);
        Filed document = new Filed(figures, files.stream().map(Path::toString).toList());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, Json.writePretty(document), StandardCharsets.UTF_8);
        return document;
    }
}
