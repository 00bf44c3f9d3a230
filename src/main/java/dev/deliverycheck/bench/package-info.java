/**
 * The performance lab behind {@code deliverycheck bench}: scenarios that measure the seed's
 * performance claims (partitioners, slow broker, batching, buffer memory) and the throughput
 * figures of issues 2–4 (throughput, cost of idempotence, cost of transactions).
 *
 * <p>Two ways of running a {@link dev.deliverycheck.bench.Workload}: {@link dev.deliverycheck.bench.ModelRun}
 * in the discrete-event bench simulator ({@link dev.deliverycheck.bench.ModelCluster}: the real
 * producer node and brokers on a nanosecond virtual clock, with time taken from a
 * {@link dev.deliverycheck.bench.CostModel}; deterministic), and {@link dev.deliverycheck.bench.RealTimeRun}
 * on a {@link dev.deliverycheck.local.LocalCluster} (real threads and clock). The cost model and
 * every scenario's figures are documented in {@code docs/bench/README.md}.
 *
 * <p>Nothing in producer, broker or sim depends on this package; it does not change
 * {@link dev.deliverycheck.sim.Simulation}, it reuses only the simulated disk.
 */
package dev.deliverycheck.bench;
