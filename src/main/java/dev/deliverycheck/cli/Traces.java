package dev.deliverycheck.cli;

import dev.deliverycheck.explore.TraceSampler;
import dev.deliverycheck.sim.SimulationConfig;
import dev.deliverycheck.tlc.ProjectRoot;
import dev.deliverycheck.tlc.TraceValidator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Trace validation as the commands use it: find tla/, sample runs, print the outcome. */
final class Traces {
    private Traces() {
    }

    static TraceValidator validator() {
        Path tla = ProjectRoot.tlaDir(ProjectRoot.locate());
        if (!Files.isDirectory(tla.resolve("trace"))) {
            throw new UsageException("no trace specs at " + tla.resolve("trace") + " (run from the repository, or set -D"
                    + ProjectRoot.PROPERTY + ")");
        }
        return new TraceValidator(tla).withProgress(null);
    }

    static TraceSampler.Report sample(SimulationConfig template, int count, int steps, long seed, PrintWriter err) {
        TraceSampler sampler = new TraceSampler(validator(), line -> {
            err.println(line);
            err.flush();
        });
        return sampler.sample(template, count, steps, seed);
    }

    static void print(TraceSampler.Report r, PrintWriter w) {
        w.printf("  traces: %d of %d runs are behaviours of the %s spec (%d events, %.0f events/s of TLC time)%n",
                r.runs().stream().filter(s -> s.validation().ok()).count(), r.runs().size(), r.mode().cliName(),
                r.events(), r.eventsPerSecond());
        for (TraceSampler.Sampled s : r.runs()) {
            if (!s.validation().ok()) {
                w.printf("      seed %d: %s%n", s.seed(), s.validation().message());
            }
        }
    }
}
