package dev.deliverycheck.wire.harness;

import dev.deliverycheck.wire.apache.ApacheKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * The broker a run talks to (through the proxy): a broker child process the harness started (a real Apache Kafka
 * broker or deliverycheck's own wire broker), which it may kill -9 and restart, or a broker someone else runs at a
 * bootstrap address, which it only talks to.
 */
public final class Target {
    private final InetSocketAddress address;
    private final ManagedBroker managed;

    private Target(InetSocketAddress address, ManagedBroker managed) {
        this.address = address;
        this.managed = managed;
    }

    public static Target started(ManagedBroker broker) {
        return new Target(new InetSocketAddress("127.0.0.1", broker.port()), broker);
    }

    public static Target started(ApacheKafkaBroker broker) {
        return started(ManagedBroker.of(broker));
    }

    /** A broker at {@code host:port}; throws IllegalArgumentException on a malformed address. */
    public static Target external(String bootstrap) {
        int colon = bootstrap.lastIndexOf(':');
        if (colon <= 0 || colon == bootstrap.length() - 1 || bootstrap.contains(",")) {
            throw new IllegalArgumentException("--target must be apache, ours, or one broker's HOST:PORT, got '" + bootstrap + "'");
        }
        try {
            int port = Integer.parseInt(bootstrap.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new Target(InetSocketAddress.createUnresolved(bootstrap.substring(0, colon), port), null);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--target " + bootstrap + ": the port must be a number from 1 to 65535");
        }
    }

    public InetSocketAddress address() {
        return address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
    }

    public String bootstrap() {
        return address.getHostString() + ":" + address.getPort();
    }

    /** Whether the harness started the broker, and so may crash and restart it. */
    public boolean managed() {
        return managed != null;
    }

    public boolean running() {
        return managed == null || managed.running();
    }

    /** kill -9 the harness's broker (crash-broker). */
    public void crash() {
        requireManaged("crash-broker");
        managed.kill();
    }

    /** Restarts the harness's broker on its data if it is down (restart-broker). */
    public void restartIfDown() {
        if (managed != null && !managed.running()) {
            try {
                managed.restart();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Checks within a few seconds that the address answers as a Kafka broker; IllegalArgumentException otherwise. */
    public void requireReachable() {
        java.util.Map<String, Object> conf = java.util.Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                org.apache.kafka.clients.admin.AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(conf)) {
            admin.describeCluster().nodes().get(6, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalArgumentException("cannot reach a Kafka broker at " + bootstrap() + " within 6 s");
        }
    }

    private void requireManaged(String step) {
        if (managed == null) {
            throw new IllegalArgumentException(step + " needs a broker deliverycheck started (--target apache or ours)");
        }
    }

    @Override
    public String toString() {
        return managed != null ? managed.description() + " at " + bootstrap() : bootstrap();
    }
}
