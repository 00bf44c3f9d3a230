package dev.deliverycheck.sim;

import dev.deliverycheck.broker.Broker;
import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.env.Clock;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.Transport;
import dev.deliverycheck.protocol.ClusterMetadata;

/**
 * Builds the broker a simulation runs. The production factory builds {@link Broker}; negative
 * tests supply factories for deliberately broken variants to prove the checkers catch them.
 */
@FunctionalInterface
public interface BrokerFactory {
    BrokerFactory REAL = Broker::new;

    Broker create(int brokerId, ClusterMetadata metadata, BrokerConfig config, Storage storage, Clock clock,
                  Transport transport, EventSink events);
}
