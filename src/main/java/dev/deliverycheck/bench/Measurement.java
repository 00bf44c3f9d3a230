package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.HdrHistogram.Histogram;

/**
 * The figures of one benchmark run, all from its measurement window.
 *
 * @param windowSeconds         length of the measurement window
 * @param sent                  records handed to {@code send()} in the window
 * @param acked                 of those, records acknowledged (at any time before the run ended)
 * @param failed                of those, records whose send failed
 * @param recordsPerSecond      acknowledgements arriving in the window, per second (throughput)
 * @param requests              Produce requests sent in the window
 * @param batches               batches in those requests
 * @param records               records in those batches (retries count again)
 * @param bytes                 bytes of those batches
 * @param recordsPerBroker      records in those batches, per destination broker
 * @param latencyUs             send-to-ack latency of the acknowledged records sent in the window, µs
 * @param blockedSeconds        time the application spent blocked in {@code send()} in the window
 * @param firstFailure          the first failure's description, or null
 * @param brokerBusyShare       per broker, the share of the window it spent working (bench
 *                              simulator only; empty in real time)
 * @param failedTransactions    commits that failed in the window (transactional runs)
 */
public record Measurement(double windowSeconds, long sent, long acked, long failed, double recordsPerSecond,
                        long requests, long batches, long records, long bytes, long[] recordsPerBroker,
                        Histogram latencyUs, double blockedSeconds, String firstFailure, double[] brokerBusyShare,
                        long failedTransactions) {

    /** The busiest broker's share of the window spent working (0 when not measured). */
    public double maxBrokerBusyShare() {
        double max = 0;
        for (double b : brokerBusyShare) {
            max = Math.max(max, b);
        }
        return max;
    }

    public double meanRecordsPerBatch() {
        return batches == 0 ? 0 : (double) records / batches;
    }

    public double meanBatchBytes() {
        return batches == 0 ? 0 : (double) bytes / batches;
    }

    public double batchesPerRequest() {
        return requests == 0 ? 0 : (double) batches / requests;
    }

    public double requestsPerSecond() {
        return requests / windowSeconds;
    }

    /** Latency percentile in milliseconds (0 when nothing was acknowledged). */
    public double latencyMs(double percentile) {
        return latencyUs.getTotalCount() == 0 ? 0 : latencyUs.getValueAtPercentile(percentile) / 1000.0;
    }

    public double meanLatencyMs() {
        return latencyUs.getTotalCount() == 0 ? 0 : latencyUs.getMean() / 1000.0;
    }

    public double maxLatencyMs() {
        return latencyUs.getTotalCount() == 0 ? 0 : latencyUs.getMaxValue() / 1000.0;
    }

    /** Share of the records in requests that went to broker {@code b}. */
    public double shareOfBroker(int b) {
        return records == 0 ? 0 : (double) recordsPerBroker[b] / records;
    }

    /** Share of the window the application spent blocked in {@code send()}. */
    public double blockedShare() {
        return blockedSeconds / windowSeconds;
    }

    /**
     * A run's figures as written in the bench's JSON, in this order (latencies in ms, rounded); the last three only
     * when measured (broker busy share), when a commit failed, when a send failed.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Figures(long recordsSent, long recordsAcked, long recordsFailed, long recordsPerSecond, long requests,
                          long requestsPerSecond, double batchesPerRequest, double meanRecordsPerBatch,
                          long meanBatchBytes, double latencyMeanMs, double latencyP50Ms, double latencyP99Ms,
                          double latencyP999Ms, double latencyMaxMs, double blockedInSendShare,
                          Double busiestBrokerBusyShare, Long failedTransactions, String firstFailure) {
    }

    /** The figures as written in the bench's JSON. */
    public Figures figures() {
        return new Figures(sent, acked, failed, Math.round(recordsPerSecond), requests, Math.round(requestsPerSecond()),
                round(batchesPerRequest(), 2), round(meanRecordsPerBatch(), 2), Math.round(meanBatchBytes()),
                round(meanLatencyMs(), 3), round(latencyMs(50), 3), round(latencyMs(99), 3), round(latencyMs(99.9), 3),
                round(maxLatencyMs(), 3), round(blockedShare(), 4),
                brokerBusyShare.length > 0 ? round(maxBrokerBusyShare(), 3) : null,
                failedTransactions > 0 ? failedTransactions : null, firstFailure);
    }

    /** The columns {@link #csvCells} fills, after a scenario's own leading columns. */
    static final String[] CSV_COLUMNS = {"recordsPerSecond", "requests", "requestsPerSecond", "batchesPerRequest",
        "meanRecordsPerBatch", "meanBatchBytes", "latencyMeanMs", "latencyP50Ms", "latencyP99Ms", "latencyP999Ms",
        "latencyMaxMs", "blockedInSendShare", "recordsFailed"};

    /** A scenario's leading columns followed by {@link #CSV_COLUMNS}. */
    static String[] csvHeader(String... leading) {
        String[] all = java.util.Arrays.copyOf(leading, leading.length + CSV_COLUMNS.length);
        System.arraycopy(CSV_COLUMNS, 0, all, leading.length, CSV_COLUMNS.length);
        return all;
    }

    /** A scenario's leading cells followed by this run's {@link #CSV_COLUMNS} values. */
    Object[] csvCells(Object... leading) {
        Object[] mine = {Math.round(recordsPerSecond), requests, Math.round(requestsPerSecond()),
            round(batchesPerRequest(), 3), round(meanRecordsPerBatch(), 3), Math.round(meanBatchBytes()),
            round(meanLatencyMs(), 4), round(latencyMs(50), 4), round(latencyMs(99), 4), round(latencyMs(99.9), 4),
            round(maxLatencyMs(), 4), round(blockedShare(), 4), failed};
        Object[] all = java.util.Arrays.copyOf(leading, leading.length + mine.length);
        System.arraycopy(mine, 0, all, leading.length, mine.length);
        return all;
    }

    static double round(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return 0;
        }
        double f = Math.pow(10, decimals);
        return Math.round(value * f) / f;
    }

    /**
     * {@code x}'s latency over {@code base}'s at the median, the 99th percentile and the mean, to three decimals (0
     * when {@code base} measured nothing); in JSON under a name, {@code @JsonUnwrapped(prefix = "name")}: nameP50,
     * nameP99, nameMean.
     */
    public record LatencyRatios(@JsonProperty("P50") double p50, @JsonProperty("P99") double p99,
                                @JsonProperty("Mean") double mean) {
        static LatencyRatios of(Measurement x, Measurement base) {
            return new LatencyRatios(round(Medians.ratio(x.latencyMs(50), base.latencyMs(50)), 3),
                    round(Medians.ratio(x.latencyMs(99), base.latencyMs(99)), 3),
                    round(Medians.ratio(x.meanLatencyMs(), base.meanLatencyMs()), 3));
        }
    }
}
