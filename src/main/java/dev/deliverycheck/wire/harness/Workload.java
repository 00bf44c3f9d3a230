package dev.deliverycheck.wire.harness;

import dev.deliverycheck.event.ProducerBeginTxn;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.wire.observe.ProducerSession;
import dev.deliverycheck.wire.observe.RecordIdInterceptor;
import dev.deliverycheck.wire.observe.Timeline;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The client side of a real run: real {@code KafkaProducer} instances (node ids from 100) driven through the
 * schedule's workload steps ({@link SteppedWorkload}), with ProducerBeginTxn / ProducerEndTxn /
 * ProducerEndTxnResult reported around the calls the workload makes (the client's interceptor reports the sends).
 * Runs on one thread; {@link #abandon()} may be called from another to stop it.
 */
final class Workload extends SteppedWorkload<Workload.Instance> {
    private final String bootstrap;
    private final ProducerSettings settings;

    /** One KafkaProducer, the session its interceptor reports into, and how many transactions it began. */
    static final class Instance {
        final KafkaProducer<String, String> producer;
        final ProducerSession session;
        int transactions;

        Instance(KafkaProducer<String, String> producer, ProducerSession session) {
            this.producer = producer;
            this.session = session;
        }
    }

    Workload(String bootstrap, ProducerSettings settings, String transactionalId, String topic, int partitions,
             Timeline timeline, Target target, dev.deliverycheck.wire.proxy.FaultPlan plan) {
        super(transactionalId, topic, partitions, timeline, target, plan);
        this.bootstrap = bootstrap;
        this.settings = settings;
    }

    @Override
    protected Instance connect(int node) {
        ProducerSession session = new ProducerSession(node, timeline);
        Map<String, Object> conf = new HashMap<>(settings.settings());
        conf.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        conf.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        conf.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        conf.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, RecordIdInterceptor.class.getName());
        conf.put(ProducerConfig.CLIENT_ID_CONFIG, "deliverycheck-" + node);
        conf.put(ProducerSession.CONFIG, session);
        if (transactionalId != null) {
            conf.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new Instance(new KafkaProducer<>(conf), session);
    }

    @Override
    protected int node(Instance instance) {
        return instance.session.producer();
    }

    @Override
    protected void close(Instance instance, Duration timeout) {
        instance.producer.close(timeout);
    }

    @Override
    protected void flush(Instance instance) {
        instance.producer.flush();
    }

    @Override
    protected void initTransactions(Instance instance) {
        instance.producer.initTransactions();
    }

    @Override
    protected void send(Instance instance, int partition, String key) {
        try {
            instance.producer.send(new ProducerRecord<>(topic, partition, key, "v-" + key));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // No metadata within max.block.ms: the proxy is up, so the broker behind it no longer answers.
            throw new BrokerGone(e.getMessage());
        } catch (KafkaException e) {
            // reported by the interceptor as ProducerSendFailed; a fatal error ends this instance
            if (e instanceof ProducerFencedException) {
                fence();
            }
        }
    }

    @Override
    protected void beginTransaction(Instance instance) {
        instance.producer.beginTransaction();
        instance.session.transactionIndex(instance.transactions);
        // ProducerBeginTxn
        timeline.add(new ProducerBeginTxn(instance.session.producer(), instance.transactions));
    }

    @Override
    protected void endTransaction(Instance instance, boolean commit) {
        int index = instance.transactions++;
        int node = instance.session.producer();
        // ProducerEndTxn: the client does not expose its producer id and epoch; -1 says so.
        timeline.add(new ProducerEndTxn(node, transactionalId, -1, (short) -1, index, commit));
        try {
            if (commit) {
                instance.producer.commitTransaction();
            } else {
                instance.producer.abortTransaction();
            }
            timeline.add(new ProducerEndTxnResult(node, index, commit, null, -1, (short) -1));
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            timeline.add(new ProducerEndTxnResult(node, index, commit, e.getClass().getSimpleName(), -1, (short) -1));
            fence();
        } catch (KafkaException e) {
            timeline.add(new ProducerEndTxnResult(node, index, commit, e.getClass().getSimpleName(), -1, (short) -1));
            if (commit) {
                abortAfterFailedCommit(instance, index);
            }
        }
    }

    private void abortAfterFailedCommit(Instance instance, int index) {
        int node = instance.session.producer();
        try {
            instance.producer.abortTransaction();
            timeline.add(new ProducerEndTxnResult(node, index, false, null, -1, (short) -1));
        } catch (KafkaException e) {
            timeline.add(new ProducerEndTxnResult(node, index, false, e.getClass().getSimpleName(), -1, (short) -1));
            fence();
        }
    }

    @Override
    protected boolean fencingOfZombie(RuntimeException e) {
        return e instanceof KafkaException;
    }
}
