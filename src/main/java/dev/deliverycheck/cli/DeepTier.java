package dev.deliverycheck.cli;

import dev.deliverycheck.json.Json;
import dev.deliverycheck.tlc.DistributedTlc;
import dev.deliverycheck.tlc.ModelCheck;
import dev.deliverycheck.tlc.ModelManifest;
import dev.deliverycheck.tlc.TlcResult;
import dev.deliverycheck.tlc.TlcRunner;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code check-models --tier deep}: the models of {@code tla/models-deep.json}, at Kafka's real
 * constants and too large for breadth-first search on one machine, checked either by TLC's
 * simulation mode (random behaviours of a bounded depth from a seed: finds violations, proves
 * nothing) or, with {@code --distributed}, exhaustively by TLC's distributed mode (a server here,
 * workers here and on other machines). Not part of {@code mvn -B verify}; no coverage gate and no
 * {@code --record} (the default tier's oracle is {@code tla/models.json}).
 */
final class DeepTier {
    static final String DEFAULT = "default";
    static final String DEEP = "deep";

    @Option(names = "--tier", paramLabel = "default|deep", defaultValue = DEFAULT, description = "default: the models "
            + "of tla/models.json (breadth-first, coverage gate); deep: tla/models-deep.json at Kafka's real constants, "
            + "by simulation or --distributed (default: ${DEFAULT-VALUE})")
    String tier = DEFAULT;

    @Option(names = "--traces", paramLabel = "N", defaultValue = "1000", description = "deep tier: random behaviours "
            + "per model (TLC -simulate num=N; default ${DEFAULT-VALUE})")
    long traces = 1_000;

    @Option(names = "--depth", paramLabel = "D", defaultValue = "100", description = "deep tier: steps per behaviour "
            + "(default ${DEFAULT-VALUE})")
    int depth = 100;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "deep tier: TLC's simulation seed "
            + "(default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--distributed", description = "deep tier: exhaustive breadth-first search by TLC's distributed "
            + "mode: starts a TLCServer (and --local-workers workers); workers on other machines join with the command "
            + "it prints")
    boolean distributed;

    @Option(names = "--listen", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "--distributed: the "
            + "address the TLC server listens on and workers dial (default ${DEFAULT-VALUE}: this machine only)")
    String listen = "127.0.0.1";

    @Option(names = "--port", paramLabel = "P", defaultValue = "0", description = "--distributed: the server's RMI port "
            + "(default 0: a free one, printed)")
    int port;

    @Option(names = "--local-workers", paramLabel = "N", defaultValue = "1", description = "--distributed: TLC workers "
            + "started on this machine (default ${DEFAULT-VALUE}; 0 waits for workers started elsewhere)")
    int localWorkers = 1;

    @Option(names = "--worker-wait", paramLabel = "SECONDS", defaultValue = "300", description = "--distributed: how "
            + "long the server waits for the first worker (default ${DEFAULT-VALUE})")
    int workerWait = 300;

    @Option(names = "--minutes", paramLabel = "M", defaultValue = "120", description = "deep tier: time limit per model "
            + "(default ${DEFAULT-VALUE})")
    int minutes = 120;

    /** True for {@code --tier deep}; a usage error for an unknown tier or deep-only options without it. */
    boolean selected() {
        if (!tier.equals(DEFAULT) && !tier.equals(DEEP)) {
            throw new UsageException("--tier must be 'default' or 'deep', got '" + tier + "'");
        }
        boolean deep = tier.equals(DEEP);
        if (!deep && distributed) {
            throw new UsageException("--distributed needs --tier deep");
        }
        if (deep && (traces < 1 || depth < 1 || minutes < 1 || workerWait < 1 || localWorkers < 0 || port < 0
                || port > 65535)) {
            throw new UsageException("--traces, --depth, --minutes and --worker-wait must be positive, --local-workers "
                    + "not negative, --port 0..65535");
        }
        if (distributed) {
            checkListenAddress(listen);
        }
        return deep;
    }

    /** --listen must name an address of this machine: TLC's server cannot bind anything else (bad input, exit 2). */
    static void checkListenAddress(String listen) {
        java.net.InetAddress address;
        try {
            address = java.net.InetAddress.getByName(listen);
        } catch (java.net.UnknownHostException e) {
            throw new UsageException("--listen " + listen + ": unknown host");
        }
        try {
            if (!address.isLoopbackAddress() && !address.isAnyLocalAddress()
                    && java.net.NetworkInterface.getByInetAddress(address) == null) {
                throw new UsageException("--listen " + listen + ": not an address of this machine");
            }
        } catch (java.net.SocketException e) {
            throw new UsageException("--listen " + listen + ": " + e.getMessage());
        }
    }

    String manifestName() {
        return tier.equals(DEEP) ? "models-deep.json" : "models.json";
    }

    /** Checks {@code selected}, printing one line per model as it finishes; returns the verdicts. */
    List<ModelCheck> check(ModelManifest manifest, List<ModelManifest.Entry> selected, TlcRunner runner,
                           PrintStream progress, PrintWriter out, boolean json) {
        DistributedTlc cluster = distributed ? new DistributedTlc(manifest.directory(), listen, port, localWorkers,
                Duration.ofSeconds(workerWait), Duration.ofMinutes(minutes), progress) : null;
        TlcRunner simulator = runner.withTimeout(Duration.ofMinutes(minutes))
                .withSimulation(new TlcRunner.Simulation(traces, depth, seed));
        List<ModelCheck> checks = new ArrayList<>();
        List<Object> rows = new ArrayList<>();
        long totalStates = 0;
        for (ModelManifest.Entry e : selected) {
            TlcResult r = cluster != null ? cluster.run(manifest.specOf(e), manifest.configOf(e))
                    : simulator.run(manifest.specOf(e), manifest.configOf(e));
            ModelCheck c = ModelCheck.of(e, r);
            checks.add(c);
            long states = cluster != null ? r.distinctStates() : r.statesGenerated();
            totalStates += Math.max(0, states);
            double perMinute = r.seconds() > 0 ? Math.max(0, states) * 60 / r.seconds() : 0;
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", c.name());
                m.put("expected", c.expected());
                m.put("observed", c.observed());
                m.put(cluster != null ? "distinctStates" : "statesChecked", states);
                m.put("seconds", Math.round(r.seconds() * 10) / 10.0);
                m.put("statesPerMinute", Math.round(perMinute));
                m.put("ok", c.ok());
                m.put("counterexample", c.counterexample());
                rows.add(m);
            } else {
                out.printf("%-4s %-40s expected %-26s observed %-26s %,12d %s %7.1f s (%,.0f/min)%n", c.ok() ? "ok" : "FAIL",
                        c.name(), c.expected(), c.observed(), states, cluster != null ? "distinct states" : "states checked",
                        r.seconds(), perMinute);
                if (!c.counterexample().isEmpty()) {
                    out.println("     counterexample (" + c.counterexample().size() + " steps): "
                            + String.join(" -> ", c.counterexample()));
                }
                out.flush();
            }
        }
        boolean ok = checks.stream().allMatch(ModelCheck::ok);
        String how = cluster != null ? "distributed TLC, " + localWorkers + " local worker(s)"
                : "simulation, " + traces + " traces of depth " + depth + ", seed " + seed;
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("tier", DEEP);
            root.put("mode", cluster != null ? "distributed" : "simulation");
            root.put("models", rows);
            root.put("ok", ok);
            out.println(Json.write(root));
        } else {
            out.printf("check-models --tier deep: %s -- %d model(s), %s, %,d states, %.1f s%n", ok ? "ok" : "MISMATCH",
                    checks.size(), how, totalStates, checks.stream().mapToDouble(ModelCheck::seconds).sum());
        }
        out.flush();
        return checks;
    }
}
