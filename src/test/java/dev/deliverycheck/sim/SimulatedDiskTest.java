package dev.deliverycheck.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.broker.storage.StorageContractTest;
import dev.deliverycheck.env.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedDiskTest extends StorageContractTest {
    @Override
    protected Storage newStorage() {
        return new SimulatedDisk();
    }

    @Test
    void crashDropsUnflushedBytesAndKeepsFlushedOnes() {
        SimulatedDisk disk = new SimulatedDisk();
        disk.append("f", bytes("durable"));
        disk.flush("f");
        disk.append("f", bytes("-volatile"));
        disk.append("g", bytes("never flushed"));
        assertThat(disk.readAll("f")).isEqualTo(bytes("durable-volatile"));
        assertThat(disk.durableSize("f")).isEqualTo(7);

        disk.crash();

        assertThat(disk.readAll("f")).isEqualTo(bytes("durable"));
        assertThat(disk.readAll("g")).isEmpty();
        assertThat(disk.bytesLostInCrashes()).isEqualTo(9 + 13);
        assertThat(disk.crashCount()).isEqualTo(1);
    }

    @Test
    void aCrashAfterFlushAllKeepsEveryFileItFlushedAndOnlyThose() {
        SimulatedDisk disk = new SimulatedDisk();
        disk.append("log/t-0/00.log", bytes("zero"));
        disk.append("log/t-1/00.log", bytes("one"));
        disk.append("log/t-1/10.log", bytes("ten"));
        disk.append("log/t-2/00.log", bytes("left out"));
        disk.flushAll(List.of("log/t-0/00.log", "log/t-1/00.log", "log/t-1/10.log"));
        disk.append("log/t-0/00.log", bytes("-after"));

        disk.crash();

        assertThat(disk.readAll("log/t-0/00.log")).isEqualTo(bytes("zero"));
        assertThat(disk.readAll("log/t-1/00.log")).isEqualTo(bytes("one"));
        assertThat(disk.readAll("log/t-1/10.log")).isEqualTo(bytes("ten"));
        assertThat(disk.readAll("log/t-2/00.log")).isEmpty();
        assertThat(disk.flushCount()).as("one flush per file, as flush() one by one").isEqualTo(3);
    }

    @Test
    void flushCountsOnlyFlushesThatMadeBytesDurable() {
        SimulatedDisk disk = new SimulatedDisk();
        disk.append("f", bytes("x"));
        disk.flush("f");
        disk.flush("f");
        assertThat(disk.flushCount()).isEqualTo(1);
    }

    @Test
    void tornCrashKeepsAPrefixOfTheUnflushedTailAndNothingElse() {
        boolean sawPartial = false;
        for (long seed = 0; seed < 50; seed++) {
            SimulatedDisk disk = new SimulatedDisk(new SeededRandom(seed));
            disk.append("f", bytes("base|"));
            disk.flush("f");
            disk.append("f", bytes("0123456789"));
            disk.crash();
            byte[] after = disk.readAll("f");
            String s = new String(after);
            assertThat(s).startsWith("base|");
            assertThat("base|0123456789").startsWith(s);
            sawPartial |= s.length() > 5 && s.length() < 15;
            // what survived a crash is durable: a second crash keeps it
            disk.crash();
            assertThat(disk.readAll("f")).isEqualTo(after);
        }
        assertThat(sawPartial).as("some seed tears a write in the middle").isTrue();
    }

    @Test
    void tornCrashesAreDeterministicPerSeed() {
        assertThat(tornResult(42)).isEqualTo(tornResult(42));
        List<List<Long>> different = new ArrayList<>();
        for (long seed = 0; seed < 10; seed++) {
            different.add(tornResult(seed));
        }
        assertThat(different.stream().distinct().count()).isGreaterThan(1);
    }

    private static List<Long> tornResult(long seed) {
        SimulatedDisk disk = new SimulatedDisk(new SeededRandom(seed));
        List<Long> sizes = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            disk.append(name, new byte[100]);
        }
        disk.crash();
        for (String name : List.of("a", "b", "c")) {
            sizes.add(disk.size(name));
        }
        return sizes;
    }

    @Test
    void truncateAndAtomicWritesAreDurableAtOnce() {
        SimulatedDisk disk = new SimulatedDisk();
        disk.append("f", bytes("0123456789"));
        disk.flush("f");
        disk.truncate("f", 3);
        disk.writeAtomically("snap", bytes("state"));
        disk.delete("gone");
        disk.crash();
        assertThat(disk.readAll("f")).isEqualTo(bytes("012"));
        assertThat(disk.readAll("snap")).isEqualTo(bytes("state"));
    }

    @Test
    void truncatingIntoTheVolatileTailKeepsTheRestVolatile() {
        SimulatedDisk disk = new SimulatedDisk();
        disk.append("f", bytes("0123"));
        disk.flush("f");
        disk.append("f", bytes("456789"));
        disk.truncate("f", 6);
        disk.crash();
        assertThat(disk.readAll("f")).isEqualTo(bytes("0123"));
    }

    @Test
    void corruptFlipsOneByte() {
        SimulatedDisk disk = new SimulatedDisk();
        disk.append("f", new byte[] {1, 2, 3});
        disk.corrupt("f", 1);
        assertThat(disk.readAll("f")).containsExactly(1, ~2, 3);
        assertThatThrownBy(() -> disk.corrupt("f", 3)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A file of many chunks: every byte reads back where it was written, across chunk edges, after cuts too. */
    @Test
    void aFileLargerThanAChunkReadsBackByteForByteAcrossChunkEdges() {
        SimulatedDisk disk = new SimulatedDisk();
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        SeededRandom random = new SeededRandom(7);
        int chunk = SimulatedDisk.CHUNK;
        while (expected.size() < 3 * chunk + 123) {
            byte[] piece = new byte[1 + random.nextInt(chunk / 3)];
            for (int i = 0; i < piece.length; i++) {
                piece[i] = (byte) (expected.size() + i);
            }
            disk.append("f", piece);
            expected.write(piece, 0, piece.length);
        }
        byte[] all = expected.toByteArray();
        assertThat(disk.size("f")).isEqualTo(all.length);
        assertThat(disk.readAll("f")).isEqualTo(all);
        assertThat(disk.read("f", chunk - 5, 10)).isEqualTo(java.util.Arrays.copyOfRange(all, chunk - 5, chunk + 5));
        assertThat(disk.read("f", 0, 2 * chunk + 1)).isEqualTo(java.util.Arrays.copyOfRange(all, 0, 2 * chunk + 1));

        disk.corrupt("f", chunk);
        assertThat(disk.read("f", chunk, 1)).containsExactly(~all[chunk]);
        disk.corrupt("f", chunk);

        disk.flush("f");
        disk.truncate("f", chunk + 1);
        disk.append("f", new byte[] {42});
        assertThat(disk.readAll("f")).hasSize(chunk + 2).startsWith(java.util.Arrays.copyOf(all, chunk + 1)).endsWith(42);
        disk.truncate("f", chunk);
        disk.append("f", new byte[] {7, 8});
        assertThat(disk.read("f", chunk - 1, 3)).containsExactly(all[chunk - 1], 7, 8);
        disk.crash();
        assertThat(disk.readAll("f")).isEqualTo(java.util.Arrays.copyOf(all, chunk));
    }
}
