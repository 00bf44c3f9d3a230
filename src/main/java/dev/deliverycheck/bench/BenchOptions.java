package dev.deliverycheck.bench;

import java.nio.file.Path;

/**
 * How a scenario runs: where its files go, whether on the tiny test budget, and the seed.
 *
 * @param outDir      directory for the scenario's CSV, PNG and JSON files (created if missing)
 * @param quick       tiny budget: the same runs, each a few milliseconds long, for tests
 * @param seed        seeds the producers' randomness; the model runs are deterministic for a seed
 * @param target      broker of the real-broker runs (calibrate, partitioners): "apache" or "ours"; null for the
 *                    default, see {@link #brokerTarget()}
 * @param calibration a {@code calibrate.json} whose fitted cost model partitioners uses; null for a fresh fit
 */
public record BenchOptions(Path outDir, boolean quick, long seed, String target, Path calibration) {
    public BenchOptions(Path outDir, boolean quick, long seed) {
        this(outDir, quick, seed, null, null);
    }

    /**
     * The broker of the real-broker runs: the one named, else a real Apache Kafka broker, except on the tiny
     * budget, where deliverycheck's in-process wire broker stands in (no child JVM in a smoke test).
     */
    public String brokerTarget() {
        return target != null ? target : quick ? "ours" : "apache";
    }
}
