package dev.deliverycheck.bench;

/** Where a scenario reports what it is doing while it runs (one line per step, on stderr in the CLI). */
@FunctionalInterface
public interface Progress {
    Progress NONE = line -> { };

    void line(String text);
}
