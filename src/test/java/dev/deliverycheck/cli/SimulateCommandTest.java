package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulateCommandTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertThat(r.err()).as("stderr").isEmpty();
        return (Map<String, Object>) Json.parse(r.out());
    }

    @Test
    void atLeastOnceDuplicatesUnderAckLossAndLosesNothing() {
        Map<String, Object> out = json("simulate", "--mode", "at-least-once", "--records", "300", "--ack-loss", "0.1",
                "--seed", "1", "--json");
        assertThat((Long) out.get("duplicates")).isPositive();
        assertThat(out.get("lost")).isEqualTo(0L);
        assertThat(out).containsKeys("mode", "seed", "sent", "acked", "failed", "stored", "ackedButLost", "reordered",
                "faults", "invariants");
        assertThat((Map<String, Object>) out.get("invariants")).containsEntry("NoDuplicate", "violated")
                .containsEntry("NoLoss", "holds").containsEntry("AckedDurable", "holds");
    }

    @Test
    void atMostOnceLosesButNeverDuplicates() {
        Map<String, Object> out = json("simulate", "--mode", "at-most-once", "--records", "600", "--ack-loss", "0.1",
                "--seed", "1", "--json");
        assertThat((Long) out.get("lost")).isPositive();
        assertThat(out.get("duplicates")).isEqualTo(0L);
    }

    @Test
    void idempotentHoldsUnderLossAndCrashes() {
        Map<String, Object> out = json("simulate", "--mode", "idempotent", "--records", "500", "--ack-loss", "0.1",
                "--request-loss", "0.05", "--broker-crashes", "2", "--seed", "7", "--json");
        assertThat(out.get("duplicates")).isEqualTo(0L);
        assertThat(out.get("lost")).isEqualTo(0L);
        assertThat(out.get("ackedButLost")).isEqualTo(0L);
        assertThat(out.get("reordered")).isEqualTo(0L);
        assertThat(((Map<String, Object>) out.get("faults")).get("brokerCrashes")).isEqualTo(2L);
    }

    @Test
    void exactlyOnceReportsTransactions() {
        Map<String, Object> out = json("simulate", "--mode", "exactly-once", "--transactions", "40",
                "--records-per-txn", "3", "--abort-rate", "0.3", "--ack-loss", "0.05", "--producer-restarts", "1",
                "--seed", "3", "--json");
        Map<String, Object> txns = (Map<String, Object>) out.get("transactions");
        assertThat((Long) txns.get("committed")).isPositive();
        assertThat((Long) txns.get("aborted")).isPositive();
        assertThat(((Map<String, Object>) out.get("invariants")).values()).containsOnly("holds");
    }

    @Test
    void sameSeedSameOutput() {
        String[] args = {"simulate", "--mode", "at-least-once", "--records", "200", "--ack-loss", "0.2",
                "--request-loss", "0.1", "--broker-crashes", "1", "--seed", "42", "--json"};
        assertThat(CliRunner.run(args).out()).isEqualTo(CliRunner.run(args).out());
    }

    @Test
    void badArgumentsGetOneLineAndExitTwo() {
        for (String[] args : new String[][] {
                {"simulate", "--mode", "sometimes"},
                {"simulate", "--mode", "idempotent", "--ack-loss", "1.5"},
                {"simulate", "--mode", "idempotent", "--records", "ten"},
                {"simulate", "--mode", "idempotent", "--partitioner", "random"},
                {"simulate", "--mode", "idempotent", "--transactions", "3"},
                {"simulate", "--mode", "idempotent", "--partitions", "0"},
                {"simulate", "--mode", "idempotent", "--ack-loss", "NaN"},
                {"simulate", "--mode", "idempotent", "--request-loss", "NaN"},
                {"simulate", "--mode", "exactly-once", "--abort-rate", "NaN"},
                {"simulate"}}) {
            CliRunner.Result r = CliRunner.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(Main.EXIT_USAGE);
            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).doesNotContain("Exception", "\tat ");
        }
    }
}
