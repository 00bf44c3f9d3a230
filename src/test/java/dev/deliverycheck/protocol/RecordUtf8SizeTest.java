package dev.deliverycheck.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Record sizes count header keys in UTF-8 bytes exactly as the encoder writes them, without encoding them. */
class RecordUtf8SizeTest {
    @Test
    void utf8LengthIsTheEncodedLengthForEveryKindOfChar() {
        for (String s : List.of("", "dc.id", "é", "€", "\uD83D\uDE00", "a\uD83D\uDE00b€é", "\uD83D", "x\uDE00y",
                "\uDE00\uD83D", "日本語キー")) {
            assertThat(Record.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void aRecordsSizeCountsItsHeaderKeysInUtf8() {
        Record plain = new Record(0, null, new byte[10], List.of(new Header("k", new byte[2])));
        Record wide = new Record(0, null, new byte[10], List.of(new Header("€", new byte[2])));
        assertThat(wide.sizeInBytes() - plain.sizeInBytes()).isEqualTo(2);
        assertThat(plain.sizeInBytes()).isEqualTo(8 + 4 + 4 + 4 + 10 + 4 + 4 + 1 + 2);
    }
}
