package dev.deliverycheck.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void roundTripsNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a\"b\\c\n");
        m.put("n", 42L);
        m.put("x", 1.5);
        m.put("ok", true);
        m.put("none", null);
        m.put("list", List.of(1L, "two", List.of()));
        m.put("empty", Map.of());
        assertThat(Json.parse(Json.write(m))).isEqualTo(m);
        assertThat(Json.parse(Json.writePretty(m))).isEqualTo(m);
    }

    @Test
    void keepsKeyOrder() {
        assertThat(Json.write(Json.parse("{\"b\":1,\"a\":2}"))).isEqualTo("{\"b\":1,\"a\":2}");
    }

    @Test
    void rejectsMalformedInputWithOneLineNamingThePosition() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).isInstanceOf(Json.ParseException.class)
                .hasMessageContaining("line 1, column 8").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> Json.parse("[1 2]")).isInstanceOf(Json.ParseException.class)
                .hasMessageContaining("expecting comma");
        assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("end-of-input");
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("line 1, column 4");
    }

    @Test
    void writesTheProjectsPrettyFormat() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("list", List.of(1L, "two"));
        m.put("empty", Map.of());
        m.put("none", List.of());
        m.put("x", 0.5);
        assertThat(Json.writePretty(m)).isEqualTo("{\n  \"list\": [\n    1,\n    \"two\"\n  ],\n  \"empty\": {},\n"
                + "  \"none\": [],\n  \"x\": 0.5\n}\n");
        assertThat(Json.write(m)).isEqualTo("{\"list\":[1,\"two\"],\"empty\":{},\"none\":[],\"x\":0.5}");
    }

    @Test
    void writesNonFiniteFiguresAsNull() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("big", 1.0e10);
        assertThat(Json.write(m)).isEqualTo("{\"nan\":null,\"inf\":null,\"big\":1.0E10}");
    }

    @Test
    void parsesUnicodeEscapesAndNegativeNumbers() {
        assertThat(Json.parse("[\"\\u00e9\", -3, -2.5e1]")).isEqualTo(List.of("é", -3L, -25.0));
    }
}
