package dev.deliverycheck.report;

import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.ExploreJson;

/**
 * {@code explore --shard K/N}: the K-th of N contiguous slices of an exploration's run indices.
 * Run i of an exploration uses seed S+i and nothing else, so shard K runs indices
 * {@code [first, first+count)} as an exploration of {@code count} runs from seed {@code S+first}:
 * the N shards together run exactly the runs of one job, and {@link ShardMerge} puts their
 * reports back together.
 */
public record Shard(int index, int count) {
    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("--shard must be K/N with 1 <= K <= N, got " + index + "/" + count);
        }
    }

    /** Parses {@code K/N}; throws IllegalArgumentException with one line otherwise. */
    public static Shard parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("--shard must be K/N (e.g. 2/4), got '" + text + "'");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard must be K/N with whole numbers (e.g. 2/4), got '" + text + "'");
        }
    }

    /** Index of this shard's first run among {@code runs}. */
    public int first(int runs) {
        return (int) ((long) (index - 1) * runs / count);
    }

    /** How many of {@code runs} this shard runs (never 0 once {@link #check(int)} passed). */
    public int runs(int runs) {
        return (int) ((long) index * runs / count) - first(runs);
    }

    public void check(int runs) {
        if (runs < count) {
            throw new IllegalArgumentException("--shard " + index + "/" + count + " needs --runs of at least " + count + ", got " + runs);
        }
    }

    /**
     * Whether a shard's report shows a mismatch already: an invariant expected to hold was
     * violated. An expected violation that this shard did not find may be found by another, so
     * only the merge can judge it.
     */
    public static boolean definiteMismatch(ExploreReport shard) {
        return shard.invariants().values().stream().anyMatch(o -> !o.matches() && !o.holds());
    }

    /** The {@code shard} object of {@code explore --json}, read back by {@link ShardMerge}. */
    public ExploreJson.ShardSlice toJson(long baseSeed, int totalRuns) {
        return new ExploreJson.ShardSlice(index, count, baseSeed, totalRuns);
    }
}
