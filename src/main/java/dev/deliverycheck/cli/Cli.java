package dev.deliverycheck.cli;

import dev.deliverycheck.check.Mode;
import java.util.function.Supplier;

/** Small helpers shared by the commands: turning bad input into one-line usage errors. */
final class Cli {
    private Cli() {
    }

    static Mode mode(String name) {
        return parse(() -> Mode.fromCliName(name));
    }

    /** Runs a parse/validation; an IllegalArgumentException becomes a {@link UsageException}. */
    static <T> T parse(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
