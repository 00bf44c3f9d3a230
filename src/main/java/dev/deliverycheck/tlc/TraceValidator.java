package dev.deliverycheck.tlc;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.event.Event;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Checks with TLC (a child JVM) that a Java run is a behaviour of its mode's TLA+ spec.
 *
 * <p>The run is exported by {@link TraceExporter} into a fresh temporary directory; TLC checks
 * the trace spec {@code tla/trace/Trace<Mode>.tla} breadth-first. Its property
 * {@code TraceIncomplete} fails exactly when some behaviour consumed the whole trace -- that
 * "violation" is acceptance. If TLC instead exhausts the behaviours, the depth of its search is
 * the position of the first event no behaviour explains (each step consumes one event).
 * Anything else (TLC could not parse the export, ran out of time) is an {@link IllegalStateException}
 * naming TLC's error, never a verdict.
 */
public final class TraceValidator {
    public static final String KEEP_PROPERTY = "deliverycheck.trace.keep";
    private static final String MODULE = "TraceRun";

    private final TlcRunner runner;
    private final TraceExporter.Protocol protocol;
    private final UnaryOperator<TraceFaults> budgets;

    public TraceValidator(Path tlaDir) {
        this(new TlcRunner(tlaDir), TraceExporter.Protocol.KAFKA_4, UnaryOperator.identity());
    }

    private TraceValidator(TlcRunner runner, TraceExporter.Protocol protocol, UnaryOperator<TraceFaults> budgets) {
        this.runner = runner;
        this.protocol = protocol;
        this.budgets = budgets;
    }

    /** The protocol variant the trace is checked against (default: Kafka 4, which deliverycheck implements). */
    public TraceValidator withProtocol(TraceExporter.Protocol p) {
        return new TraceValidator(runner, p, budgets);
    }

    /** Where TLC's progress lines go while a long trace is checked; null for none. */
    public TraceValidator withProgress(PrintStream progress) {
        return new TraceValidator(runner.withProgress(progress), protocol, budgets);
    }

    /**
     * Validates with the run's own fault budgets ({@link TraceFaults#of}) changed by {@code change}
     * -- for tests showing that a behaviour needing more faults than the run had is rejected.
     */
    public TraceValidator withFaultBudgets(UnaryOperator<TraceFaults> change) {
        return new TraceValidator(runner, protocol, change);
    }

    public TraceValidation validate(Mode mode, List<Event> events) {
        TraceExporter exporter = new TraceExporter(mode, protocol, budgets);
        Path dir = null;
        boolean keep = Boolean.getBoolean(KEEP_PROPERTY);
        try {
            dir = Files.createTempDirectory("deliverycheck-trace-");
            Path spec = dir.resolve(MODULE + ".tla");
            Path config = dir.resolve(MODULE + ".cfg");
            Files.writeString(spec, exporter.module(MODULE), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(TraceExporter.DATA_MODULE + ".tla"), exporter.dataModule(events),
                    StandardCharsets.UTF_8);
            Files.writeString(config, exporter.config(events), StandardCharsets.UTF_8);
            TlcResult r = runner.run(spec, config);
            if (r.outcome().equals(Outcome.violates("TraceIncomplete"))) {
                return new TraceValidation(true, events.size(), -1, null, r.seconds(), r.distinctStates());
            }
            if (r.outcome().kind() == Outcome.Kind.VIOLATES && exporter.safetyInvariants().contains(r.outcome().detail())
                    && !r.counterexample().isEmpty() && r.counterexample().size() <= events.size()) {
                // every step consumes one event: the last step's event led to the violating state
                int at = r.counterexample().size() - 1;
                return new TraceValidation(false, at, at, events.get(at), r.seconds(), r.distinctStates(),
                        r.outcome().detail());
            }
            if (r.outcome().equals(Outcome.holds()) && r.depth() >= 1 && r.depth() <= events.size()) {
                int first = r.depth() - 1;
                return new TraceValidation(false, first, first, events.get(first), r.seconds(), r.distinctStates());
            }
            keep = true;
            throw new IllegalStateException("TLC could not validate the " + mode.cliName() + " trace (kept in " + dir
                    + "): " + r.outcome() + (r.errorLines().isEmpty() ? "" : " " + r.errorLines()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace for TLC", e);
        } finally {
            if (dir != null && !keep) {
                deleteQuietly(dir);
            } else if (dir != null) {
                System.err.println("trace validation files kept in " + dir);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
