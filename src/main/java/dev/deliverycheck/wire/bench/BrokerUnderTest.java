package dev.deliverycheck.wire.bench;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.sim.SimulatedDisk;
import dev.deliverycheck.wire.WireBroker;
import dev.deliverycheck.wire.WireServer;
import dev.deliverycheck.wire.apache.ApacheKafkaBroker;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The broker a benchmark measures: a real Apache Kafka 4.4 broker child process ({@code apache}) or
 * deliverycheck's wire broker in this JVM on an in-memory disk ({@code ours}), on a loopback port.
 *
 * <p>Invariant: {@link #close()} stops what {@link #start} started (the child process, or the server and its
 * broker thread); every wait is bounded.
 */
public final class BrokerUnderTest implements AutoCloseable {
    /** The names {@code --target} accepts. */
    public static final List<String> TARGETS = List.of("apache", "ours");
    private static final int ADMIN_TIMEOUT_S = 30;

    private final String target;
    private final String bootstrap;
    private final AutoCloseable[] owned;

    private BrokerUnderTest(String target, String bootstrap, AutoCloseable... owned) {
        this.target = target;
        this.bootstrap = bootstrap;
        this.owned = owned;
    }

    /** Starts the broker named {@code target} ("apache" or "ours"). */
    public static BrokerUnderTest start(String target) throws IOException {
        switch (target) {
            case "apache": {
                ApacheKafkaBroker b = ApacheKafkaBroker.start();
                return new BrokerUnderTest(target, b.bootstrap(), b);
            }
            case "ours": {
                // The topic's partition count comes from CreateTopics; 1 is only the default for others.
                WireBroker broker = new WireBroker(new SimulatedDisk(), BrokerConfig.DEFAULT, 1, 2, EventSink.NONE);
                try {
                    WireServer server = new WireServer(broker, 0);
                    return new BrokerUnderTest(target, "127.0.0.1:" + server.port(), server, broker);
                } catch (IOException | RuntimeException e) {
                    broker.close();
                    throw e;
                }
            }
            default:
                throw new IllegalArgumentException("unknown target '" + target + "' (valid: " + String.join(", ", TARGETS) + ")");
        }
    }

    /** "apache" or "ours". */
    public String target() {
        return target;
    }

    /** What the broker is, for reports. */
    public String description() {
        return target.equals("apache") ? "Apache Kafka 4.4 (KRaft, one node, child process)"
                : "deliverycheck wire broker (in-process, in-memory disk)";
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** Creates {@code topic} with {@code partitions} partitions (once) and returns its topic id. */
    public Uuid createTopic(String topic, int partitions) throws IOException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
                        .get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IOException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
                }
            }
            // A fresh topic's leaders may not serve for a moment: describe until every partition has one.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ADMIN_TIMEOUT_S);
            while (true) {
                var d = admin.describeTopics(List.of(topic)).allTopicNames().get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS).get(topic);
                if (d.partitions().size() == partitions && d.partitions().stream().allMatch(p -> p.leader() != null)
                        && served(admin, topic, partitions)) {
                    return d.topicId();
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(String.format(Locale.ROOT, "topic %s has no leader for every partition after %d s",
                            topic, ADMIN_TIMEOUT_S));
                }
                Thread.onSpinWait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot describe topic " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Whether every partition's leader answers ListOffsets (a fresh real broker may not serve at once). */
    private static boolean served(Admin admin, String topic, int partitions) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> all = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            all.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try {
            admin.listOffsets(all).all().get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                // keep closing the rest: a broker left running is worse than a lost close error
            }
        }
    }
}
