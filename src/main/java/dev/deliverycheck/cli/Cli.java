package dev.deliverycheck.cli;

import java.util.function.Supplier;

/** Small helpers shared by the commands: turning bad input into one-line usage errors. */
final class Cli {
    private Cli() {
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
