import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.local.KafkaStyleProducer;
import dev.deliverycheck.local.LocalCluster;
import dev.deliverycheck.local.TrafficListener;
import dev.deliverycheck.producer.ByteArraySerializer;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.ProducerRecord;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.sim.SimulatedDisk;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process pipeline of {@code bench pipeline} (LocalCluster, one broker, 16 partitions, 100-byte values with the
 * record-id header, idempotent acks=all, linger.ms 5, batch.size 16384, sending as fast as send() returns), measured
 * per fixed number of records instead of per time window: records/s over the whole run (send to the last
 * acknowledgement), the process's CPU time per record and the GC pauses. CPU per record varies far less with the
 * machine's load than records/s, so it is what an A/B of two builds on a shared machine can compare. One unreported
 * warm-up round first. Usage (from the project root, after {@code mvn -B -q -DskipTests package}):
 * <pre>java -XX:+UseParallelGC -cp target/deliverycheck.jar scripts/InProcessPipeline.java [ROUNDS] [RECORDS]</pre>
 */
public final class InProcessPipeline {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        ProducerConfig config = ProducerConfig.of(Map.of(ProducerConfig.LINGER_MS_CONFIG, 5L,
                ProducerConfig.BATCH_SIZE_CONFIG, 16384));
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int round = 0; round <= rounds; round++) {
            long gcMs = -gcMillis();
            long gcs = -gcCount();
            long cpuNs = -os.getProcessCpuTime();
            long wallNs = -System.nanoTime();
            AtomicLong acked = new AtomicLong();
            try (LocalCluster cluster = new LocalCluster(ClusterMetadata.of(1, "bench", 16), BrokerConfig.DEFAULT,
                    b -> new SimulatedDisk(), EventSink.NONE, TrafficListener.NONE)) {
                KafkaStyleProducer<byte[], byte[]> producer = cluster.newProducer(config, new ByteArraySerializer(),
                        new ByteArraySerializer(), 1L);
                byte[] value = new byte[100];
                for (long id = 0; id < records; id++) {
                    producer.send(new ProducerRecord<>("bench", null, null, value,
                            List.of(dev.deliverycheck.protocol.Record.idHeader(id))), (metadata, error) -> {
                                if (error == null) {
                                    acked.incrementAndGet();
                                }
                            });
                }
                producer.flush();
            }
            wallNs += System.nanoTime();
            cpuNs += os.getProcessCpuTime();
            gcMs += gcMillis();
            gcs += gcCount();
            if (acked.get() != records) {
                throw new IllegalStateException("only " + acked.get() + " of " + records + " records acknowledged");
            }
            if (round > 0) {
                System.out.printf(Locale.ROOT, "round %d: %.0f records/s, %.2f us CPU/record, GC %d ms in %d pauses, "
                                + "load %s%n", round, records / (wallNs / 1e9), cpuNs / 1e3 / records, gcMs, gcs,
                        Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            }
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .sum();
    }
}
