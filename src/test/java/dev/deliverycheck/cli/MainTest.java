package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void helpListsEverySubcommand() {
        CliRunner.Result r = CliRunner.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("verify", "check-models", "simulate", "explore", "replay", "bench");
    }

    @Test
    void noCommandIsAOneLineUsageError() {
        CliRunner.Result r = CliRunner.run();
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err().strip()).startsWith("deliverycheck: no command given; one of ").contains("verify", "explore", "kafka")
                .endsWith("(see --help)");
    }

    @Test
    void unknownSubcommandIsOneUsageLine() {
        CliRunner.Result r = CliRunner.run("frobnicate");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("deliverycheck: ");
    }
}
