package dev.deliverycheck.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What a scenario produced: the document of its JSON file (the {@code --json} output; a record Jackson writes, or a
 * map), the files it wrote, and a few human-readable summary lines.
 */
public record ScenarioReport(Object json, List<Path> files, List<String> summary) {
    public ScenarioReport {
        files = List.copyOf(files);
        summary = List.copyOf(summary);
    }
}
