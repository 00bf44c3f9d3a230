package dev.deliverycheck.cli;

/** Bad input from the user (arguments, files): reported as one line with exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
