package dev.deliverycheck.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps SLF4J's "no binding" notice (three lines starting with "SLF4J:", printed by kafka-clients' logging API on
 * first use) off the standard error of a command, so that a failure still reads as one line. Everything else
 * passes through unchanged, line by line.
 */
final class Slf4jNoticeFilter extends OutputStream {
    private final PrintStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private Slf4jNoticeFilter(PrintStream target) {
        this.target = target;
    }

    /** Runs {@code body} with the filter on System.err, and puts the original stream back afterwards, also on failure. */
    static <T> T around(java.util.function.Supplier<T> body) {
        PrintStream original = System.err;
        System.setErr(new PrintStream(new Slf4jNoticeFilter(original), true, StandardCharsets.UTF_8));
        try {
            return body.get();
        } finally {
            System.setErr(original);
        }
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public synchronized void flush() {
        target.flush();
    }

    private void flushLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (!text.startsWith("SLF4J:")) {
            target.print(text);
        }
    }
}
