package dev.deliverycheck.check;

import static dev.deliverycheck.check.Events.RC;
import static dev.deliverycheck.check.Events.RU;
import static dev.deliverycheck.check.Events.T0;
import static dev.deliverycheck.check.Events.T1;
import static dev.deliverycheck.check.Events.fetch;
import static dev.deliverycheck.check.Events.fetchAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.event.ConsumerFetch;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewTest {

    @Test
    void aFetchedViewIndexesItsRecords() {
        View view = View.of(fetchAt(T0, RU, 10, 2, 5, 6, 5, 7, 5));

        assertThat(view.fetched()).isTrue();
        assertThat(view.topicPartition()).isEqualTo(T0);
        assertThat(view.isolation()).isEqualTo(RU);
        assertThat(view.size()).isEqualTo(5);
        assertThat(view.recordIdAt(1)).isEqualTo(6);
        assertThat(view.offsetAt(1)).isEqualTo(12);
        assertThat(view.contains(7)).isTrue();
        assertThat(view.contains(8)).isFalse();
        assertThat(view.firstPositionOf(5)).isZero();
        assertThat(view.firstPositionOf(7)).isEqualTo(3);
        assertThat(view.firstPositionOf(8)).isEqualTo(-1);
        assertThat(view.firstOffsetOf(5)).isEqualTo(10);
        assertThat(view.firstOffsetOf(7)).isEqualTo(16);
        assertThat(view.firstOffsetOf(8)).isEqualTo(-1);
        assertThat(view.repeatPositions()).containsExactly(2, 4);
        assertThat(view.describe()).isEqualTo("the read_uncommitted view of t-0");
    }

    @Test
    void repeatPositionsAreAvailableBeforeAnyLookup() {
        assertThat(View.of(fetch(T0, RC, 1, 1)).repeatPositions()).containsExactly(1);
        assertThat(View.of(fetch(T0, RC, 1, 2)).repeatPositions()).isEmpty();
    }

    @Test
    void anUnfetchedViewIsEmptyAndSaysSo() {
        View view = View.unfetched(T1, RC);

        assertThat(view.fetched()).isFalse();
        assertThat(view.size()).isZero();
        assertThat(view.contains(1)).isFalse();
        assertThat(view.repeatPositions()).isEmpty();
        assertThat(view.describe()).isEqualTo("the read_committed view of t-1 (never fetched)");
    }

    @Test
    void offsetsAndIdsMustPairUp() {
        ConsumerFetch bad = new ConsumerFetch(T0, RU, List.of(0L), List.of(1L, 2L));

        assertThatThrownBy(() -> View.of(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ConsumerFetch of t-0 has 1 offsets for 2 record ids");
    }

    @Test
    void isolationNamesAreKafkasConfigValuesInAnyLocale() {
        java.util.Locale saved = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            assertThat(View.nameOf(RU)).isEqualTo("read_uncommitted");
            assertThat(View.nameOf(RC)).isEqualTo("read_committed");
        } finally {
            java.util.Locale.setDefault(saved);
        }
    }
}
