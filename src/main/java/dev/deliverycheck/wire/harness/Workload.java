package dev.deliverycheck.wire.harness;

import dev.deliverycheck.event.ProducerBeginTxn;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerRestart;
import dev.deliverycheck.explore.Step;
import dev.deliverycheck.wire.observe.ProducerSession;
import dev.deliverycheck.wire.observe.RecordIdInterceptor;
import dev.deliverycheck.wire.observe.Timeline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The client side of a real run: real {@code KafkaProducer} instances (node ids from 100) driven through the
 * schedule's workload steps, with ProducerBeginTxn / ProducerEndTxn / ProducerEndTxnResult / ProducerRestart
 * reported around the calls the caller makes. Keys pick partitions by Kafka's own murmur2 rule. After the steps
 * the run settles: the broker is restarted if down, an open transaction is committed, every producer is flushed
 * and closed. Runs on one thread; {@link #abandon()} may be called from another to stop it.
 */
final class Workload implements ClientWorkload {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final String bootstrap;
    private final ProducerSettings settings;
    private final String transactionalId;
    private final String topic;
    private final int partitions;
    private final Timeline timeline;
    private final Target target;
    private final dev.deliverycheck.wire.proxy.FaultPlan plan;
    private final List<KafkaProducer<String, String>> all = new ArrayList<>();
    private KafkaProducer<String, String> producer;
    private ProducerSession session;
    private boolean inTransaction;
    private int transactions;
    private boolean fenced;
    private volatile Throwable failure;

    Workload(String bootstrap, ProducerSettings settings, String transactionalId, String topic, int partitions,
             Timeline timeline, Target target, dev.deliverycheck.wire.proxy.FaultPlan plan) {
        this.bootstrap = bootstrap;
        this.settings = settings;
        this.transactionalId = transactionalId;
        this.topic = topic;
        this.partitions = partitions;
        this.timeline = timeline;
        this.target = target;
        this.plan = plan;
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
                flush();
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            // After a failure nothing in flight is worth waiting for.
            Duration timeout = failure == null ? CLOSE_TIMEOUT : Duration.ZERO;
            for (KafkaProducer<String, String> p : all) {
                p.close(timeout);
            }
        }
    }

    @Override
    public void abandon() {
        for (KafkaProducer<String, String> p : List.copyOf(all)) {
            p.close(Duration.ZERO);
        }
    }

    private void apply(RealStep realStep) {
        Step step = realStep instanceof RealStep.Workload w ? w.step() : null;
        if (step instanceof Step.Send s) {
            send(s.key());
        } else if (step instanceof Step.Flush) {
            flush();
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
        } else if (realStep instanceof RealStep.AwaitRequest a) {
            ClientWorkload.awaitRequest(plan, a);
        }
        // a ProxyFault was armed in the proxy before the run
    }

    private void open(int node) {
        session = new ProducerSession(node, timeline);
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
        producer = new KafkaProducer<>(conf);
        all.add(producer);
        inTransaction = false;
        transactions = 0;
        fenced = false;
        if (transactionalId != null) {
            producer.initTransactions();
        }
    }

    private void send(String key) {
        if (fenced) {
            return;
        }
        if (transactionalId != null && !inTransaction) {
            begin();
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int partition = Utils.toPositive(Utils.murmur2(bytes)) % partitions;
        try {
            producer.send(new ProducerRecord<>(topic, partition, key, "v-" + key));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // No metadata within max.block.ms: the proxy is up, so the broker behind it no longer answers.
            throw new BrokerGone(e.getMessage());
        } catch (KafkaException e) {
            // reported by the interceptor as ProducerSendFailed; a fatal error ends this instance
            fenced |= e instanceof ProducerFencedException;
        }
    }

    private void flush() {
        if (!fenced) {
            producer.flush();
        }
    }

    private void begin() {
        if (transactionalId == null || inTransaction || fenced) {
            return;
        }
        producer.beginTransaction();
        inTransaction = true;
        session.transactionIndex(transactions);
        // ProducerBeginTxn
        timeline.add(new ProducerBeginTxn(session.producer(), transactions));
    }

    private void endTransaction(boolean commit) {
        if (!inTransaction || fenced) {
            return;
        }
        int index = transactions++;
        inTransaction = false;
        // ProducerEndTxn: the client does not expose its producer id and epoch; -1 says so.
        timeline.add(new ProducerEndTxn(session.producer(), transactionalId, -1, (short) -1, index, commit));
        try {
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
            timeline.add(new ProducerEndTxnResult(session.producer(), index, commit, null, -1, (short) -1));
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            timeline.add(new ProducerEndTxnResult(session.producer(), index, commit, e.getClass().getSimpleName(), -1, (short) -1));
            fenced = true;
        } catch (KafkaException e) {
            timeline.add(new ProducerEndTxnResult(session.producer(), index, commit, e.getClass().getSimpleName(), -1, (short) -1));
            if (commit) {
                abortAfterFailedCommit(index);
            }
        }
    }

    private void abortAfterFailedCommit(int index) {
        try {
            producer.abortTransaction();
            timeline.add(new ProducerEndTxnResult(session.producer(), index, false, null, -1, (short) -1));
        } catch (KafkaException e) {
            timeline.add(new ProducerEndTxnResult(session.producer(), index, false, e.getClass().getSimpleName(), -1, (short) -1));
            fenced = true;
        }
    }

    /**
     * ProducerRestart: a new instance takes over. With a transactional.id the new one initialises (fencing the old
     * one) and the old one, now a zombie, tries to write one record and commit; without, the old one is closed.
     */
    private void restartProducer() {
        KafkaProducer<String, String> old = producer;
        ProducerSession oldSession = session;
        boolean oldInTransaction = inTransaction;
        boolean oldFenced = fenced;
        int oldTransactions = transactions;
        if (transactionalId == null) {
            old.close(CLOSE_TIMEOUT);
        }
        open(oldSession.producer() + 1);
        timeline.add(new ProducerRestart(oldSession.producer(), session.producer(), transactionalId));
        if (transactionalId != null && !oldFenced) {
            zombieWrites(old, oldSession, oldInTransaction, oldTransactions);
        }
    }

    private void zombieWrites(KafkaProducer<String, String> zombie, ProducerSession zombieSession, boolean open, int index) {
        KafkaProducer<String, String> current = producer;
        ProducerSession currentSession = session;
        boolean currentIn = inTransaction;
        int currentTransactions = transactions;
        producer = zombie;
        session = zombieSession;
        inTransaction = open;
        transactions = index;
        fenced = false;
        try {
            send("zombie");
            endTransaction(true);
        } catch (KafkaException e) {
            // the zombie is fenced somewhere along the way: exactly what must happen
        } finally {
            producer = current;
            session = currentSession;
            inTransaction = currentIn;
            transactions = currentTransactions;
            fenced = false;
        }
    }
}
