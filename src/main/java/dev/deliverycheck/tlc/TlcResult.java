package dev.deliverycheck.tlc;

import java.util.List;

/**
 * What one TLC run reported, read from its exit code and standard output.
 *
 * @param exitCode       TLC's exit code (0 ok, 11 deadlock, 12 safety, 13 liveness, 150 parse error...)
 * @param outcome        the exit code and the error line interpreted as an {@link Outcome}
 * @param distinctStates distinct states found ({@code -1} if TLC did not get that far)
 * @param statesGenerated states generated ({@code -1} if unknown)
 * @param depth          the depth of the state graph TLC reported on completion ({@code -1} if none);
 *                       for a trace spec it is the position of the first unexplained event
 * @param counterexample the action names of the error trace, first step first (empty without one)
 * @param errorLines     TLC's {@code Error:} lines and parse errors, for diagnosis
 * @param seconds        wall-clock time of the child process
 * @param coverage       TLC's coverage statistics ({@link Coverage#NONE} unless run with coverage)
 */
public record TlcResult(int exitCode, Outcome outcome, long distinctStates, long statesGenerated, int depth,
                        List<String> counterexample, List<String> errorLines, double seconds, Coverage coverage) {
    public TlcResult {
        counterexample = List.copyOf(counterexample);
        errorLines = List.copyOf(errorLines);
    }

    public TlcResult(int exitCode, Outcome outcome, long distinctStates, long statesGenerated, int depth,
                     List<String> counterexample, List<String> errorLines, double seconds) {
        this(exitCode, outcome, distinctStates, statesGenerated, depth, counterexample, errorLines, seconds,
                Coverage.NONE);
    }
}
