package dev.deliverycheck.sim;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.producer.DeliveryMode;
import dev.deliverycheck.producer.ProducerConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that shapes one simulated run besides its steps. The producer's settings are the
 * mode's preset (DESIGN.md) plus explicit overrides; nothing else is implicit.
 *
 * @param latency       how long messages take on the wire and fsyncs take (constant, or drawn per
 *                      message and per broker start from the run's seed)
 * @param brokerVariant name of the broker variant, "real" for the production broker; other
 *                      variants exist only for negative (teeth) tests and are built by the
 *                      {@link BrokerFactory} the caller supplies
 * @param separateAnswerConnections whether two brokers that both send requests to each other do so
 *                      on two connections, each opened by the requesting side, as Kafka's
 *                      inter-broker clients do, so that an answer can overtake the other side's
 *                      requests ({@link SimulatedNetwork#separateAnswerConnections()}); the explorer
 *                      turns it on, {@link #of} leaves it off (one connection per direction)
 */
public record SimulationConfig(Mode mode, int brokers, int partitions, long seed, LatencyModel latency,
                               double requestLoss, double ackLoss, boolean tornWrites,
                               Map<String, Object> producerOverrides, BrokerConfig brokerConfig,
                               BrokerFactory brokerFactory, String brokerVariant, boolean separateAnswerConnections) {
    public static final String TRANSACTIONAL_ID = "txn-app-1";
    /**
     * Kafka's broker defaults with a 5 ms fsync (about what FileStorage's fsync took on the
     * reference machine, 4.3 ms), so that a crash can fall between append and flush, serving
     * {@code transaction.version} 2 as a new Kafka 4 cluster does (the producer learns it from the
     * metadata: no AddPartitionsToTxn, the leader adds the partition on the first transactional
     * produce). {@code withAddPartitionsOnProduce(false)} is the version-1 switch.
     */
    public static final BrokerConfig SIMULATED_BROKER = BrokerConfig.DEFAULT.withFlushLatencyMs(5)
            .withAddPartitionsOnProduce(true);
    /**
     * The explorer's broker: {@link #SIMULATED_BROKER} with 256-byte segments, so that a run of a
     * few dozen records rolls segments and writes producer-state snapshots (a one-record batch
     * takes about 100 bytes), and recovery starts from a snapshot instead of replaying the whole log.
     */
    public static final BrokerConfig EXPLORATION_BROKER = SIMULATED_BROKER.withLogSegmentBytes(256);

    public SimulationConfig {
        if (brokers < 1) {
            throw new IllegalArgumentException("--brokers must be at least 1, got " + brokers);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        if (!(requestLoss >= 0 && requestLoss <= 1)) { // also refuses NaN
            throw new IllegalArgumentException("--request-loss must be within [0, 1], got " + requestLoss);
        }
        if (!(ackLoss >= 0 && ackLoss <= 1)) {
            throw new IllegalArgumentException("--ack-loss must be within [0, 1], got " + ackLoss);
        }
        producerOverrides = Map.copyOf(producerOverrides);
    }

    /** A fault-free configuration for {@code mode} with the production broker. */
    public static SimulationConfig of(Mode mode, long seed) {
        return new SimulationConfig(mode, 1, 2, seed, LatencyModel.constant(5), 0, 0, true, Map.of(), SIMULATED_BROKER,
                BrokerFactory.REAL, "real", false);
    }

    /**
     * The configuration the explorer uses: the mode's preset, except that {@code delivery.timeout.ms}
     * is two hours, longer than any fault window a schedule can open (DESIGN.md: runs that check
     * NoLoss keep the delivery timeout longer than the fault window, Kafka's "retry until
     * delivered" intent). Everything else, including transaction.timeout.ms, stays Kafka's default.
     * Latencies are {@link LatencyModel#longTailed()} (long tails and stalls for messages, a drawn
     * fsync latency per broker start), the broker is {@link #EXPLORATION_BROKER} (small segments),
     * and brokers answer each other on the connection the requester opened, so a late marker
     * request can be overtaken ({@link #withSeparateAnswerConnections}).
     */
    public static SimulationConfig forExploration(Mode mode) {
        return of(mode, 0).withProducerOverrides(Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 7_200_000))
                .withLatency(LatencyModel.longTailed())
                .withBroker(EXPLORATION_BROKER, BrokerFactory.REAL, "real")
                .withSeparateAnswerConnections(true);
    }

    /** This configuration with inter-broker answers on their own connections (true) or not. */
    public SimulationConfig withSeparateAnswerConnections(boolean separate) {
        return new SimulationConfig(mode, brokers, partitions, seed, latency, requestLoss, ackLoss, tornWrites,
                producerOverrides, brokerConfig, brokerFactory, brokerVariant, separate);
    }

    /** This configuration with message and fsync latencies drawn from {@code model}. */
    public SimulationConfig withLatency(LatencyModel model) {
        return new SimulationConfig(mode, brokers, partitions, seed, model, requestLoss, ackLoss, tornWrites,
                producerOverrides, brokerConfig, brokerFactory, brokerVariant, separateAnswerConnections);
    }

    /** The typical one-way message latency. */
    public long latencyMs() {
        return latency.medianMs();
    }

    public SimulationConfig withShape(int brokerCount, int partitionCount) {
        return new SimulationConfig(mode, brokerCount, partitionCount, seed, latency, requestLoss, ackLoss,
                tornWrites, producerOverrides, brokerConfig, brokerFactory, brokerVariant, separateAnswerConnections);
    }

    public SimulationConfig withLoss(double request, double ack) {
        return new SimulationConfig(mode, brokers, partitions, seed, latency, request, ack, tornWrites,
                producerOverrides, brokerConfig, brokerFactory, brokerVariant, separateAnswerConnections);
    }

    public SimulationConfig withProducerOverrides(Map<String, Object> overrides) {
        return new SimulationConfig(mode, brokers, partitions, seed, latency, requestLoss, ackLoss, tornWrites,
                overrides, brokerConfig, brokerFactory, brokerVariant, separateAnswerConnections);
    }

    public SimulationConfig withBroker(BrokerConfig config, BrokerFactory factory, String variant) {
        return new SimulationConfig(mode, brokers, partitions, seed, latency, requestLoss, ackLoss, tornWrites,
                producerOverrides, config, factory, variant, separateAnswerConnections);
    }

    public SimulationConfig withSeed(long newSeed) {
        return new SimulationConfig(mode, brokers, partitions, newSeed, latency, requestLoss, ackLoss, tornWrites,
                producerOverrides, brokerConfig, brokerFactory, brokerVariant, separateAnswerConnections);
    }

    /** The producer configuration: the mode's preset, the transactional id for exactly-once, then overrides. */
    public ProducerConfig producerConfig() {
        DeliveryMode preset = DeliveryMode.parse(mode.cliName());
        Map<String, Object> props = new LinkedHashMap<>(
                preset.transactional() ? preset.preset(TRANSACTIONAL_ID) : preset.preset());
        props.putAll(producerOverrides);
        return ProducerConfig.of(props);
    }
}
