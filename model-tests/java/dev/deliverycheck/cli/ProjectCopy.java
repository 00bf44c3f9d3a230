package dev.deliverycheck.cli;

import dev.deliverycheck.tlc.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * A copy of the project's {@code tla/} under a temporary root, with its own {@code models.json},
 * so a command test can run {@code verify} on a chosen handful of models; the root is set for the
 * duration of one call and restored after it, even when the call throws.
 */
final class ProjectCopy {
    private final Path root;

    private ProjectCopy(Path root) {
        this.root = root;
    }

    /** Copies {@code tla/} to {@code root/tla} and replaces its manifest with {@code manifestJson}. */
    static ProjectCopy withManifest(Path root, String manifestJson) throws IOException {
        Path from = ProjectRoot.tlaDir(ProjectRoot.locate());
        Path to = root.resolve("tla");
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Files.writeString(to.resolve("models.json"), manifestJson);
        return new ProjectCopy(root);
    }

    /** Runs {@code work} with this copy as the project root. */
    <T> T run(Callable<T> work) throws Exception {
        String before = System.getProperty(ProjectRoot.PROPERTY);
        System.setProperty(ProjectRoot.PROPERTY, root.toString());
        try {
            return work.call();
        } finally {
            if (before == null) {
                System.clearProperty(ProjectRoot.PROPERTY);
            } else {
                System.setProperty(ProjectRoot.PROPERTY, before);
            }
        }
    }
}
