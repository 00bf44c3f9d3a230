package dev.deliverycheck.tlc;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository root that holds {@code tla/}: the system property {@value #PROPERTY}
 * (set by the launcher and by surefire), else the working directory or the nearest parent of it
 * that has {@code tla/models.json}.
 */
public final class ProjectRoot {
    public static final String PROPERTY = "deliverycheck.root";

    private ProjectRoot() {
    }

    public static Path locate() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tla").resolve("models.json"))) {
                return p;
            }
        }
        return start;
    }

    /** The {@code tla/} directory of a root. */
    public static Path tlaDir(Path root) {
        return root.resolve("tla");
    }
}
