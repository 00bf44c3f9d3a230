package dev.deliverycheck.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class CsvTableTest {
    @Test
    void writesAHeaderAndRowsWithNumbersInAnyLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            String csv = new CsvTable("name", "count", "ratio", "whole").row("sticky", 12L, 0.123456789, 3.0).render();
            assertThat(csv).isEqualTo("name,count,ratio,whole\nsticky,12,0.123457,3\n");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void quotesCellsWithCommasQuotesOrLineBreaks() {
        String csv = new CsvTable("a", "b").row("x,y", "say \"hi\"").render();
        assertThat(csv).isEqualTo("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n");
    }

    @Test
    void emptyCellsForNullAndNonFiniteNumbers() {
        assertThat(new CsvTable("a", "b").row(null, Double.NaN).render()).isEqualTo("a,b\n,\n");
    }

    @Test
    void aRowMustHaveTheHeadersWidth() {
        assertThatThrownBy(() -> new CsvTable("a", "b").row(1)).hasMessageContaining("1 cells, header has 2");
    }
}
