package dev.deliverycheck.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SerializersTest {
    @Test
    void stringsAreUtf8() {
        assertThat(new StringSerializer().serialize("t", "kafka\u00e9")).isEqualTo("kafka\u00e9".getBytes(StandardCharsets.UTF_8));
        assertThat(new StringSerializer().serialize("t", "")).isEmpty();
    }

    @Test
    void integersAreFourBytesBigEndianLikeKafkas() {
        IntegerSerializer s = new IntegerSerializer();
        assertThat(s.serialize("t", 0x01020304)).containsExactly(1, 2, 3, 4);
        assertThat(s.serialize("t", -1)).containsExactly(-1, -1, -1, -1);
        assertThat(s.serialize("t", 42)).isEqualTo(new org.apache.kafka.common.serialization.IntegerSerializer().serialize("t", 42));
    }

    @Test
    void longsAreEightBytesBigEndianLikeKafkas() {
        LongSerializer s = new LongSerializer();
        assertThat(s.serialize("t", 0x0102030405060708L)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        for (long v : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 123456789012L}) {
            assertThat(s.serialize("t", v)).isEqualTo(new org.apache.kafka.common.serialization.LongSerializer().serialize("t", v));
        }
    }

    @Test
    void bytesPassThroughAndNullStaysNull() {
        byte[] b = {1, 2};
        assertThat(new ByteArraySerializer().serialize("t", b)).isSameAs(b);
        assertThat(new StringSerializer().serialize("t", null)).isNull();
        assertThat(new IntegerSerializer().serialize("t", null)).isNull();
        assertThat(new LongSerializer().serialize("t", null)).isNull();
        assertThat(new ByteArraySerializer().serialize("t", null)).isNull();
    }
}
