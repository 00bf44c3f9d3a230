package dev.deliverycheck.wire.harness;

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
import dev.deliverycheck.wire.proxy.FaultPlan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client side of a real run with deliverycheck's own producer on the wire ({@link WireProducer}): the same
 * steps and settling as the real client's {@link Workload} ({@link SteppedWorkload}), the same partition for each key (Kafka's murmur2), and
 * the history side the real client's interceptor gives comes from the producer's own events (ProducerSend, Acked,
 * Failed, the transactional events with its real producer id and epoch); only ProducerRestart is reported here.
 */
final class OurWorkload extends SteppedWorkload<OurWorkload.Instance> {
    private static final Duration BOOTSTRAP_TIMEOUT = Duration.ofSeconds(10);
    /** Settings of the harness's timeouts that only the real client has (it reconnects with a backoff; ours retries). */
    private static final Set<String> REAL_CLIENT_ONLY = Set.of("reconnect.backoff.ms", "reconnect.backoff.max.ms");

    private final String bootstrap;
    private final ProducerConfig config;

    /** One producer instance on the wire and its node id. */
    record Instance(WireProducer<String, String> producer, int node) {
    }

    OurWorkload(String bootstrap, ProducerSettings settings, String transactionalId, String topic, int partitions,
                Timeline timeline, Target target, FaultPlan plan) {
        this(bootstrap, config(settings, transactionalId), topic, partitions, timeline, target, plan);
    }

    private OurWorkload(String bootstrap, ProducerConfig config, String topic, int partitions, Timeline timeline,
                        Target target, FaultPlan plan) {
        super(config.transactionalId(), topic, partitions, timeline, target, plan);
        this.bootstrap = bootstrap;
        this.config = config;
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
    protected Instance connect(int nodeId) {
        try {
            return new Instance(WireProducer.connect(bootstrap, nodeId, config, new StringSerializer(),
                    new StringSerializer(), ClusterMetadata.of(1, topic, partitions), nodeId, timeline::add,
                    BOOTSTRAP_TIMEOUT), nodeId);
        } catch (KafkaClientException e) {
            throw new BrokerGone(e.getMessage());
        }
    }

    @Override
    protected int node(Instance instance) {
        return instance.node();
    }

    @Override
    protected void close(Instance instance, Duration timeout) {
        instance.producer().close(timeout);
    }

    @Override
    protected void flush(Instance instance) {
        instance.producer().flush();
    }

    @Override
    protected void initTransactions(Instance instance) {
        instance.producer().initTransactions();
    }

    @Override
    protected void send(Instance instance, int partition, String key) {
        try {
            instance.producer().send(new ProducerRecord<>(topic, partition, key, "v-" + key,
                    List.of(Record.idHeader(timeline.nextRecordId()))));
        } catch (ProducerException e) {
            // the producer reported ProducerSendFailed; a fatal error ends this instance
            if (e instanceof ProducerFencedException) {
                fence();
            }
        }
    }

    @Override
    protected void beginTransaction(Instance instance) {
        instance.producer().beginTransaction(); // ProducerBeginTxn, emitted by the producer
    }

    @Override
    protected void endTransaction(Instance instance, boolean commit) {
        WireProducer<String, String> producer = instance.producer();
        try {
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        } catch (ProducerFencedException e) {
            fence();
        } catch (ProducerException e) {
            if (commit) {
                try {
                    producer.abortTransaction();
                } catch (ProducerException again) {
                    fence();
                }
            }
        }
    }

    @Override
    protected boolean fencingOfZombie(RuntimeException e) {
        return true;
    }
}
