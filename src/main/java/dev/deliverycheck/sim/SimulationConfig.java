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
 * @param brokerVariant name of the broker variant, "real" for the production broker; other
 *                      variants exist only for negative (teeth) tests and are built by the
 *                      {@link BrokerFactory} the caller supplies
 */
public record SimulationConfig(Mode mode, int brokers, int partitions, long seed, long latencyMs,
                               double requestLoss, double ackLoss, boolean tornWrites,
                               Map<String, Object> producerOverrides, BrokerConfig brokerConfig,
                               BrokerFactory brokerFactory, String brokerVariant) {
    public static final String TRANSACTIONAL_ID = "txn-app-1";
    /**
     * Kafka's broker defaults with a 5 ms fsync (about what FileStorage's fsync took on the
     * reference machine, 4.3 ms), so that a crash can fall between append and flush.
     */
    public static final BrokerConfig SIMULATED_BROKER = BrokerConfig.DEFAULT.withFlushLatencyMs(5);

    public SimulationConfig {
        if (brokers < 1) {
            throw new IllegalArgumentException("--brokers must be at least 1, got " + brokers);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        if (requestLoss < 0 || requestLoss > 1) {
            throw new IllegalArgumentException("--request-loss must be within [0, 1], got " + requestLoss);
        }
        if (ackLoss < 0 || ackLoss > 1) {
            throw new IllegalArgumentException("--ack-loss must be within [0, 1], got " + ackLoss);
        }
        producerOverrides = Map.copyOf(producerOverrides);
    }

    /** A fault-free configuration for {@code mode} with the production broker. */
    public static SimulationConfig of(Mode mode, long seed) {
        return new SimulationConfig(mode, 1, 2, seed, 5, 0, 0, true, Map.of(), SIMULATED_BROKER,
                BrokerFactory.REAL, "real");
    }

    /**
     * The configuration the explorer uses: the mode's preset, except that {@code delivery.timeout.ms}
     * is two hours, longer than any fault window a schedule can open (DESIGN.md: runs that check
     * NoLoss keep the delivery timeout longer than the fault window, Kafka's "retry until
     * delivered" intent). Everything else, including transaction.timeout.ms, stays Kafka's default.
     */
    public static SimulationConfig forExploration(Mode mode) {
        return of(mode, 0).withProducerOverrides(Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 7_200_000));
    }

    public SimulationConfig withShape(int brokerCount, int partitionCount) {
        return new SimulationConfig(mode, brokerCount, partitionCount, seed, latencyMs, requestLoss, ackLoss,
                tornWrites, producerOverrides, brokerConfig, brokerFactory, brokerVariant);
    }

    public SimulationConfig withLoss(double request, double ack) {
        return new SimulationConfig(mode, brokers, partitions, seed, latencyMs, request, ack, tornWrites,
                producerOverrides, brokerConfig, brokerFactory, brokerVariant);
    }

    public SimulationConfig withProducerOverrides(Map<String, Object> overrides) {
        return new SimulationConfig(mode, brokers, partitions, seed, latencyMs, requestLoss, ackLoss, tornWrites,
                overrides, brokerConfig, brokerFactory, brokerVariant);
    }

    public SimulationConfig withBroker(BrokerConfig config, BrokerFactory factory, String variant) {
        return new SimulationConfig(mode, brokers, partitions, seed, latencyMs, requestLoss, ackLoss, tornWrites,
                producerOverrides, config, factory, variant);
    }

    public SimulationConfig withSeed(long newSeed) {
        return new SimulationConfig(mode, brokers, partitions, newSeed, latencyMs, requestLoss, ackLoss, tornWrites,
                producerOverrides, brokerConfig, brokerFactory, brokerVariant);
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
