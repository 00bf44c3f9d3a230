package dev.deliverycheck.wire.harness;

import dev.deliverycheck.wire.apache.ApacheKafkaBroker;
import java.io.IOException;

/**
 * A broker child process the harness started and owns, so crash-broker and restart-broker can act on it: a real
 * Apache Kafka broker or deliverycheck's own wire broker. It listens on 127.0.0.1 at {@link #port()}, which stays
 * the same across restarts, and restarts on the same data.
 */
public interface ManagedBroker extends AutoCloseable {
    int port();

    boolean running();

    /** kill -9; returns once the process is gone. */
    void kill();

    /** Starts the broker again on the same data and port (killing it first if it still runs). */
    void restart() throws IOException;

    /** Stops the process and deletes its data. */
    @Override
    void close();

    /** What the broker is, for messages, e.g. "Apache Kafka 4.4". */
    String description();

    /** The Apache Kafka broker child process as a managed broker. */
    static ManagedBroker of(ApacheKafkaBroker broker) {
        return new ManagedBroker() {
            @Override
            public int port() {
                return broker.port();
            }

            @Override
            public boolean running() {
                return broker.running();
            }

            @Override
            public void kill() {
                broker.kill();
            }

            @Override
            public void restart() throws IOException {
                broker.restart();
            }

            @Override
            public void close() {
                broker.close();
            }

            @Override
            public String description() {
                return "Apache Kafka 4.4";
            }
        };
    }
}
