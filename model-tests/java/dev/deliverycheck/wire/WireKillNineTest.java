package dev.deliverycheck.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.wire.harness.OurBrokerProcess;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The wire broker as a real process ({@code deliverycheck broker}, a child JVM) killed with
 * {@code kill -9} while a real idempotent KafkaProducer sends with acks=all; a broker restarted
 * on the same {@code --data} must hold every record the client saw acknowledged exactly once, in
 * the order sent, as a real KafkaConsumer reads it. The companion of {@code BrokerKillNineTest},
 * which does the same with the project's own client and no sockets.
 */
class WireKillNineTest {
    private static final String TOPIC = "k9";
    private static final int PARTITIONS = 2;
    private static final long WAIT_MS = 20_000;

    /**
     * Sends increasing ids until {@code killAfter} acknowledgements have arrived, then kills the
     * broker; returns per partition the acknowledged ids.
     */
    private static Map<Integer, List<Long>> sendAndKill(OurBrokerProcess broker, long firstId, int killAfter) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "2000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        Map<Integer, List<Long>> acked = new ConcurrentHashMap<>();
        AtomicInteger ackCount = new AtomicInteger();
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        try {
            long id = firstId;
            long deadline = System.currentTimeMillis() + WAIT_MS;
            while (ackCount.get() < killAfter && System.currentTimeMillis() < deadline) {
                long recordId = id++;
                int partition = (int) (recordId % PARTITIONS);
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(TOPIC, partition, null, value(recordId));
                r.headers().add(new RecordHeader(Record.ID_HEADER, ByteBuffer.allocate(8).putLong(recordId).array()));
                producer.send(r, (md, e) -> {
                    if (e == null) {
                        // Callbacks of one partition run in send order (one I/O thread).
                        acked.computeIfAbsent(partition, k -> new CopyOnWriteArrayList<>()).add(recordId);
                        ackCount.incrementAndGet();
                    }
                });
                if (recordId % 200 == 0) {
                    Thread.yield();
                }
            }
            assertThat(ackCount.get()).as("acknowledgements before the kill").isGreaterThanOrEqualTo(killAfter);
            broker.kill();
        } finally {
            producer.close(Duration.ZERO);
        }
        return acked;
    }

    private static byte[] value(long id) {
        return ("value-" + id).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<Integer, List<Long>> readAll(int port) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        Map<Integer, List<Long>> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                tps.add(new TopicPartition(TOPIC, i));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.currentTimeMillis() + WAIT_MS;
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                assertThat(System.currentTimeMillis()).as("consumer reached the end offsets " + end).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    long id = ByteBuffer.wrap(r.headers().lastHeader(Record.ID_HEADER).value()).getLong();
                    assertThat(r.value()).as("record %d is intact", id).isEqualTo(value(id));
                    out.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(id);
                }
            }
        }
        return out;
    }

    private static void assertAckedOnceInOrder(Map<Integer, List<Long>> acked, Map<Integer, List<Long>> stored) {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            List<Long> log = stored.getOrDefault(partition, List.of());
            assertThat(log).as("partition %d holds no record twice", partition).doesNotHaveDuplicates();
            assertThat(log).as("partition %d is in send order", partition).isSorted();
            List<Long> mine = acked.getOrDefault(partition, List.of());
            assertThat(log).as("partition %d holds every acknowledged record", partition).containsAll(mine);
        }
    }

    @Test
    void everyAcknowledgedRecordSurvivesKillNineOfTheBrokerProcessOnceInOrder() throws Exception {
        Map<Integer, List<Long>> acked = new HashMap<>();
        long firstId = 0;
        // the 'deliverycheck broker' child process (OurBrokerProcess): kill -9, then restart on the same --data
        try (OurBrokerProcess broker = OurBrokerProcess.start(PARTITIONS)) {
            for (int killAfter : new int[] {1, 3000}) {
                if (!broker.running()) {
                    broker.restart();
                }
                sendAndKill(broker, firstId, killAfter).forEach((p, ids) ->
                        acked.computeIfAbsent(p, k -> new ArrayList<>()).addAll(ids));
                broker.kill();
                firstId += 1_000_000;
            }
            broker.restart();
            assertAckedOnceInOrder(acked, readAll(broker.port()));
        }
    }
}
