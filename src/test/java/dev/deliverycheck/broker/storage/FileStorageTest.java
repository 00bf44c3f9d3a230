package dev.deliverycheck.broker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void leftoverTempFilesOfAnInterruptedAtomicWriteAreInvisible() throws IOException {
        storage.writeAtomically("snap/x", bytes("good"));
        Files.write(dir.resolve("snap/x~tmp"), bytes("half-writ"));
        assertThat(storage.list("snap/")).containsExactly("snap/x");
        assertThat(storage.readAll("snap/x")).isEqualTo(bytes("good"));
        storage.writeAtomically("snap/x", bytes("better"));
        assertThat(storage.readAll("snap/x")).isEqualTo(bytes("better"));
    }
}
