package dev.deliverycheck.wire.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The expected column follows from the producer settings as Kafka resolves them. */
class ProducerSettingsTest {
    @TempDir
    Path dir;

    private Mode modeOf(String properties) throws Exception {
        return ProducerSettings.fromFile(Files.writeString(dir.resolve("p.properties"), properties)).mode();
    }

    @Test
    void everyPresetMeansItsOwnMode() {
        for (Mode mode : Mode.values()) {
            assertThat(ProducerSettings.preset(mode).mode()).isEqualTo(mode);
        }
    }

    @Test
    void kafkaDefaultsAreIdempotentAndConflictsTurnIdempotenceOffImplicitly() throws Exception {
        assertThat(modeOf("")).isEqualTo(Mode.IDEMPOTENT);
        assertThat(modeOf("acks=1\n")).isEqualTo(Mode.AT_LEAST_ONCE);
        assertThat(modeOf("acks=1\nretries=0\n")).isEqualTo(Mode.AT_MOST_ONCE);
        assertThat(modeOf("enable.idempotence=false\n")).isEqualTo(Mode.AT_LEAST_ONCE);
        assertThat(modeOf("transactional.id=app\n")).isEqualTo(Mode.EXACTLY_ONCE);
    }
}
