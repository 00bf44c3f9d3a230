package dev.deliverycheck.broker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorageTest extends StorageContractTest {
    @TempDir
    Path dir;

    @Override
    protected Storage newStorage() {
        return new FileStorage(dir);
    }

    @AfterEach
    void close() {
        ((FileStorage) storage).close();
    }

    @Test
    void namesAreFilesBelowTheRootAndSurviveReopening() throws IOException {
        storage.append("log/t-0/00.log", bytes("abc"));
        storage.flush("log/t-0/00.log");
        assertThat(Files.readAllBytes(dir.resolve("log/t-0/00.log"))).isEqualTo(bytes("abc"));
        ((FileStorage) storage).close();
        FileStorage reopened = new FileStorage(dir);
        assertThat(reopened.readAll("log/t-0/00.log")).isEqualTo(bytes("abc"));
        reopened.append("log/t-0/00.log", bytes("d"));
        assertThat(reopened.readAll("log/t-0/00.log")).isEqualTo(bytes("abcd"));
        reopened.close();
    }

    @Test
    void flushAllOfManyNewFilesLeavesThemOnDiskWithTheirContent() throws IOException {
        List<String> names = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            String name = "log/t-" + p + "/00.log";
            storage.append(name, bytes("partition " + p));
            names.add(name);
        }
        storage.flushAll(names);
        ((FileStorage) storage).close();
        for (int p = 0; p < 20; p++) {
            assertThat(Files.readAllBytes(dir.resolve("log/t-" + p + "/00.log"))).isEqualTo(bytes("partition " + p));
        }
    }

    @Test
    void aFailedFsyncOfOneFileOfFlushAllIsAStorageExceptionAndStaysDue() throws IOException {
        storage.append("log/ok-0/00.log", bytes("fine"));
        storage.append("log/gone-0/00.log", bytes("lost"));
        // The new file's directory vanishes before its entry was made durable: that fsync must fail.
        Files.delete(dir.resolve("log/gone-0/00.log"));
        Files.delete(dir.resolve("log/gone-0"));

        assertThatThrownBy(() -> storage.flushAll(List.of("log/ok-0/00.log", "log/gone-0/00.log")))
                .isInstanceOf(StorageException.class).hasMessageContaining("log/gone-0/00.log");
        assertThatThrownBy(() -> storage.flushAll(List.of("log/gone-0/00.log")))
                .as("a failed directory fsync is not forgotten").isInstanceOf(StorageException.class);
        assertThat(Files.readAllBytes(dir.resolve("log/ok-0/00.log"))).isEqualTo(bytes("fine"));
    }

    @Test
    void leftoverTempFilesOfAnInterruptedAtomicWriteAreInvisible() throws IOException {
        storage.writeAtomically("snap/x", bytes("good"));
        Files.write(dir.resolve("snap/x~tmp"), bytes("half-writ"));
        assertThat(storage.list("snap/")).containsExactly("snap/x");
        assertThat(storage.readAll("snap/x")).isEqualTo(bytes("good"));
        storage.writeAtomically("snap/x", bytes("better"));
        assertThat(storage.readAll("snap/x")).isEqualTo(bytes("better"));
    }
}
