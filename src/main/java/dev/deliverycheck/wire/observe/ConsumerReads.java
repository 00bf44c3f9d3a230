package dev.deliverycheck.wire.observe;

import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The readers of a settled run: a real {@code KafkaConsumer} (assign, no group) per isolation level reads every
 * partition from the start to its end (the high watermark, or for read_committed the last stable offset) and
 * reports one ConsumerFetch per partition with the record ids it saw and their offsets.
 */
public final class ConsumerReads {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private ConsumerReads() {
    }

    /** One ConsumerFetch per partition; throws IllegalStateException when the end is not reached in time. */
    public static List<ConsumerFetch> read(String bootstrap, List<TopicPartition> partitions, IsolationLevel isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.name().toLowerCase(Locale.ROOT));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<org.apache.kafka.common.TopicPartition> kafkaPartitions = new ArrayList<>();
        partitions.forEach(tp -> kafkaPartitions.add(new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition())));
        Map<org.apache.kafka.common.TopicPartition, List<Long>> offsets = new HashMap<>();
        Map<org.apache.kafka.common.TopicPartition, List<Long>> ids = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(kafkaPartitions);
            consumer.seekToBeginning(kafkaPartitions);
            Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(kafkaPartitions);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!reachedEnd(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + partitions + " " + isolation + " did not reach the end in "
                            + DEADLINE.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Long id = RecordIdInterceptor.recordId(r.headers());
                    if (id != null) {
                        var tp = new org.apache.kafka.common.TopicPartition(r.topic(), r.partition());
                        offsets.computeIfAbsent(tp, k -> new ArrayList<>()).add(r.offset());
                        ids.computeIfAbsent(tp, k -> new ArrayList<>()).add(id);
                    }
                }
            }
        }
        List<ConsumerFetch> fetches = new ArrayList<>();
        for (int i = 0; i < partitions.size(); i++) {
            var tp = kafkaPartitions.get(i);
            fetches.add(new ConsumerFetch(partitions.get(i), isolation, offsets.getOrDefault(tp, List.of()),
                    ids.getOrDefault(tp, List.of())));
        }
        return fetches;
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer,
                                      Map<org.apache.kafka.common.TopicPartition, Long> ends) {
        for (var e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
