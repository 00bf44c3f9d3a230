package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bad input to the main job is refused at once, in one line, before any model is checked. */
class VerifyCommandTest {
    @Test
    void aRunBudgetBelowOneIsAUsageError() {
        CliRunner.Result r = CliRunner.run("verify", "--runs", "0");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().strip()).isEqualTo("deliverycheck: --runs must be at least 1, got 0");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aNegativeTraceCountIsAUsageError() {
        CliRunner.Result r = CliRunner.run("verify", "--traces", "-1");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().strip()).isEqualTo("deliverycheck: --traces must not be negative, got -1");
    }

    @Test
    void aNonNumericBudgetIsAUsageError() {
        CliRunner.Result r = CliRunner.run("verify", "--runs", "many");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("--runs").contains("many");
    }

    @Test
    void theDefaultsAreStatedInTheHelp() {
        CliRunner.Result r = CliRunner.run("verify", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().replaceAll("\\s+", " ")).contains("default " + VerifyCommand.DEFAULT_RUNS + ")")
                .contains("(default " + VerifyCommand.DEFAULT_TRACES + ", with --quick " + VerifyCommand.QUICK_TRACES);
    }
}
