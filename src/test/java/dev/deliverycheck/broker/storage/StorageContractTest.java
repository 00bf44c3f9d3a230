package dev.deliverycheck.broker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link Storage} contract every implementation must keep; subclasses supply the implementation. */
public abstract class StorageContractTest {
    protected Storage storage;

    protected abstract Storage newStorage();

    @BeforeEach
    void setUp() {
        storage = newStorage();
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appendCreatesAndExtendsAFile() {
        assertThat(storage.exists("a/x.log")).isFalse();
        assertThat(storage.size("a/x.log")).isZero();
        storage.append("a/x.log", bytes("hello "));
        storage.append("a/x.log", bytes("world"));
        assertThat(storage.exists("a/x.log")).isTrue();
        assertThat(storage.size("a/x.log")).isEqualTo(11);
        assertThat(new String(storage.readAll("a/x.log"), StandardCharsets.UTF_8)).isEqualTo("hello world");
    }

    @Test
    void appendOfARangeWritesExactlyThoseBytesAndKeepsNoReferenceToTheBuffer() {
        byte[] buffer = new byte[70_000]; // beyond one chunk of the simulated disk
        for (int i = 0; i < buffer.length; i++) {
            buffer[i] = (byte) i;
        }
        byte[] expected = new byte[2 + 69_990];
        expected[0] = 'a';
        expected[1] = 'b';
        System.arraycopy(buffer, 3, expected, 2, 69_990);
        storage.append("r", bytes("ab"));
        storage.append("r", buffer, 3, 69_990);
        java.util.Arrays.fill(buffer, (byte) 0);
        assertThat(storage.readAll("r")).isEqualTo(expected);
        assertThatThrownBy(() -> storage.append("r", buffer, 69_999, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(storage.size("r")).isEqualTo(2 + 69_990);
    }

    @Test
    void readReturnsTheRangeClippedToTheEnd() {
        storage.append("f", bytes("0123456789"));
        assertThat(storage.read("f", 2, 3)).isEqualTo(bytes("234"));
        assertThat(storage.read("f", 8, 10)).isEqualTo(bytes("89"));
        assertThat(storage.read("f", 10, 5)).isEmpty();
        assertThat(storage.read("missing", 0, 5)).isEmpty();
        assertThat(storage.readAll("missing")).isEmpty();
    }

    @Test
    void listFiltersByPrefixAndSorts() {
        storage.append("log/b/2", bytes("x"));
        storage.append("log/a/1", bytes("x"));
        storage.append("snap/a/1", bytes("x"));
        storage.writeAtomically("log/a/0", bytes("y"));
        assertThat(storage.list("log/")).containsExactly("log/a/0", "log/a/1", "log/b/2");
        assertThat(storage.list("snap/")).containsExactly("snap/a/1");
        assertThat(storage.list("nothing/")).isEmpty();
    }

    @Test
    void truncateCutsAndDeleteRemoves() {
        storage.append("f", bytes("0123456789"));
        storage.truncate("f", 4);
        assertThat(storage.readAll("f")).isEqualTo(bytes("0123"));
        storage.truncate("f", 100);
        assertThat(storage.size("f")).isEqualTo(4);
        storage.append("f", bytes("ab"));
        assertThat(storage.readAll("f")).isEqualTo(bytes("0123ab"));
        storage.delete("f");
        assertThat(storage.exists("f")).isFalse();
        storage.delete("f");
        assertThat(storage.list("")).isEmpty();
    }

    @Test
    void writeAtomicallyReplacesTheWholeFile() {
        storage.writeAtomically("s/snap", bytes("first version"));
        storage.writeAtomically("s/snap", bytes("v2"));
        assertThat(storage.readAll("s/snap")).isEqualTo(bytes("v2"));
        storage.append("s/snap", bytes("+"));
        assertThat(storage.readAll("s/snap")).isEqualTo(bytes("v2+"));
    }

    @Test
    void flushAllLeavesEveryFileIntactAndSkipsMissingOnes() {
        storage.append("log/a-0/00.log", bytes("a0"));
        storage.append("log/a-1/00.log", bytes("a1"));
        storage.append("log/a-1/00.log", bytes("+"));
        storage.flushAll(List.of("log/a-0/00.log", "nothing", "log/a-1/00.log", "log/a-0/00.log"));
        storage.append("log/a-0/00.log", bytes("!"));
        assertThat(storage.readAll("log/a-0/00.log")).isEqualTo(bytes("a0!"));
        assertThat(storage.readAll("log/a-1/00.log")).isEqualTo(bytes("a1+"));
        assertThat(storage.exists("nothing")).isFalse();
        storage.flushAll(List.of());
    }

    @Test
    void flushOfAMissingFileIsANoOp() {
        storage.flush("nothing");
        assertThat(storage.exists("nothing")).isFalse();
    }

    @Test
    void invalidNamesAreRefused() {
        assertThatThrownBy(() -> storage.append("../escape", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.append("/abs", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.append("a//b", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.writeAtomically("a/b~tmp", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
