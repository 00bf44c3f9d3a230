package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManifestTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void writeSpec() throws Exception {
        TinySpecs.write(dir);
        file = dir.resolve("models.json");
    }

    private ModelManifest manifest(String models) throws Exception {
        Files.writeString(file, "{\"models\": [" + models + "]}");
        return ModelManifest.read(file);
    }

    private static String model(String name, String config, String expected, String extra) {
        return "{\"name\": \"" + name + "\", \"spec\": \"Counter.tla\", \"config\": \"" + config
                + "\", \"expected\": \"" + expected + "\", \"distinctStates\": null" + extra + "}";
    }

    @Test
    void readsEntriesAndResolvesTheirFiles() throws Exception {
        ModelManifest m = manifest(model("A", "holds.cfg", "holds", "") + ","
                + model("B", "small.cfg", "violates Small", ", \"seconds\": 1.5").replace("null", "12"));
        assertThat(m.entries()).extracting(ModelManifest.Entry::name).containsExactly("A", "B");
        ModelManifest.Entry b = m.find("B").orElseThrow();
        assertThat(b.expectation()).isEqualTo(Outcome.violates("Small"));
        assertThat(b.distinctStates()).isEqualTo(12L);
        assertThat(b.seconds()).isEqualTo(1.5);
        assertThat(m.specOf(b)).isEqualTo(dir.resolve("Counter.tla").toAbsolutePath());
        assertThat(m.configOf(b).getFileName().toString()).isEqualTo("small.cfg");
        assertThat(m.find("C")).isEmpty();
    }

    @Test
    void recordingRewritesCountsAndKeepsEverythingElse() throws Exception {
        ModelManifest m = manifest(model("A", "holds.cfg", "holds", "") + "," + model("B", "small.cfg", "violates Small", ""));
        m.with(m.find("A").orElseThrow().recorded(4, 1.234)).write();
        ModelManifest again = ModelManifest.read(file);
        assertThat(again.find("A").orElseThrow().distinctStates()).isEqualTo(4L);
        assertThat(again.find("A").orElseThrow().seconds()).isEqualTo(1.2);
        assertThat(again.find("B").orElseThrow().distinctStates()).isNull();
        assertThat(again.toJson()).isEqualTo(Files.readString(file));
        assertThatThrownBy(() -> m.with(new ModelManifest.Entry("Z", "Counter.tla", "holds.cfg", "holds", null, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSchemaIsClosed() {
        assertThatThrownBy(() -> manifest(model("A", "holds.cfg", "holds", ", \"owner\": \"me\"")))
                .isInstanceOf(ModelManifest.ManifestException.class).hasMessageContaining("unknown key \"owner\"");
        assertThatThrownBy(() -> {
            Files.writeString(file, "{\"models\": [], \"extra\": 1}");
            ModelManifest.read(file);
        }).isInstanceOf(ModelManifest.ManifestException.class).hasMessageContaining("unknown key \"extra\"").hasMessageContaining("models.json");
    }

    @Test
    void anUnknownKeyInAModelNamesTheKeyTheModelAndTheFile() {
        assertThatThrownBy(() -> manifest(model("A", "holds.cfg", "holds", ", \"seconds\": 1.5, \"owner\": \"me\"")))
                .isInstanceOf(ModelManifest.ManifestException.class)
                .hasMessage(file + ": model A: unknown key \"owner\" (allowed: config, distinctStates, expected, name, "
                        + "seconds, spec)");
    }

    /** Every manifest of the project (models.json, and any models-*.json beside it) reads and writes back unchanged. */
    @Test
    void theProjectsManifestsRoundTripByteForByte() throws Exception {
        List<Path> manifests;
        try (var files = Files.list(Path.of("tla"))) {
            manifests = files.filter(f -> f.getFileName().toString().matches("models.*\\.json")).toList();
        }
        assertThat(manifests).contains(Path.of("tla", "models.json"));
        for (Path m : manifests) {
            assertThat(ModelManifest.read(m).toJson()).as(m.toString()).isEqualTo(Files.readString(m));
        }
    }

    @Test
    void readsAndWritesTheUnreachableList() throws Exception {
        String models = "{\"models\": [], \"unreachable\": [{\"id\": \"AtLeastOnce!NetworkDeliver\", "
                + "\"reason\": \"no error answers\"}]}";
        Files.writeString(file, models);
        ModelManifest m = ModelManifest.read(file);
        assertThat(m.unreachable()).containsExactly(
                new ModelManifest.Unreachable("AtLeastOnce!NetworkDeliver", "no error answers"));
        Files.writeString(file, m.toJson());
        assertThat(ModelManifest.read(file).unreachable()).isEqualTo(m.unreachable());
        for (String bad : List.of("{\"models\": [], \"unreachable\": {}}",
                "{\"models\": [], \"unreachable\": [{\"id\": \"A!B\"}]}",
                "{\"models\": [], \"unreachable\": [{\"id\": \"A!B\", \"reason\": \"\"}]}",
                "{\"models\": [], \"unreachable\": [{\"id\": \"A!B\", \"reason\": \"r\"}, "
                        + "{\"id\": \"A!B\", \"reason\": \"r\"}]}")) {
            Files.writeString(file, bad);
            assertThatThrownBy(() -> ModelManifest.read(file)).as(bad).isInstanceOf(ModelManifest.ManifestException.class)
                    .hasMessageContaining("unreachable");
        }
    }

    @Test
    void rejectsBadEntriesWithTheModelsName() {
        assertThatThrownBy(() -> manifest(model("A", "holds.cfg", "fails", "")))
                .hasMessageContaining("model A").hasMessageContaining("violates <Property>");
        assertThatThrownBy(() -> manifest(model("A", "holds.cfg", "holds", "") + "," + model("A", "small.cfg", "holds", "")))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> manifest(model("A", "nope.cfg", "holds", ""))).hasMessageContaining("missing");
        assertThatThrownBy(() -> manifest(model("A", "holds.cfg", "holds", "").replace(", \"distinctStates\": null", "")))
                .hasMessageContaining("distinctStates");
        assertThatThrownBy(() -> manifest(model("A", "holds.cfg", "holds", "").replace("null", "\"many\"")))
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> manifest(model("A-1", "holds.cfg", "holds", ""))).hasMessageContaining("identifier");
        assertThatThrownBy(() -> manifest("3")).hasMessageContaining("object");
    }

    @Test
    void anExpectedViolationMustBeOfAPropertyTheConfigChecks() throws Exception {
        assertThat(manifest(model("L", "unfair.cfg", "violates ReachesThree", "")).find("L")).isPresent();
        assertThatThrownBy(() -> manifest(model("L", "holds.cfg", "violates Small", "")))
                .isInstanceOf(ModelManifest.ManifestException.class)
                .hasMessageContaining("model L").hasMessageContaining("lists it under neither INVARIANTS nor PROPERTIES");
        assertThatThrownBy(() -> manifest(model("L", "twoProperties.cfg", "violates ReachesThree", "")))
                .isInstanceOf(ModelManifest.ManifestException.class)
                .hasMessageContaining("model L").hasMessageContaining("temporal property ReachesThree")
                .hasMessageContaining("list ReachesThree alone");
    }

    @Test
    void reportsUnreadableAndMalformedFiles() throws Exception {
        assertThatThrownBy(() -> ModelManifest.read(dir.resolve("absent.json")))
                .isInstanceOf(ModelManifest.ManifestException.class).hasMessageContaining("cannot read");
        Files.writeString(file, "{\"models\": [");
        assertThatThrownBy(() -> ModelManifest.read(file)).hasMessageContaining("not JSON");
    }
}
