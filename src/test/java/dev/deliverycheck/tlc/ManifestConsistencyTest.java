package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real {@code tla/models.json} against DESIGN.md's outcome matrix, the configs it points
 * at and the table in {@code spec/tla-models.md}. No TLC runs here (model-tests run them).
 */
class ManifestConsistencyTest {
    private static final Path ROOT = ProjectRoot.locate();
    private static final ModelManifest MANIFEST = ModelManifest.read(ProjectRoot.tlaDir(ROOT).resolve("models.json"));

    /** DESIGN.md's matrix: per spec module, the invariants that hold and those that are violated. */
    private static final Map<String, List<Set<String>>> MATRIX = Map.of(
            "AtMostOnce", List.of(Set.of("NoDuplicate", "AckedDurable", "PartitionOrder"), Set.of("NoLoss")),
            "AtLeastOnce", List.of(Set.of("NoLoss", "AckedDurable"), Set.of("NoDuplicate", "PartitionOrder")),
            "Idempotent", List.of(Set.of("NoDuplicate", "NoLoss", "AckedDurable", "PartitionOrder"), Set.of()),
            "ExactlyOnce", List.of(Set.of("NoDuplicate", "NoLoss", "AckedDurable", "PartitionOrder", "AtomicCommit",
                    "ZombieFenced"), Set.of()));

    /** What a model's config checks: its invariants and (a liveness model) its temporal properties. */
    static Set<String> invariantsOf(ModelManifest.Entry e) throws IOException {
        TlcConfig config = TlcConfig.read(MANIFEST.configOf(e));
        Set<String> names = new LinkedHashSet<>(config.invariants());
        names.addAll(config.properties());
        return names;
    }

    /** The guarantee module a model checks: its spec EXTENDS chain leads to one of the four. */
    static String guaranteeOf(ModelManifest.Entry e) throws IOException {
        Path spec = MANIFEST.specOf(e);
        for (int depth = 0; depth < 5; depth++) {
            String text = Files.readString(spec);
            String extended = text.lines().filter(l -> l.startsWith("EXTENDS")).findFirst().orElseThrow()
                    .replace("EXTENDS", "").split(",")[0].strip();
            if (MATRIX.containsKey(extended)) {
                return extended;
            }
            spec = spec.resolveSibling(extended + ".tla");
        }
        throw new AssertionError("no guarantee module behind " + e.spec());
    }

    @Test
    void everyHoldsCellOfTheMatrixIsCheckedByAPositiveModel() throws IOException {
        for (var cell : MATRIX.entrySet()) {
            Set<String> checked = new HashSet<>();
            for (ModelManifest.Entry e : MANIFEST.entries()) {
                if (e.expected().equals("holds") && guaranteeOf(e).equals(cell.getKey())) {
                    checked.addAll(invariantsOf(e));
                }
            }
            assertThat(checked).as("invariants proved for %s", cell.getKey()).containsAll(cell.getValue().get(0))
                    .contains("TypeOK");
        }
    }

    @Test
    void everyViolatedCellOfTheMatrixHasANegativeModel() throws IOException {
        for (var cell : MATRIX.entrySet()) {
            for (String inv : cell.getValue().get(1)) {
                boolean found = false;
                for (ModelManifest.Entry e : MANIFEST.entries()) {
                    found |= e.expected().equals("violates " + inv) && guaranteeOf(e).equals(cell.getKey());
                }
                assertThat(found).as("negative model for %s / %s", cell.getKey(), inv).isTrue();
            }
        }
    }

