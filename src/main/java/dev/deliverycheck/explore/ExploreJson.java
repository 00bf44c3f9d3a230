package dev.deliverycheck.explore;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The document {@code explore --json} prints (and {@code merge --json}, and each mode of
 * {@code verify --json}): Jackson writes the components in this order, leaving out the null
 * ones. The field names and order are the CLI contract scripts read; {@code merge} reads shards
 * back from them.
 *
 * @param brokerVariant only when not the real broker
 * @param shard only for a shard of a sharded job ({@code --shard K/N})
 * @param traceValidation only with {@code --validate-traces}
 * @param shards only from {@code merge}: how many shard reports it joined
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExploreJson(String mode, int runs, int steps, long seed, String brokerVariant,
                          Map<String, Verdict> invariants, @JsonProperty("Progress") Verdict progress,
                          Map<String, Integer> coverage, List<String> undercovered, int unsettledRuns,
                          double schedulesPerSecond, double schedulesPerCpuSecond, boolean ok, ShardSlice shard,
                          TraceSampler.Summary traceValidation, Integer shards) {

    /**
     * One invariant's (or Progress's) verdict and, when violated, its shrunk finding.
     *
     * @param ok invariants only: observed matches expected
     * @param violatingRuns Progress only: runs that did not settle or made no progress
     * @param runsToFind schedules explored up to and including the one that showed the violation
     * @param secondsToFind wall time until it was seen, rounded to hundredths
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verdict(String expected, String observed, Boolean ok, Integer violatingRuns, Long seed,
                          Integer originalSteps, Integer shrunkSteps, String schedule, String explanation,
                          Integer runsToFind, Double secondsToFind) {
        /** A verdict with the fields of finding {@code f} (none when {@code f} is null). */
        static Verdict of(String expected, String observed, Boolean ok, Integer violatingRuns, ExploreReport.Finding f) {
            if (f == null) {
                return new Verdict(expected, observed, ok, violatingRuns, null, null, null, null, null, null, null);
            }
            return new Verdict(expected, observed, ok, violatingRuns, f.seed(), f.originalSteps(), f.shrunkSteps(),
                    f.file().toString(), f.explanation(), f.runsToFind(), Math.round(f.secondsToFind() * 100) / 100.0);
        }
    }

    /** Which slice of a job a shard ran: the K of {@code --shard K/N}, N, the job's base seed and run count. */
    public record ShardSlice(int index, int count, long baseSeed, int totalRuns) {
    }

    public ExploreJson withShard(ShardSlice slice) {
        return new ExploreJson(mode, runs, steps, seed, brokerVariant, invariants, progress, coverage, undercovered,
                unsettledRuns, schedulesPerSecond, schedulesPerCpuSecond, ok, slice, traceValidation, shards);
    }

    /** With the trace validation's summary; {@code allOk} is the verdict of both together. */
    public ExploreJson withTraces(TraceSampler.Summary traces, boolean allOk) {
        return new ExploreJson(mode, runs, steps, seed, brokerVariant, invariants, progress, coverage, undercovered,
                unsettledRuns, schedulesPerSecond, schedulesPerCpuSecond, allOk, shard, traces, shards);
    }

    public ExploreJson withShards(int count) {
        return new ExploreJson(mode, runs, steps, seed, brokerVariant, invariants, progress, coverage, undercovered,
                unsettledRuns, schedulesPerSecond, schedulesPerCpuSecond, ok, shard, traceValidation, count);
    }
}
