package dev.deliverycheck.tlc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks manifest models with TLC and, in record mode, writes their state counts back into the
 * manifest. Recording happens only for models whose outcome matched its expectation, so a wrong
 * model never overwrites the oracle. Positive models run with TLC's coverage, which the
 * {@link CoverageGate} reads.
 */
public final class ModelSuite {
    private final ModelManifest manifest;
    private final TlcRunner runner;

    public ModelSuite(ModelManifest manifest, TlcRunner runner) {
        this.manifest = manifest;
        this.runner = runner;
    }

    /** Recorded state counts below this start TLC for a short run ({@link TlcRunner#jvmFlags}). */
    static final long QUICK_START_STATES = 12_000;

    /**
     * Runs one model. A liveness model (its config lists PROPERTIES) runs without coverage: the
     * coverage gate is the safety models' business, and TLC's verdict on a temporal property is
     * named by the one property its config lists ({@link TlcConfig#nameTemporalViolation}).
     */
    public ModelCheck check(ModelManifest.Entry entry) {
        TlcConfig config = TlcConfig.read(manifest.configOf(entry));
        boolean positive = entry.expectation().equals(Outcome.holds()) && !config.checksLiveness();
        boolean small = entry.distinctStates() != null && entry.distinctStates() < QUICK_START_STATES;
        return ModelCheck.of(entry, config.nameTemporalViolation(runner.withCoverage(positive).withQuickStart(small)
                .run(manifest.specOf(entry), manifest.configOf(entry))));
    }

    /**
     * The coverage gate over the positive safety models among {@code checks} (liveness models run
     * without coverage); meaningful only when every positive model of the manifest was checked.
     */
    public CoverageGate.Report coverage(List<ModelCheck> checks) {
        Map<String, List<Coverage>> bySpec = new LinkedHashMap<>();
        for (ModelCheck c : checks) {
            ModelManifest.Entry e = manifest.find(c.name()).orElseThrow();
            if (e.expectation().equals(Outcome.holds()) && !TlcConfig.read(manifest.configOf(e)).checksLiveness()) {
                bySpec.computeIfAbsent(guaranteeOf(e), k -> new ArrayList<>()).add(c.coverage());
            }
        }
        return new CoverageGate(new ModuleSources(manifest.directory()), manifest.unreachable()).evaluate(bySpec);
    }

    /** True iff every positive model of the manifest is among {@code checks}. */
    public boolean coversEveryPositiveModel(List<ModelCheck> checks) {
        return manifest.entries().stream().filter(e -> e.expectation().equals(Outcome.holds()))
                .allMatch(e -> checks.stream().anyMatch(c -> c.name().equals(e.name())));
    }

    private static final Pattern EXTENDS = Pattern.compile("(?m)^EXTENDS\\s+([A-Za-z_][A-Za-z0-9_]*)");

    /**
     * The spec a model checks: the first module its spec EXTENDS that is a file next to it
     * (MCExactlyOnceLate: ExactlyOnce), else the model's own module (a standard module like
     * Naturals is no spec of ours).
     */
    String guaranteeOf(ModelManifest.Entry e) {
        try {
            Matcher m = EXTENDS.matcher(Files.readString(manifest.specOf(e)));
            if (m.find() && Files.isRegularFile(manifest.specOf(e).resolveSibling(m.group(1) + ".tla"))) {
                return m.group(1);
            }
            return e.spec().replaceFirst("\\.tla$", "");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The manifest with the state counts and times of the matching checks written in. */
    public ModelManifest recorded(List<ModelCheck> checks) {
        ModelManifest m = manifest;
        for (ModelCheck c : checks) {
            if (c.ok()) {
                m = m.with(m.find(c.name()).orElseThrow().recorded(c.distinctStates(), c.seconds()));
            }
        }
        return m;
    }
}
