package dev.deliverycheck.wire.harness;

import dev.deliverycheck.explore.Step;
import dev.deliverycheck.wire.proxy.FaultPlan;

import dev.deliverycheck.event.ProducerRestart;
import dev.deliverycheck.producer.ConfigException;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.ProducerRecord;
import dev.deliverycheck.producer.StringSerializer;
import dev.deliverycheck.producer.errors.ProducerException;
import dev.deliverycheck.producer.errors.ProducerFencedException;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.wire.client.KafkaClientException;
import dev.deliverycheck.wire.client.WireProducer;
import dev.deliverycheck.wire.observe.Timeline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;

/**
 * The client side of a real run with deliverycheck's own producer on the wire ({@link WireProducer}): the same
 * steps and settling as the real client's {@link Workload}, the same partition for each key (Kafka's murmur2), and
 * the history side the real client's interceptor gives comes from the producer's own events (ProducerSend, Acked,
 * Failed, the transactional events with its real producer id and epoch); only ProducerRestart is reported here.
 */
final class OurWorkload implements ClientWorkload {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration BOOTSTRAP_TIMEOUT = Duration.ofSeconds(10);
    /** Settings of the harness's timeouts that only the real client has (it reconnects with a backoff; ours retries). */
    private static final Set<String> REAL_CLIENT_ONLY = Set.of("reconnect.backoff.ms", "reconnect.backoff.max.ms");

    private final String bootstrap;
    private final ProducerConfig config;
    private final String topic;
    private final int partitions;
    private final Timeline timeline;
    private final Target target;
    private final FaultPlan plan;
    private final List<WireProducer<String, String>> all = new ArrayList<>();
    private WireProducer<String, String> producer;
    private int node;
    private boolean inTransaction;
    private boolean fenced;
    private volatile boolean abandoned;
    private volatile Throwable failure;

    OurWorkload(String bootstrap, ProducerSettings settings, String transactionalId, String topic, int partitions,
                Timeline timeline, Target target, FaultPlan plan) {
        this.bootstrap = bootstrap;
        this.plan = plan;
        this.config = config(settings, transactionalId);
        this.topic = topic;
        this.partitions = partitions;
        this.timeline = timeline;
        this.target = target;
    }

    /**
     * The settings as deliverycheck's {@link ProducerConfig} (Kafka's names), with {@code transactionalId} for the
     * run; IllegalArgumentException naming the setting when our producer does not take one.
     */
    static ProducerConfig config(ProducerSettings settings, String transactionalId) {
        Map<String, Object> conf = new LinkedHashMap<>();
        settings.settings().forEach((k, v) -> {
            if (!REAL_CLIENT_ONLY.contains(k)) {
                conf.put(k, v);
            }
        });
        if (transactionalId != null) {
            conf.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        try {
            return new ProducerConfig(conf);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("deliverycheck's producer cannot take " + settings.source() + ": "
                    + e.getMessage());
        }
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public void runAndSettle(List<RealStep> steps) {
        try {
            open(100);
            for (RealStep step : steps) {
                apply(step);
            }
            target.restartIfDown();
            if (inTransaction && !fenced) {
                endTransaction(true);
            }
            if (!fenced) {
                producer.flush();
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            Duration timeout = failure == null ? CLOSE_TIMEOUT : Duration.ZERO;
            for (WireProducer<String, String> p : snapshot()) {
                p.close(timeout);
            }
        }
    }

    private synchronized List<WireProducer<String, String>> snapshot() {
        return List.copyOf(all);
    }

    @Override
    public void abandon() {
        abandoned = true;
        for (WireProducer<String, String> p : snapshot()) {
            p.close(Duration.ZERO);
        }
    }

    private void apply(RealStep realStep) {
        if (realStep instanceof RealStep.AwaitRequest a) {
            ClientWorkload.awaitRequest(plan, a);
            return;
        }
        Step step = realStep instanceof RealStep.Workload w ? w.step() : null;
        if (step instanceof Step.Send s) {
            send(s.key());
        } else if (step instanceof Step.Flush) {
            if (!fenced) {
                producer.flush();
            }
        } else if (step instanceof Step.BeginTxn) {
            begin();
        } else if (step instanceof Step.CommitTxn) {
            endTransaction(true);
        } else if (step instanceof Step.AbortTxn) {
            endTransaction(false);
        } else if (step instanceof Step.RestartProducer) {
            restartProducer();
        } else if (step instanceof Step.CrashBroker) {
            target.crash();
        } else if (step instanceof Step.RestartBroker) {
            target.restartIfDown();
        }
        // a ProxyFault was armed in the proxy before the run
    }

    private void open(int nodeId) {
        if (abandoned) {
            throw new IllegalStateException("the run was abandoned");
        }
        WireProducer<String, String> p;
        try {
            p = WireProducer.connect(bootstrap, nodeId, config, new StringSerializer(), new StringSerializer(),
                    ClusterMetadata.of(1, topic, partitions), nodeId, timeline::add, BOOTSTRAP_TIMEOUT);
        } catch (KafkaClientException e) {
            throw new BrokerGone(e.getMessage());
        }
        synchronized (this) {
            all.add(p);
        }
        producer = p;
        node = nodeId;
        inTransaction = false;
        fenced = false;
        if (config.transactional()) {
            producer.initTransactions();
        }
    }

    private void send(String key) {
        if (fenced) {
            return;
        }
        if (config.transactional() && !inTransaction) {
            begin();
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int partition = Utils.toPositive(Utils.murmur2(bytes)) % partitions;
        try {
            producer.send(new ProducerRecord<>(topic, partition, key, "v-" + key,
                    List.of(Record.idHeader(timeline.nextRecordId()))));
        } catch (ProducerException e) {
            // the producer reported ProducerSendFailed; a fatal error ends this instance
            fenced |= e instanceof ProducerFencedException;
        }
    }

    private void begin() {
        if (!config.transactional() || inTransaction || fenced) {
            return;
        }
        producer.beginTransaction(); // ProducerBeginTxn, emitted by the producer
        inTransaction = true;
    }

    private void endTransaction(boolean commit) {
        if (!inTransaction || fenced) {
            return;
        }
        inTransaction = false;
        try {
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        } catch (ProducerFencedException e) {
            fenced = true;
        } catch (ProducerException e) {
            if (commit) {
                try {
                    producer.abortTransaction();
                } catch (ProducerException again) {
                    fenced = true;
                }
            }
        }
    }

    /** ProducerRestart, as the real client's workload does it (see {@link Workload}). */
    private void restartProducer() {
        WireProducer<String, String> old = producer;
        int oldNode = node;
        boolean oldInTransaction = inTransaction;
        boolean oldFenced = fenced;
        if (!config.transactional()) {
            old.close(CLOSE_TIMEOUT);
        }
        open(oldNode + 1);
        timeline.add(new ProducerRestart(oldNode, node, config.transactionalId()));
        if (config.transactional() && !oldFenced) {
            WireProducer<String, String> current = producer;
            boolean currentIn = inTransaction;
            producer = old;
            inTransaction = oldInTransaction;
            fenced = false;
            try {
                send("zombie");
                endTransaction(true);
            } catch (RuntimeException e) {
                // the zombie is fenced somewhere along the way: exactly what must happen
            } finally {
                producer = current;
                inTransaction = currentIn;
                fenced = false;
            }
        }
    }
}
