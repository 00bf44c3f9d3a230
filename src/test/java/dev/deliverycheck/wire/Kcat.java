package dev.deliverycheck.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kcat (librdkafka's command-line client, the distribution's package) run as a child process: a
 * Kafka client that shares no code with the Java client, so what it sends is what a C client sends.
 * Every run is bounded; a run that does not finish in time is killed and reported with its output.
 */
final class Kcat {
    static final Path BINARY = Path.of(System.getProperty("deliverycheck.kcat", "/usr/bin/kcat"));
    private static final long TIMEOUT_SECONDS = 60;

    /** What one kcat run left: its exit code and its two output streams. */
    record Result(int exitCode, String stdout, String stderr) {
        List<String> lines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        }
    }

    private Kcat() {
    }

    static void requireInstalled() {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("kcat is not installed at " + BINARY + ": the librdkafka client test needs it "
                    + "(apt-get install -y --no-install-recommends kcat; .ci/run installs it)");
        }
    }

    /** Runs kcat with {@code args}, writing {@code stdin} to it and closing it; waits at most a minute. */
    static Result run(List<String> args, String stdin) throws IOException, InterruptedException {
        requireInstalled();
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(args);
        Path out = Files.createTempFile("kcat-out-", ".txt");
        Path err = Files.createTempFile("kcat-err-", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("kcat " + args + " did not finish in " + TIMEOUT_SECONDS + " s; stderr: "
                        + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
