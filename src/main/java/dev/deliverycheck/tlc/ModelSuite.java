package dev.deliverycheck.tlc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Checks manifest models with TLC and, in record mode, writes their state counts back into the
 * manifest. Recording happens only for models whose outcome matched its expectation, so a wrong
 * model never overwrites the oracle.
 */
public final class ModelSuite {
    private final ModelManifest manifest;
    private final TlcRunner runner;

    public ModelSuite(ModelManifest manifest, TlcRunner runner) {
        this.manifest = manifest;
        this.runner = runner;
    }

    public ModelCheck check(ModelManifest.Entry entry) {
        return ModelCheck.of(entry, runner.run(manifest.specOf(entry), manifest.configOf(entry)));
    }

    /** Checks the entries in order, reporting each verdict as soon as it is known. */
    public List<ModelCheck> checkAll(List<ModelManifest.Entry> entries, Consumer<ModelCheck> onEach) {
        List<ModelCheck> checks = new ArrayList<>();
        for (ModelManifest.Entry e : entries) {
            ModelCheck c = check(e);
            onEach.accept(c);
            checks.add(c);
        }
        return checks;
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
