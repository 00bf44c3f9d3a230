package dev.deliverycheck.report;

import dev.deliverycheck.tlc.ModelCheck;
import dev.deliverycheck.tlc.ModelManifest;
import dev.deliverycheck.tlc.TlcResult;
import dev.deliverycheck.tlc.TlcRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The states of TLC's counterexamples. A model check keeps only the action names; for the report
 * TLC runs once more on each model that produced a counterexample and its output is parsed for
 * the states. TLC's breadth-first search with one worker finds the same shortest trace every
 * time; these models stop at their first violation, about a second each.
 */
public final class TlcCounterexamples {
    private TlcCounterexamples() {
    }

    /** Model name to counterexample, for every check that observed a violation, in the order of {@code checks}. */
    public static Map<String, TlaTrace> capture(ModelManifest manifest, List<ModelCheck> checks, Path tlaDir) {
        TlcRunner runner = new TlcRunner(tlaDir).withWorkers("1").withProgress(null);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Map<String, Future<TlaTrace>> pending = new LinkedHashMap<>();
            for (ModelCheck c : checks) {
                ModelManifest.Entry e = manifest.find(c.name()).orElse(null);
                if (e == null || !c.observed().startsWith("violates ")) {
                    continue;
                }
                pending.put(c.name(), pool.submit(() -> {
                    List<String> lines = new ArrayList<>();
                    TlcResult r = runner.run(manifest.specOf(e), manifest.configOf(e), lines::add);
                    return TlcTraceParser.parse(c.name(), lines, r.counterexample());
                }));
            }
            Map<String, TlaTrace> traces = new LinkedHashMap<>();
            for (Map.Entry<String, Future<TlaTrace>> f : pending.entrySet()) {
                traces.put(f.getKey(), f.getValue().get());
            }
            return traces;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while TLC re-read a counterexample", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("TLC failed while re-reading a counterexample: " + e.getCause().getMessage(),
                    e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
