package dev.deliverycheck.bench;

import java.io.IOException;

/** A benchmark scenario of {@code deliverycheck bench}: runs, writes its files, returns its figures. */
public interface Benchmark {
    /** The name on the command line. */
    String name();

    /** One line for {@code --help}. */
    String description();

    ScenarioReport run(BenchOptions options, Progress progress) throws IOException;
}
