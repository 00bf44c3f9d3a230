package dev.deliverycheck.bench;

import java.nio.file.Path;

/**
 * How a scenario runs: where its files go, whether on the tiny test budget, and the seed.
 *
 * @param outDir directory for the scenario's CSV, PNG and JSON files (created if missing)
 * @param quick  tiny budget: the same runs, each a few milliseconds long, for tests
 * @param seed   seeds the producers' randomness; the model runs are deterministic for a seed
 */
public record BenchOptions(Path outDir, boolean quick, long seed) {
}