    @Test
    void everySpecHasAReachabilityCheckAndTheFourKnownBadVariantsAreThere() throws IOException {
        for (String spec : MATRIX.keySet()) {
            boolean reach = false;
            for (ModelManifest.Entry e : MANIFEST.entries()) {
                reach |= e.expected().startsWith("violates Reach") && guaranteeOf(e).equals(spec);
            }
            assertThat(reach).as("reachability test invariant for %s", spec).isTrue();
        }
        assertThat(MANIFEST.find("MCIdempotentNoRecovery").orElseThrow().expected()).isEqualTo("violates NoDuplicate");
        assertThat(MANIFEST.find("MCIdempotentSmallWindow").orElseThrow().expected()).isEqualTo("violates NoDuplicate");
        assertThat(MANIFEST.find("MCExactlyOnceNoFencing").orElseThrow().expected()).isEqualTo("violates ZombieFenced");
        assertThat(MANIFEST.find("MCExactlyOnceNoKip890").orElseThrow().expected()).isEqualTo("violates AtomicCommit");
    }

    @Test
    void aNegativeModelChecksOnlyThePropertyItMustViolate() throws IOException {
        for (ModelManifest.Entry e : MANIFEST.entries()) {
            Outcome expected = e.expectation();
            if (expected.kind() == Outcome.Kind.VIOLATES) {
                assertThat(invariantsOf(e)).as(e.name()).containsExactly(expected.detail());
            }
        }
    }

    /** A test invariant no model checks proves nothing: each Reach* definition is some model's property. */
    @Test
    void everyTestInvariantIsCheckedByAModel() throws IOException {
        Set<String> checked = new HashSet<>();
        for (ModelManifest.Entry e : MANIFEST.entries()) {
            checked.addAll(invariantsOf(e));
        }
        java.util.regex.Pattern reach = java.util.regex.Pattern.compile("(?m)^(Reach[A-Za-z0-9_]*)\\s*==");
        Set<String> defined = new HashSet<>();
        try (Stream<Path> files = Files.list(ProjectRoot.tlaDir(ROOT))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".tla")).toList()) {
                java.util.regex.Matcher m = reach.matcher(Files.readString(f));
                while (m.find()) {
                    defined.add(m.group(1));
                }
            }
        }
        assertThat(defined).isNotEmpty();
        assertThat(checked).as("test invariants checked by a model").containsAll(defined);
    }

    @Test
    void everyConfigInTlaIsAManifestModel() throws IOException {
        Set<String> listed = MANIFEST.entries().stream().map(ModelManifest.Entry::config).collect(Collectors.toSet());
        // the deep tier (check-models --tier deep) lists its own models: Kafka's real constants, and models too slow
        // for the default tier
        ModelManifest.read(ProjectRoot.tlaDir(ROOT).resolve("models-deep.json")).entries()
                .forEach(e -> assertThat(listed.add(e.config())).as("%s is in one manifest only", e.config()).isTrue());
        try (Stream<Path> files = Files.list(ProjectRoot.tlaDir(ROOT))) {
            List<String> configs = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cfg")).toList();
            assertThat(listed).containsExactlyInAnyOrderElementsOf(configs);
        }
    }

    /** Issue 15's floor: the default tier (what mvn -B verify checks) has at least 500,000 distinct states in all. */
    @Test
    void theDefaultTierKeepsAtLeastHalfAMillionStates() {
        long total = MANIFEST.entries().stream().map(ModelManifest.Entry::distinctStates)
                .filter(java.util.Objects::nonNull).mapToLong(Number::longValue).sum();
        assertThat(total).as("distinct states recorded in tla/models.json").isGreaterThanOrEqualTo(500_000);
    }

    @Test
    void everyPositiveModelHasARecordedStateCount() {
        for (ModelManifest.Entry e : MANIFEST.entries()) {
            if (e.expected().equals("holds")) {
                assertThat(e.distinctStates()).as(e.name() + " (run check-models --record)").isNotNull().isPositive();
            }
        }
    }

    @Test
    void theDocumentsTableIsTheManifest() throws IOException {
        String doc = Files.readString(ROOT.resolve("spec").resolve("tla-models.md"));
        assertThat(ModelsTable.extract(doc))
                .as("spec/tla-models.md's table; replace it with the expected text")
                .isEqualTo(ModelsTable.markdown(MANIFEST));
    }
}
