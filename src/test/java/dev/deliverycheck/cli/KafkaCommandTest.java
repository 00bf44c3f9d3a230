package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deliverycheck kafka} on bad input: one error line, exit 2 (3 when the broker dies), no hang. */
class KafkaCommandTest {
    @TempDir
    Path dir;

    private static void assertOneLineError(CliRunner.Result r, int code, String containing) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(code);
        assertThat(r.err().lines().filter(l -> l.startsWith("deliverycheck:")).toList()).singleElement()
                .satisfies(l -> assertThat(l).contains(containing));
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("SLF4J");
    }

    @Test
    void anUnknownTargetIsAUsageError() {
        assertOneLineError(CliRunner.run("kafka", "--mode", "idempotent", "--target", "nonsense"), 2,
                "--target must be apache, ours, or one broker's HOST:PORT");
        assertOneLineError(CliRunner.run("kafka", "--mode", "idempotent", "--target", "127.0.0.1:99999"), 2,
                "port must be a number from 1 to 65535");
    }

    @Test
    void anUnknownClientOrSettingsOurProducerCannotTakeAreUsageErrors() throws Exception {
        assertOneLineError(CliRunner.run("kafka", "--mode", "idempotent", "--client", "librdkafka"), 2,
                "--client must be real or ours");
        Path gzip = Files.writeString(dir.resolve("gzip.properties"), "compression.type=gzip\n");
        assertOneLineError(CliRunner.run("kafka", "--client", "ours", "--producer-config", gzip.toString()), 2,
                "deliverycheck's producer cannot take");
    }

    @Test
    void ourClientRunsAgainstAWireBrokerAtHostPort() throws Exception {
        try (dev.deliverycheck.wire.WireBroker broker = new dev.deliverycheck.wire.WireBroker(
                new dev.deliverycheck.sim.SimulatedDisk(), dev.deliverycheck.broker.BrokerConfig.DEFAULT, 1, 1,
                dev.deliverycheck.env.EventSink.NONE);
             dev.deliverycheck.wire.WireServer server = new dev.deliverycheck.wire.WireServer(broker, 0)) {
            CliRunner.Result r = CompletableFuture.supplyAsync(() -> CliRunner.run("kafka", "--client", "ours", "--target",
                    "127.0.0.1:" + server.port(), "--mode", "idempotent", "--runs", "1", "--json", "--out",
                    dir.toString())).get(150, TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("\"client\":\"ours\"").contains("\"ok\":true");
        }
    }

    @Test
    void aMissingModeIsAUsageError() {
        assertOneLineError(CliRunner.run("kafka", "--target", "127.0.0.1:1"), 2, "--mode is required");
    }

    @Test
    void aMalformedOrInvalidProducerConfigIsOneLine() throws Exception {
        Path badEscape = Files.writeString(dir.resolve("bad.properties"), "acks=\\uZZZZ\n");
        assertOneLineError(CliRunner.run("kafka", "--producer-config", badEscape.toString()), 2, "malformed producer config");
        Path invalid = Files.writeString(dir.resolve("invalid.properties"), "acks=maybe\n");
        assertOneLineError(CliRunner.run("kafka", "--producer-config", invalid.toString()), 2, "invalid producer config");
        Path conflicting = Files.writeString(dir.resolve("conflict.properties"), "enable.idempotence=true\nacks=1\n");
        assertOneLineError(CliRunner.run("kafka", "--producer-config", conflicting.toString()), 2, "invalid producer config");
        Path harness = Files.writeString(dir.resolve("harness.properties"), "bootstrap.servers=x:1\n");
        assertOneLineError(CliRunner.run("kafka", "--producer-config", harness.toString()), 2, "which deliverycheck sets itself");
        assertOneLineError(CliRunner.run("kafka", "--producer-config", dir.resolve("missing").toString()), 2,
                "cannot read producer config");
        Path idempotent = Files.writeString(dir.resolve("ok.properties"), "acks=all\n");
        assertOneLineError(CliRunner.run("kafka", "--mode", "at-least-once", "--producer-config", idempotent.toString()), 2,
                "whose settings mean idempotent");
    }

    @Test
    void aMalformedScheduleIsOneLine() throws Exception {
        Path schedule = Files.writeString(dir.resolve("s.schedule"), "mode: at-least-once\n---\nlose-response Produc 1\n");
        assertOneLineError(CliRunner.run("kafka", "--schedule", schedule.toString()), 2, "s.schedule:3: unknown request kind");
        Path crash = Files.writeString(dir.resolve("c.schedule"), "mode: at-least-once\n---\ncrash-broker\n");
        assertOneLineError(CliRunner.run("kafka", "--schedule", crash.toString(), "--target", "127.0.0.1:1"), 2,
                "needs a broker deliverycheck started");
    }

    @Test
    void anUnreachableBootstrapIsOneLineWithinSeconds() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        CliRunner.Result r = CompletableFuture.supplyAsync(() -> CliRunner.run("kafka", "--mode", "idempotent",
                "--target", "127.0.0.1:" + closedPort)).get(60, TimeUnit.SECONDS);
        assertOneLineError(r, 2, "cannot reach a Kafka broker at 127.0.0.1:" + closedPort);
    }

    @Test
    void aBrokerThatDiesMidRunIsOneLineAndExitThree() throws Exception {
        // The broker dies at its first Produce answer, which every run with a send must wait for: the death falls
        // mid-run by construction, however fast or slow the run (the record is applied, its answer never written,
        // the listener and every connection closed, as a crashed broker would).
        Path schedule = Files.writeString(dir.resolve("dies.schedule"), "mode: at-least-once\npartitions: 2\n---\n"
                + "send key=k1\nsend key=k2\nflush\n");
        try (dev.deliverycheck.wire.WireBroker broker = new dev.deliverycheck.wire.WireBroker(
                new dev.deliverycheck.sim.SimulatedDisk(), dev.deliverycheck.broker.BrokerConfig.DEFAULT, 1, 1,
                dev.deliverycheck.env.EventSink.NONE);
             dev.deliverycheck.wire.WireServer server = new dev.deliverycheck.wire.WireServer(broker, 0)) {
            server.crashAtAnswerToProduce(1);
            String bootstrap = "127.0.0.1:" + server.port();
            CliRunner.Result r = CompletableFuture.supplyAsync(() -> CliRunner.run("kafka", "--target", bootstrap,
                    "--schedule", schedule.toString(), "--runs", "1", "--out", dir.toString())).get(150, TimeUnit.SECONDS);
            assertOneLineError(r, 3, "the broker at " + bootstrap + " stopped answering");
        }
    }

    @Test
    void ourTargetRunsTheRealClientAgainstDeliverycheckWireBrokerChildProcess() throws Exception {
        CliRunner.Result r = CompletableFuture.supplyAsync(() -> CliRunner.run("kafka", "--target", "ours", "--mode",
                "idempotent", "--runs", "2", "--out", dir.toString())).get(150, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("against deliverycheck's wire broker at 127.0.0.1:").contains("kafka: ok")
                .contains("2 schedules from seed 1");
        assertThat(r.err()).contains("starting deliverycheck's wire broker").doesNotContain("\tat ");
    }

    /** kafka --report draws a violating real run; --junit-xml gives one case per invariant. */
    @Test
    void reportDrawsTheRealRunThatViolatedAnInvariant() throws Exception {
        Path schedule = dir.resolve("late.schedule");
        Files.writeString(schedule, "mode: at-least-once\npartitions: 2\n---\n"
                + "refuse-late Produce 1\nsend key=k1\nawait-request Produce 1\nsend key=k1\nawait-request Produce 2\n"
                + "send key=k1\nflush\n");
        Path report = dir.resolve("report");
        Path junit = dir.resolve("kafka.xml");
        CliRunner.Result r = CompletableFuture.supplyAsync(() -> CliRunner.run("kafka", "--target", "ours", "--schedule",
                schedule.toString(), "--runs", "1", "--report", report.toString(), "--junit-xml", junit.toString()))
                .get(150, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.err()).isZero();
        String html = Files.readString(report.resolve("index.html"));
        assertThat(html).contains("Real Kafka: at-least-once").contains("PartitionOrder violated")
                .contains("faults applied: refuse-late Produce 1").contains("<svg").contains("BrokerAppend")
                .contains("--schedule " + schedule);
        assertThat(dev.deliverycheck.report.ReportLinks.problems(report.resolve("index.html"))).isEmpty();
        assertThat(Files.readString(junit)).contains("classname=\"kafka\" name=\"PartitionOrder\"")
                .contains("failures=\"1\""); // NoDuplicate expected violated, not seen in one run
    }

    /** replay FILE of a schedule 'kafka' saved runs it against the target; exit 0 iff its failure showed again. */
    @Test
    void replayRunsAKafkaScheduleAgainstTheTargetAndJudgesItsNamedFailure() throws Exception {
        Path schedule = dir.resolve("saved.schedule");
        Files.writeString(schedule, "# deliverycheck kafka schedule: replay with ./deliverycheck kafka --schedule FILE\n"
                + "mode: at-least-once\npartitions: 2\nfails: PartitionOrder\n---\nrefuse-late Produce 1\nsend key=k1\n"
                + "await-request Produce 1\nsend key=k1\nflush\n");
        CliRunner.Result r = CompletableFuture.supplyAsync(() -> CliRunner.run("replay", schedule.toString(), "--target",
                "ours")).get(150, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 replays of " + schedule).contains("PartitionOrder  expected violated  observed violated");
        Files.writeString(schedule, Files.readString(schedule).replace("fails: PartitionOrder", "fails: NoLoss"));
        CliRunner.Result noLoss = CompletableFuture.supplyAsync(() -> CliRunner.run("replay", schedule.toString(), "--target",
                "ours")).get(150, TimeUnit.SECONDS);
        assertThat(noLoss.exitCode()).as("NoLoss did not fail this time").isEqualTo(1);
        assertOneLineError(CliRunner.run("replay", dir.resolve("none").toString(), "--target", "ours"), 2, "no such schedule file");
        Path simulated = dir.resolve("simulated.schedule");
        Files.writeString(simulated, "mode: at-least-once\nseed: 1\n---\nsend key=k1\n");
        assertOneLineError(CliRunner.run("replay", simulated.toString(), "--target", "ours"), 2, "is a simulator schedule");
    }
}
