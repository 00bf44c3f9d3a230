package dev.deliverycheck.bench;

import java.util.Locale;

/** Numbers a scenario's steps for its progress lines: "bench NAME [i/n] what happened (t s)". */
final class Steps {
    private final String scenario;
    private final int total;
    private final Progress progress;
    private final long startNs = System.nanoTime();
    private int done;

    Steps(String scenario, int total, Progress progress) {
        this.scenario = scenario;
        this.total = total;
        this.progress = progress;
    }

    void done(String what) {
        done++;
        progress.line(String.format(Locale.ROOT, "bench %s [%d/%d] %s (%.1f s)", scenario, done, total, what,
                (System.nanoTime() - startNs) / 1e9));
    }
}
