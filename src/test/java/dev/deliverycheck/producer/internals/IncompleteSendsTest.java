package dev.deliverycheck.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The incomplete-send window answers exactly as a sorted set of the incomplete send numbers would. */
class IncompleteSendsTest {
    @Test
    void agreesWithASortedSetUnderRandomCompletionOrders() {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            IncompleteSends window = new IncompleteSends();
            TreeSet<Long> model = new TreeSet<>();
            List<Long> open = new ArrayList<>();
            long next = 0;
            for (int step = 0; step < 5_000; step++) {
                if (open.isEmpty() || random.nextInt(100) < 52) {
                    window.add(next);
                    model.add(next);
                    open.add(next++);
                } else {
                    // mostly oldest first, sometimes any: completions come out of order across partitions
                    int i = random.nextInt(4) == 0 ? random.nextInt(open.size()) : 0;
                    long n = open.remove(i);
                    assertThat(window.remove(n)).isTrue();
                    model.remove(n);
                }
                assertThat(window.size()).isEqualTo(model.size());
                assertThat(window.isEmpty()).isEqualTo(model.isEmpty());
                if (!model.isEmpty()) {
                    assertThat(window.first()).as("seed %d step %d", seed, step).isEqualTo(model.first());
                }
            }
        }
    }

    @Test
    void removingTwiceOrSomethingNeverAddedChangesNothing() {
        IncompleteSends window = new IncompleteSends();
        window.add(0);
        window.add(1);
        assertThat(window.remove(1)).isTrue();
        assertThat(window.remove(1)).isFalse();
        assertThat(window.remove(7)).isFalse();
        assertThat(window.size()).isEqualTo(1);
        assertThat(window.first()).isZero();
        assertThat(window.remove(0)).isTrue();
        assertThat(window.isEmpty()).isTrue();
        assertThatThrownBy(window::first).isInstanceOf(java.util.NoSuchElementException.class);
        assertThatThrownBy(() -> window.add(5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memoryFollowsTheOpenSpanNotEverythingEverSent() {
        IncompleteSends window = new IncompleteSends();
        List<Long> order = new ArrayList<>();
        for (long n = 0; n < 1_000_000; n++) {
            window.add(n);
            order.add(n);
            if (order.size() == 100) {
                Collections.reverse(order);
                for (long m : order) {
                    window.remove(m);
                }
                order.clear();
            }
        }
        assertThat(window.isEmpty()).isTrue();
        assertThat(window.wordsHeld()).as("a million sends, at most 100 open at once").isLessThanOrEqualTo(16);
    }
}
