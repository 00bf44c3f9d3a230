package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad {@code broker} arguments: one error line naming the problem, exit 2, nothing started or stored. */
class BrokerCommandTest {
    @TempDir
    Path dir;

    private static CliRunner.Result assertUsageError(String contains, String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).contains(contains).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).doesNotContain("port=");
        return r;
    }

    @Test
    void badNumbersAreRefused() {
        String data = dir.resolve("d").toString();
        assertUsageError("--port must be 0..65535", "broker", "--port", "70000", "--data", data);
        assertUsageError("--port must be 0..65535", "broker", "--port", "-1", "--data", data);
        assertUsageError("--port", "broker", "--port", "abc", "--data", data);
        assertUsageError("--partitions must be 1..10000", "broker", "--port", "0", "--data", data, "--partitions", "0");
        assertUsageError("--transaction-version must be 1 or 2", "broker", "--port", "0", "--data", data,
                "--transaction-version", "3");
        assertThat(Files.exists(dir.resolve("d"))).as("nothing created for refused arguments").isFalse();
    }

    @Test
    void missingOptionsAreRefused() {
        assertUsageError("--data", "broker", "--port", "0");
        assertUsageError("--port", "broker", "--data", dir.toString());
    }

    @Test
    void anUnknownVariantIsRefusedWithTheValidNames() {
        assertUsageError("valid: no-recovery, window-1, no-fencing, no-kip890", "broker", "--port", "0", "--data",
                dir.toString(), "--variant", "fast");
    }

    /** Under transaction version 2 the leader's KIP-890 check is how a partition joins a transaction (WireLateProduceTest). */
    @Test
    void noKip890UnderTransactionVersion2IsRefused() {
        assertUsageError("--variant no-kip890 needs --transaction-version 1", "broker", "--port", "0", "--data",
                dir.resolve("d").toString(), "--variant", "no-kip890");
        assertThat(Files.exists(dir.resolve("d"))).as("nothing created for refused arguments").isFalse();
    }

    @Test
    void dataThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertUsageError("--data is not a directory", "broker", "--port", "0", "--data", file.toString());
        assertThat(Files.readString(file)).isEqualTo("x");
        Path behind = file.resolve("data");
        CliRunner.Result r = assertUsageError("cannot create --data directory", "broker", "--port", "0", "--data",
                behind.toString());
        assertThat(r.err().strip()).isEqualTo("deliverycheck: cannot create --data directory " + behind + ": Not a directory");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void aPortInUseIsRefused() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertUsageError("cannot listen on 127.0.0.1:" + taken.getLocalPort(), "broker", "--port",
                    Integer.toString(taken.getLocalPort()), "--data", dir.resolve("d").toString());
        }
    }
}
