package dev.deliverycheck.broker;

import dev.deliverycheck.broker.idempotence.ProducerStateTable;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Broker settings. Keys and defaults are Kafka's where Kafka has the setting; the five
 * fields from {@code producerStateWindow} to {@code bumpEpochPerTxn} are not Kafka settings: they
 * exist for negative tests only (the explorer's "teeth"
 * tests break one guarantee on purpose and check that the checkers notice).
 *
 * @param logSegmentBytes               {@code log.segment.bytes}: roll a new segment past this size.
 *                                      Default 1 MiB (Kafka: 1 GiB) so simulations roll segments
 *                                      and take producer-state snapshots
 * @param messageMaxBytes               {@code message.max.bytes}: largest batch accepted (Kafka: 1048588)
 * @param transactionMaxTimeoutMs       {@code transaction.max.timeout.ms}: largest
 *                                      {@code transaction.timeout.ms} a producer may ask for (Kafka: 900000)
 * @param requestTimeoutMs              {@code request.timeout.ms}: how long the broker waits for an
 *                                      answer to its own requests (KIP-890 verification, transaction
 *                                      markers) before giving up or resending (Kafka: 30000)
 * @param retryBackoffMs                {@code retry.backoff.ms}: pause before resending a transaction
 *                                      marker that got a retriable error (Kafka: 100)
 * @param producerStateWindow           batches remembered per producer id (Kafka: 5).
 *                                      Exists for negative tests only
 * @param producerStateRecovery         rebuild producer state from snapshot + log on restart (true);
 *                                      false forgets it. Exists for negative tests only
 * @param fencingEnabled                refuse older producer epochs at leaders and coordinator, and
 *                                      abort a fenced producer's transaction (true).
 *                                      Exists for negative tests only
 * @param verifyTransactionalPartitions KIP-890 part 1: verify with the coordinator before the first
 *                                      transactional append of a producer to a partition (true).
 *                                      Exists for negative tests only
 * @param bumpEpochPerTxn               KIP-890 part 2 (Kafka 4.0, transaction version 2): every EndTxn
 *                                      bumps the producer epoch, so a late produce of an ended
 *                                      transaction is refused by its old epoch (true).
 *                                      Exists for negative tests only
 * @param flaws                         single-line bugs built in on purpose ({@link Flaw}); empty in
 *                                      every real configuration. Exists for negative tests only
 * @param flushLatencyMs                how long after a partition's oldest unflushed append the
 *                                      group-commit fsync runs (in {@link Broker#poll}); acknowledgements
 *                                      wait for it. 0 (default): at the next poll. The simulation uses
 *                                      1 ms so that a crash between append and fsync can happen. Close
 *                                      to Kafka's {@code log.flush.interval.ms}, but not a Kafka setting
 * @param addPartitionsOnProduce        KIP-890 part 2 (transaction version 2): the client sends no
 *                                      AddPartitionsToTxn; the leader adds the partition at the
 *                                      coordinator before the first transactional append of a producer
 *                                      to it (instead of only verifying it). Off in {@link #DEFAULT}
 *                                      (version 1); the simulator's broker and the wire broker's
 *                                      {@code --transaction-version 2} turn it on. Its value is the
 *                                      {@link #transactionVersion()} the cluster advertises to producers
 */
public record BrokerConfig(int logSegmentBytes, int messageMaxBytes, int transactionMaxTimeoutMs,
                           int requestTimeoutMs, int retryBackoffMs, int producerStateWindow,
                           boolean producerStateRecovery, boolean fencingEnabled,
                           boolean verifyTransactionalPartitions, boolean bumpEpochPerTxn, int flushLatencyMs,
                           boolean addPartitionsOnProduce, Set<Flaw> flaws) {

    /**
     * Single-line bugs a broker can be built with, for negative (teeth) tests only: each breaks one
     * guarantee on purpose so that the explorer can show it finds the class of bug.
     */
    public enum Flaw {
        /** Recovery loads the latest producer-state snapshot but does not replay the log written after it. */
        SKIP_REPLAY_AFTER_SNAPSHOT,
        /** A produce is answered as soon as it is appended, before the fsync makes it durable. */
        ACK_BEFORE_FLUSH,
        /** InitProducerId hands a known transactional id its current epoch again instead of bumping it. */
        NO_EPOCH_BUMP_ON_INIT,
        /** The coordinator decides every EndTxn as an abort: nothing ever commits. */
        NEVER_COMMIT,
        /** A transaction aborted for its age keeps its epoch: the timed-out producer is not fenced. */
        NO_EPOCH_BUMP_ON_TIMEOUT_ABORT,
        /**
         * A marker request unanswered after {@code request.timeout.ms} is sent again on the same, live
         * connection (the first copy is still counted): a late first answer completes the transaction
         * and the copy behind it is written after {@code CoordinatorComplete}.
         */
        MARKER_RESENT_ON_LIVE_CONNECTION,
        /**
         * "An epoch not reset" (issue 16): when a batch or a marker moves a producer to a newer epoch,
         * the partition's producer state adopts the epoch but keeps the old epoch's batch window
         * (Kafka's {@code ProducerStateEntry.maybeUpdateProducerEpoch} clears it). A batch of the new
         * epoch whose sequence range equals a remembered batch of the old one is then taken for its
         * duplicate: acknowledged with the old batch's offsets and never written. Chosen over the
         * other reading (a new producer id after epoch exhaustion that keeps the old epoch) because
         * the reset happens in ordinary runs: under transactions version 2 every EndTxn bumps the
         * epoch and its marker moves the partition's state to it, and an idempotent producer bumps
         * its epoch to resolve an unknown sequence; epoch exhaustion needs 32,767 bumps, beyond any
         * explored schedule.
         */
        NO_SEQUENCE_RESET_ON_NEW_EPOCH
    }

    /** A configuration without flaws (every production configuration). */
    public BrokerConfig(int logSegmentBytes, int messageMaxBytes, int transactionMaxTimeoutMs,
                        int requestTimeoutMs, int retryBackoffMs, int producerStateWindow,
                        boolean producerStateRecovery, boolean fencingEnabled,
                        boolean verifyTransactionalPartitions, boolean bumpEpochPerTxn, int flushLatencyMs) {
        this(logSegmentBytes, messageMaxBytes, transactionMaxTimeoutMs, requestTimeoutMs, retryBackoffMs,
                producerStateWindow, producerStateRecovery, fencingEnabled, verifyTransactionalPartitions,
                bumpEpochPerTxn, flushLatencyMs, false, Set.of());
    }

    /** Whether this (test-only) configuration has {@code flaw}. */
    public boolean has(Flaw flaw) {
        return flaws.contains(flaw);
    }

    /** Exists for negative tests only: this configuration with {@code flaw} added. */
    public BrokerConfig withFlaw(Flaw flaw) {
        Set<Flaw> more = EnumSet.noneOf(Flaw.class);
        more.addAll(flaws);
        more.add(flaw);
        return new BrokerConfig(logSegmentBytes, messageMaxBytes, transactionMaxTimeoutMs, requestTimeoutMs,
                retryBackoffMs, producerStateWindow, producerStateRecovery, fencingEnabled,
                verifyTransactionalPartitions, bumpEpochPerTxn, flushLatencyMs, addPartitionsOnProduce, more);
    }

    public static final BrokerConfig DEFAULT = new BrokerConfig(1 << 20, 1048588, 900_000, 30_000, 100,
            ProducerStateTable.DEFAULT_WINDOW, true, true, true, true, 0, false, Set.of());

    public BrokerConfig {
        require(logSegmentBytes >= 64, "log.segment.bytes", logSegmentBytes, "must be at least 64");
        require(messageMaxBytes >= 64, "message.max.bytes", messageMaxBytes, "must be at least 64");
        require(transactionMaxTimeoutMs >= 1, "transaction.max.timeout.ms", transactionMaxTimeoutMs, "must be positive");
        require(requestTimeoutMs >= 1, "request.timeout.ms", requestTimeoutMs, "must be positive");
        require(retryBackoffMs >= 0, "retry.backoff.ms", retryBackoffMs, "must not be negative");
        require(producerStateWindow >= 1, "producerStateWindow", producerStateWindow, "must be at least 1");
        require(flushLatencyMs >= 0, "flushLatencyMs", flushLatencyMs, "must not be negative");
        flaws = flaws.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flaws));
    }

    private static void require(boolean ok, String key, int value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("invalid broker config " + key + "=" + value + ": " + rule);
        }
    }

    /**
     * The defaults overridden by Kafka-named keys ({@code log.segment.bytes}, {@code message.max.bytes},
     * {@code transaction.max.timeout.ms}, {@code request.timeout.ms}, {@code retry.backoff.ms}).
     * Unknown keys are refused.
     */
    public static BrokerConfig fromMap(Map<String, ?> settings) {
        BrokerConfig c = DEFAULT;
        for (Map.Entry<String, ?> e : settings.entrySet()) {
            int v;
            try {
                v = Integer.parseInt(String.valueOf(e.getValue()).trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("invalid broker config " + e.getKey() + "=" + e.getValue()
                        + ": not an integer");
            }
            c = switch (e.getKey()) {
                case "log.segment.bytes" -> c.withLogSegmentBytes(v);
                case "message.max.bytes" -> new BrokerConfig(c.logSegmentBytes, v, c.transactionMaxTimeoutMs,
                        c.requestTimeoutMs, c.retryBackoffMs, c.producerStateWindow, c.producerStateRecovery,
                        c.fencingEnabled, c.verifyTransactionalPartitions, c.bumpEpochPerTxn, c.flushLatencyMs, c.addPartitionsOnProduce, c.flaws);
                case "transaction.max.timeout.ms" -> new BrokerConfig(c.logSegmentBytes, c.messageMaxBytes, v,
                        c.requestTimeoutMs, c.retryBackoffMs, c.producerStateWindow, c.producerStateRecovery,
                        c.fencingEnabled, c.verifyTransactionalPartitions, c.bumpEpochPerTxn, c.flushLatencyMs, c.addPartitionsOnProduce, c.flaws);
                case "request.timeout.ms" -> c.withRequestTimeoutMs(v);
                case "retry.backoff.ms" -> new BrokerConfig(c.logSegmentBytes, c.messageMaxBytes,
                        c.transactionMaxTimeoutMs, c.requestTimeoutMs, v, c.producerStateWindow,
                        c.producerStateRecovery, c.fencingEnabled, c.verifyTransactionalPartitions, c.bumpEpochPerTxn, c.flushLatencyMs, c.addPartitionsOnProduce, c.flaws);
                default -> throw new IllegalArgumentException("unknown broker config " + e.getKey());
            };
        }
        return c;
    }

    public BrokerConfig withLogSegmentBytes(int bytes) {
        return new BrokerConfig(bytes, messageMaxBytes, transactionMaxTimeoutMs, requestTimeoutMs, retryBackoffMs,
                producerStateWindow, producerStateRecovery, fencingEnabled, verifyTransactionalPartitions, bumpEpochPerTxn, flushLatencyMs, addPartitionsOnProduce, flaws);
    }

    public BrokerConfig withRequestTimeoutMs(int ms) {
        return new BrokerConfig(logSegmentBytes, messageMaxBytes, transactionMaxTimeoutMs, ms, retryBackoffMs,
                producerStateWindow, producerStateRecovery, fencingEnabled, verifyTransactionalPartitions, bumpEpochPerTxn, flushLatencyMs, addPartitionsOnProduce, flaws);
    }

    /** Exists for negative tests only. */
    public BrokerConfig withProducerStateWindow(int window) {
        return new BrokerConfig(logSegmentBytes, messageMaxBytes, transactionMaxTimeoutMs, requestTimeoutMs,
                retryBackoffMs, window, producerStateRecovery, fencingEnabled, verifyTransactionalPartitions, bumpEpochPerTxn, flushLatencyMs, addPartitionsOnProduce, flaws);
    }

    /** Exists for negative tests only. */
    public BrokerConfig withProducerStateRecovery(boolean recover) {
        return new BrokerConfig(logSegmentBytes, messageMaxBytes, transactionMaxTimeoutMs, requestTimeoutMs,
                retryBackoffMs, producerStateWindow, recover, fencingEnabled, verifyTransactionalPartitions, bumpEpochPerTxn, flushLatencyMs, addPartitionsOnProduce, flaws);
    }

    /** Exists for negative tests only. */
    public BrokerConfig withFencingEnabled(boolean fencing) {
        return new BrokerConfig(logSegmentBytes, messageMaxBytes, transactionMaxTimeoutMs, requestTimeoutMs,
                retryBackoffMs, producerStateWindow, producerStateRecovery, fencing, verifyTransactionalPartitions, bumpEpochPerTxn, flushLatencyMs, addPartitionsOnProduce, flaws);
    }

    /** Exists for negative tests only. */
    public BrokerConfig withVerifyTransactionalPartitions(boolean verify) {
        return new BrokerConfig(logSegmentBytes, messageMaxBytes, transactionMaxTimeoutMs, requestTimeoutMs,
                retryBackoffMs, producerStateWindow, producerStateRecovery, fencingEnabled, verify, bumpEpochPerTxn, flushLatencyMs, addPartitionsOnProduce, flaws);
    }

    /** Exists for negative tests only. */
    public BrokerConfig withBumpEpochPerTxn(boolean bump) {
        return new BrokerConfig(logSegmentBytes, messageMaxBytes, transactionMaxTimeoutMs, requestTimeoutMs,
                retryBackoffMs, producerStateWindow, producerStateRecovery, fencingEnabled, verifyTransactionalPartitions,
                bump, flushLatencyMs, addPartitionsOnProduce, flaws);
    }

    /**
     * The {@code transaction.version} feature this broker serves and advertises to clients: 2 when
     * the leader adds partitions on produce ({@link #addPartitionsOnProduce}), else 1.
     */
    public int transactionVersion() {
        return addPartitionsOnProduce ? 2 : 1;
    }

    /** KIP-890 part 2 partition adding at the leader; see {@link #addPartitionsOnProduce}. */
    public BrokerConfig withAddPartitionsOnProduce(boolean add) {
        return new BrokerConfig(logSegmentBytes, messageMaxBytes, transactionMaxTimeoutMs, requestTimeoutMs,
                retryBackoffMs, producerStateWindow, producerStateRecovery, fencingEnabled, verifyTransactionalPartitions,
                bumpEpochPerTxn, flushLatencyMs, add, flaws);
    }

    /** The fsync latency a simulation models; see {@link #flushLatencyMs}. */
    public BrokerConfig withFlushLatencyMs(int ms) {
        return new BrokerConfig(logSegmentBytes, messageMaxBytes, transactionMaxTimeoutMs, requestTimeoutMs,
                retryBackoffMs, producerStateWindow, producerStateRecovery, fencingEnabled, verifyTransactionalPartitions, bumpEpochPerTxn, ms, addPartitionsOnProduce, flaws);
    }
}
