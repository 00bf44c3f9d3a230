package dev.deliverycheck.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a scenario produced: its figures as a JSON-ready map (the {@code --json} output), the
 * files it wrote, and a few human-readable summary lines.
 */
public record ScenarioReport(Map<String, Object> json, List<Path> files, List<String> summary) {
    public ScenarioReport {
        files = List.copyOf(files);
        summary = List.copyOf(summary);
    }
}
