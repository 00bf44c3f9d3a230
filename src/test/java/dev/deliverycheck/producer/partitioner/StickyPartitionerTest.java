package dev.deliverycheck.producer.partitioner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.producer.testkit.ScriptedRandom;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StickyPartitionerTest {
    @Test
    void keylessRecordsStayUntilANewBatchIsCreated() {
        StickyPartitioner p = new StickyPartitioner(new ScriptedRandom().ints(2, 2, 2, 0), false);
        assertThat(p.partition("t", null, 4)).isEqualTo(2);
        assertThat(p.partition("t", null, 4)).isEqualTo(2);
        p.onNewBatch("t", 2, 4);
        // the draw 2 equals the old partition and is drawn again: a new batch always moves on
        assertThat(p.partition("t", null, 4)).isZero();
        assertThat(p.partition("t", null, 4)).isZero();
    }

    @Test
    void aNewBatchOnAnotherPartitionDoesNotMoveTheStickyOne() {
        StickyPartitioner p = new StickyPartitioner(new ScriptedRandom().ints(1, 3), false);
        assertThat(p.partition("t", null, 4)).isEqualTo(1);
        p.onNewBatch("t", 0, 4);
        assertThat(p.currentPartition("t")).isEqualTo(1);
        p.onNewBatch("t", 1, 4);
        assertThat(p.currentPartition("t")).isEqualTo(3);
    }

    @Test
    void singlePartitionStays() {
        StickyPartitioner p = new StickyPartitioner(new ScriptedRandom(), false);
        assertThat(p.partition("t", null, 1)).isZero();
        p.onNewBatch("t", 0, 1);
        assertThat(p.partition("t", null, 1)).isZero();
    }

    @Test
    void keysAreHashedUnlessIgnored() {
        byte[] key = "kafka".getBytes(StandardCharsets.UTF_8);
        assertThat(new StickyPartitioner(new ScriptedRandom().ints(0), false).partition("t", key, 6)).isEqualTo(4);
        assertThat(new StickyPartitioner(new ScriptedRandom().ints(0), true).partition("t", key, 6)).isZero();
        assertThat(new StickyPartitioner(new ScriptedRandom(), false).wantsNewBatchNotice()).isTrue();
    }
}
