package dev.deliverycheck.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BufferPoolTest {
    @Test
    void allocatesAllOrNothingAndNeverExceedsTotal() {
        BufferPool pool = new BufferPool(1000, 100);
        assertThat(pool.tryAllocate(600)).isTrue();
        assertThat(pool.availableMemory()).isEqualTo(400);
        assertThat(pool.tryAllocate(500)).isFalse();
        assertThat(pool.availableMemory()).isEqualTo(400);
        assertThat(pool.tryAllocate(400)).isTrue();
        assertThat(pool.tryAllocate(1)).isFalse();
        pool.deallocate(600);
        assertThat(pool.availableMemory()).isEqualTo(600);
        assertThat(pool.totalMemory()).isEqualTo(1000);
        assertThat(pool.poolableSize()).isEqualTo(100);
    }

    @Test
    void returningMoreThanWasTakenIsABug() {
        BufferPool pool = new BufferPool(1000, 100);
        assertThatThrownBy(() -> pool.deallocate(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("buffer.memory=1000");
        assertThatThrownBy(() -> pool.tryAllocate(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
