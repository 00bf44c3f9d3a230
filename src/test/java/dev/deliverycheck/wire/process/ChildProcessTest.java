package dev.deliverycheck.wire.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The child-process lifecycle both broker launchers use, on a tiny child JVM ({@link Child}). */
class ChildProcessTest {
    private static final String CLASSPATH = System.getProperty("java.class.path");
    private static final Duration START = Duration.ofSeconds(60);
    private ChildProcess child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.close();
        }
    }

    /**
     * Prints its first argument (unless it is "-"), then exits with the second if given, else waits to be killed:
     * it blocks reading its stdin, a pipe from the test JVM that nobody writes to, so it lives until killed or
     * until the test JVM is gone (the pipe closes), not for a time that must outlast the test.
     */
    public static final class Child {
        public static void main(String[] args) throws java.io.IOException {
            if (!args[0].equals("-")) {
                System.out.println(args[0]);
                System.out.flush();
            }
            if (args.length > 1) {
                System.exit(Integer.parseInt(args[1]));
            }
            while (System.in.read() != -1) {
                // nothing is ever written; read() returns -1 once the parent is gone
            }
        }
    }

    /** Starts {@link Child} with {@code args}; ready once the output holds {@code readyLines} lines "ready". */
    private void start(Path out, long readyLines, String... args) throws IOException {
        List<String> mainAndArgs = new java.util.ArrayList<>(List.of(Child.class.getName()));
        mainAndArgs.addAll(List.of(args));
        child.start(List.of("-Xmx32m"), CLASSPATH, mainAndArgs, out, START, "say ready",
                () -> Files.readString(out, StandardCharsets.UTF_8).lines().filter("ready"::equals).count() >= readyLines);
    }

    @Test
    void startsWhenReadyKillsRestartsAndCleansUp() throws IOException {
        child = ChildProcess.create("the test child", "deliverycheck-child-test-");
        Path dir = child.directory();
        Path out = dir.resolve("out.log");
        start(out, 1, "ready");
        assertThat(child.running()).isTrue();
        child.kill();
        assertThat(child.running()).isFalse();
        start(out, 2, "ready");
        assertThat(child.running()).isTrue();
        assertThat(Files.readString(out)).isEqualTo("ready\nready\n");
        child.close();
        assertThat(child.running()).isFalse();
        assertThat(dir).doesNotExist();
    }

    @Test
    void aChildThatExitsDuringStartIsReportedWithItsLastLine() throws IOException {
        child = ChildProcess.create("the test child", "deliverycheck-child-test-");
        Path out = child.directory().resolve("out.log");
        assertThatThrownBy(() -> start(out, 1, "no port for you", "7")).isInstanceOf(IOException.class)
                .hasMessage("the test child exited during start (exit 7): no port for you");
        assertThat(child.running()).isFalse();
    }

    @Test
    void aChildThatNeverGetsReadyIsKilledAtTheDeadline() throws IOException {
        child = ChildProcess.create("the test child", "deliverycheck-child-test-");
        Path out = child.directory().resolve("out.log");
        assertThatThrownBy(() -> child.start(List.of("-Xmx32m"), CLASSPATH, List.of(Child.class.getName(), "-"), out,
                Duration.ofSeconds(1), "say ready", () -> false))
                .isInstanceOf(IOException.class).hasMessage("the test child did not say ready within 1 s");
        assertThat(child.running()).isFalse();
    }

    @Test
    void runReturnsAToolsExitCode() throws IOException {
        child = ChildProcess.create("the test child", "deliverycheck-child-test-");
        Path out = child.directory().resolve("tool.log");
        assertThat(child.run(List.of("-Xmx32m"), CLASSPATH, List.of(Child.class.getName(), "done", "3"), out, START)).isEqualTo(3);
        assertThat(ChildProcess.lastLine(out)).isEqualTo("done");
    }
}
