package dev.deliverycheck.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any work starts, that the report directory and the JUnit XML file can be
 * written: a run that takes minutes must not end in "cannot write". The directory is created
 * and a probe file written and removed in it; the XML file's directory is created and probed
 * the same way, and an existing XML path must be a writable regular file.
 */
public final class OutputTargets {
    private OutputTargets() {
    }

    /** Throws IllegalArgumentException with one line naming the path and the reason; null paths are skipped. */
    public static void check(Path reportDir, Path junitXml) {
        if (reportDir != null) {
            if (Files.exists(reportDir) && !Files.isDirectory(reportDir)) {
                throw new IllegalArgumentException("--report " + reportDir + " is not a directory");
            }
            probe(reportDir, "--report " + reportDir);
        }
        if (junitXml != null) {
            if (Files.isDirectory(junitXml)) {
                throw new IllegalArgumentException("--junit-xml " + junitXml + " is a directory, expected a file");
            }
            if (Files.exists(junitXml) && !Files.isWritable(junitXml)) {
                throw new IllegalArgumentException("--junit-xml " + junitXml + " is not writable");
            }
            Path parent = junitXml.toAbsolutePath().getParent();
            probe(parent, "--junit-xml " + junitXml);
        }
    }

    /**
     * Throws IllegalArgumentException with one line if {@code dir} (an output directory such as
     * {@code --out}, named {@code option}) cannot be created or written; it is created if missing.
     */
    public static void checkDirectory(Path dir, String option) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " is not a directory");
        }
        probe(dir, option + " " + dir);
    }

    private static void probe(Path dir, String what) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".deliverycheck-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot write " + what + ": " + reason(e));
        }
    }

    /** The operating system's reason, without the probe file's name. */
    private static String reason(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file is in the way";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "the directory cannot be created there";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
