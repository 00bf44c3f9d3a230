package dev.deliverycheck.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.log.RecoveryReport;
import dev.deliverycheck.broker.storage.FileStorage;
import dev.deliverycheck.env.SystemClock;
import dev.deliverycheck.event.BrokerRecoverPartition;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.FetchRequest;
import dev.deliverycheck.protocol.FetchResponse;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's real-process crash test: a child JVM ({@link KillNineChild}) runs a broker on files
 * and an idempotent acks=all client; it is killed with {@code kill -9} at several moments; a fresh
 * broker opened on the same directory must hold every acknowledged record exactly once, and serve
 * no corrupt data.
 */
class BrokerKillNineTest {
    private static final Pattern ACK = Pattern.compile("ACK (\\d+) \\.");
    private static final long CHILD_TIMEOUT_MS = 15_000;

    @TempDir
    Path temp;

    /**
     * Runs the child until it has acknowledged at least {@code killAfterAcks} records, kills it with
     * {@code destroyForcibly()} (SIGKILL), and returns every id it acknowledged before dying. The
     * child's stdout goes to a file, so lines written just before the kill are not lost.
     */
    private static Set<Long> runAndKill(Path dir, long firstId, int killAfterAcks) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stdout = Files.createTempFile(dir.getParent(), "child", ".out");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KillNineChild.class.getName(), dir.toString(), Long.toString(firstId));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.redirectOutput(stdout.toFile());
        Process child = pb.start();
        long deadline = System.currentTimeMillis() + CHILD_TIMEOUT_MS;
        try {
            while (child.isAlive() && acked(stdout).size() < killAfterAcks && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).as("the child was killed, it did not fail on its own").isNotEqualTo(3);
        Set<Long> acked = acked(stdout);
        assertThat(acked).as("the child acknowledged records before the kill").isNotEmpty();
        return acked;
    }

    private static Set<Long> acked(Path stdout) throws IOException {
        Set<Long> ids = new HashSet<>();
        for (String line : new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8).split("\n")) {
            Matcher m = ACK.matcher(line);
            if (m.matches()) {
                ids.add(Long.parseLong(m.group(1)));
            }
        }
        return ids;
    }

    /** Opens the directory with a fresh broker and reads every partition. */
    private static Map<Long, Integer> reopenAndCount(Path dir, List<RecoveryReport> reports, List<Event> events) {
        FileStorage storage = new FileStorage(dir);
        try {
            Broker broker = new Broker(0, KillNineChild.metadata(), KillNineChild.config(), storage,
                    SystemClock.INSTANCE, (d, m) -> { }, events::add);
            Map<Long, Integer> counts = new HashMap<>();
            for (TopicPartition tp : KillNineChild.metadata().partitionsFor(KillNineChild.TOPIC)) {
                reports.add(broker.recoveryReport(tp));
                FetchResponse r = broker.fetch(new FetchRequest(1, tp, 0, Integer.MAX_VALUE,
                        IsolationLevel.READ_UNCOMMITTED));
                assertThat(r.error()).isEqualTo(Errors.NONE);
                assertThat(r.highWatermark()).isEqualTo(broker.logEndOffset(tp));
                for (FetchResponse.FetchedRecord f : r.records()) {
                    long id = f.record().recordId();
                    assertThat(f.record().value()).as("record %d is intact", id).isEqualTo(KillNineChild.value(id));
                    counts.merge(id, 1, Integer::sum);
                }
            }
            return counts;
        } finally {
            storage.close();
        }
    }

    private static void assertExactlyOnce(Set<Long> acked, Map<Long, Integer> counts) {
        List<Long> missing = new ArrayList<>();
        for (long id : acked) {
            if (!counts.containsKey(id)) {
                missing.add(id);
            }
        }
        assertThat(missing).as("acknowledged records missing after kill -9").isEmpty();
        assertThat(counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("records stored twice").isEmpty();
    }

    @Test
    void everyAcknowledgedRecordSurvivesKillNineExactlyOnce() throws Exception {
        for (int killAfter : new int[] {1, 300, 4000}) {
            Path dir = temp.resolve("kill-after-" + killAfter);
            Set<Long> acked = runAndKill(dir, 0, killAfter);
            List<RecoveryReport> reports = new ArrayList<>();
            List<Event> events = new ArrayList<>();
            Map<Long, Integer> counts = reopenAndCount(dir, reports, events);
            assertExactlyOnce(acked, counts);
            assertThat(reports).allSatisfy(r -> assertThat(r.corruptionInMiddle()).isFalse());
            assertThat(events).filteredOn(e -> e instanceof BrokerRecoverPartition).hasSize(2);
        }
    }

    @Test
    void aRestartedProcessKilledAgainKeepsBothRunsAcknowledgements() throws Exception {
        Path dir = temp.resolve("twice");
        Set<Long> acked = new HashSet<>(runAndKill(dir, 0, 700));
        acked.addAll(runAndKill(dir, 1_000_000_000L, 1500));
        Map<Long, Integer> counts = reopenAndCount(dir, new ArrayList<>(), new ArrayList<>());
        assertExactlyOnce(acked, counts);
        assertThat(acked.stream().anyMatch(id -> id >= 1_000_000_000L)).isTrue();
        assertThat(Arrays.stream(new FileStorage(dir).list("snapshot/").toArray()).count())
                .as("segment rolls wrote producer-state snapshots").isPositive();
    }
}
