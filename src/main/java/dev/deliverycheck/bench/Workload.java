package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deliverycheck.producer.ProducerConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one benchmark run offers the producer: a topic shape, the producer's settings, and an
 * application thread that calls {@code send()} at a constant rate with records of one size.
 *
 * <p>The application is blocked while {@code send()} waits for buffer memory (as Kafka's
 * {@code send()} blocks); it then resumes at the same rate without catching up on the sends it
 * missed. {@code recordsPerSecond = 0} means as fast as possible (real time only). With
 * {@code recordsPerTransaction > 0} the application wraps every that many records in a
 * transaction and waits for each commit (the producer must have a {@code transactional.id}).
 *
 * @param brokers               brokers of the cluster
 * @param partitions            partitions of the one topic, led round robin by the brokers
 * @param producer              the producer's settings
 * @param recordsPerSecond      offered load; 0 = unpaced
 * @param valueBytes            size of each record's value (keys: null, or 8 bytes if keyed)
 * @param keyed                 distinct 8-byte keys (placed by murmur2) instead of null keys
 * @param recordsPerTransaction 0 for no transactions
 * @param warmupSeconds         time before the measurement window
 * @param measureSeconds        length of the measurement window
 * @param drainSeconds          after the window, at most this long to let outstanding sends complete
 * @param seed                  seeds the producer's randomness (the sticky partitioners)
 */
public record Workload(int brokers, int partitions, ProducerConfig producer, double recordsPerSecond,
                       int valueBytes, boolean keyed, int recordsPerTransaction, double warmupSeconds,
                       double measureSeconds, double drainSeconds, long seed) {
    public Workload {
        if (brokers < 1 || partitions < 1) {
            throw new IllegalArgumentException("need at least one broker and one partition");
        }
        if (recordsPerSecond < 0 || valueBytes < 0 || recordsPerTransaction < 0 || warmupSeconds < 0
                || measureSeconds <= 0 || drainSeconds < 0) {
            throw new IllegalArgumentException("invalid workload: " + this);
        }
        if (recordsPerTransaction > 0 && !producer.transactional()) {
            throw new IllegalArgumentException("transactions need a transactional.id");
        }
    }

    /** A keyless, non-transactional load of {@code valueBytes}-byte records. */
    public static Workload of(int brokers, int partitions, ProducerConfig producer, double recordsPerSecond,
                              double warmupSeconds, double measureSeconds, double drainSeconds, long seed) {
        return new Workload(brokers, partitions, producer, recordsPerSecond, 100, false, 0, warmupSeconds,
                measureSeconds, drainSeconds, seed);
    }

    public Workload withProducer(ProducerConfig config) {
        return new Workload(brokers, partitions, config, recordsPerSecond, valueBytes, keyed, recordsPerTransaction,
                warmupSeconds, measureSeconds, drainSeconds, seed);
    }

    public Workload withRate(double rate) {
        return new Workload(brokers, partitions, producer, rate, valueBytes, keyed, recordsPerTransaction,
                warmupSeconds, measureSeconds, drainSeconds, seed);
    }

    public Workload withKeys(boolean withKeys) {
        return new Workload(brokers, partitions, producer, recordsPerSecond, valueBytes, withKeys,
                recordsPerTransaction, warmupSeconds, measureSeconds, drainSeconds, seed);
    }

    public Workload withTransactions(int perTransaction) {
        return new Workload(brokers, partitions, producer, recordsPerSecond, valueBytes, keyed, perTransaction,
                warmupSeconds, measureSeconds, drainSeconds, seed);
    }

    public Workload withDrain(double seconds) {
        return new Workload(brokers, partitions, producer, recordsPerSecond, valueBytes, keyed,
                recordsPerTransaction, warmupSeconds, measureSeconds, seconds, seed);
    }

    long warmupNs() {
        return Math.round(warmupSeconds * 1e9);
    }

    long measureNs() {
        return Math.round(measureSeconds * 1e9);
    }

    long drainNs() {
        return Math.round(drainSeconds * 1e9);
    }

    /** The settings that describe this workload in reports, in this order ({@code recordsPerTransaction} only if > 0). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Setup(int brokers, int partitions, Object recordsPerSecondOffered, int valueBytes, String keys,
                        Integer recordsPerTransaction, double warmupSeconds, double measureSeconds, long seed,
                        Map<String, Object> producer) {
    }

    /** The settings that describe this workload in reports (the offered rate "unpaced" when 0). */
    public Setup setup() {
        Map<String, Object> p = new LinkedHashMap<>();
        for (String key : new String[] {ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                ProducerConfig.LINGER_MS_CONFIG, ProducerConfig.BATCH_SIZE_CONFIG, ProducerConfig.BUFFER_MEMORY_CONFIG,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, ProducerConfig.PARTITIONER_CONFIG}) {
            p.put(key, producer.values().get(key));
        }
        return new Setup(brokers, partitions, recordsPerSecond == 0 ? "unpaced" : (Object) Math.round(recordsPerSecond),
                valueBytes, keyed ? "distinct" : "null", recordsPerTransaction > 0 ? recordsPerTransaction : null,
                warmupSeconds, measureSeconds, seed, p);
    }
}
