package dev.deliverycheck.cli;

import java.util.function.Supplier;

/** Small helpers shared by the commands: turning bad input into one-line usage errors. */
final class Cli {
    private Cli() {
    }

    /**
     * Why a file could not be read, in the user's words: the exception's message is often only
     * the path again ({@code NoSuchFileException}) or a decoder's detail ("Input length = 1").
     */
    static String ioReason(java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage();
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
