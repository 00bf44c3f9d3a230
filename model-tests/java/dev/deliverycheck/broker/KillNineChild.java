package dev.deliverycheck.broker;

import dev.deliverycheck.broker.storage.FileStorage;
import dev.deliverycheck.env.SystemClock;
import dev.deliverycheck.env.Transport;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The process that {@link BrokerKillNineTest} kills: a broker on {@link FileStorage} in the
 * directory given as first argument, and a minimal idempotent acks=all client loop written
 * against the protocol. It prints {@code ACK <id> .} for every record whose produce response
 * arrived, and it resends every seventh request as if its answer had been lost (the broker must
 * answer the resend as a duplicate, with the original offsets). Record ids start at the second
 * argument; the value of record {@code id} is {@code value-<id>} so the parent can spot corruption.
 */
public final class KillNineChild {
    static final String TOPIC = "crash";
    static final int PARTITIONS = 2;
    static final int CLIENT = 100;
    static final int SEGMENT_BYTES = 8192;

    private KillNineChild() {
    }

    static ClusterMetadata metadata() {
        return ClusterMetadata.of(1, TOPIC, PARTITIONS);
    }

    static BrokerConfig config() {
        return BrokerConfig.DEFAULT.withLogSegmentBytes(SEGMENT_BYTES);
    }

    static byte[] value(long id) {
        return ("value-" + id).getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long nextId = Long.parseLong(args[1]);
        Deque<Message> inbox = new ArrayDeque<>();
        Transport transport = (destination, message) -> {
            if (destination == CLIENT) {
                inbox.add(message);
            }
        };
        Broker broker = new Broker(0, metadata(), config(), new FileStorage(dir), SystemClock.INSTANCE, transport,
                e -> { });
        broker.receive(CLIENT, new InitProducerIdRequest(0, null, 60_000));
        InitProducerIdResponse init = (InitProducerIdResponse) inbox.poll();
        if (init == null || init.error() != Errors.NONE) {
            fail("no producer id: " + init);
        }
        int[] sequences = new int[PARTITIONS];
        Map<Integer, ProduceRequest> inFlight = new HashMap<>();
        Map<Integer, Integer> resendOf = new HashMap<>();
        Map<Integer, ProduceResponse> answered = new HashMap<>();
        int correlationId = 1;
        StringBuilder acks = new StringBuilder();
        while (true) {
            for (int r = 0; r < 3; r++) {
                List<RecordBatch> batches = new ArrayList<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    List<Record> records = new ArrayList<>();
                    int count = 1 + (int) (nextId % 5);
                    for (int i = 0; i < count; i++) {
                        long id = nextId++;
                        records.add(Record.withId(id, id, null, value(id)));
                    }
                    batches.add(new RecordBatch(new TopicPartition(TOPIC, p), init.producerId(), init.producerEpoch(),
                            sequences[p], false, null, records));
                    sequences[p] += count;
                }
                ProduceRequest request = new ProduceRequest(correlationId++, null, (short) -1, 30_000, batches);
                inFlight.put(request.correlationId(), request);
                broker.receive(CLIENT, request);
                if (request.correlationId() % 7 == 0) {
                    ProduceRequest resend = new ProduceRequest(correlationId++, null, (short) -1, 30_000, batches);
                    resendOf.put(resend.correlationId(), request.correlationId());
                    broker.receive(CLIENT, resend);
                }
            }
            broker.poll();
            for (Message m = inbox.poll(); m != null; m = inbox.poll()) {
                ProduceResponse response = (ProduceResponse) m;
                Integer original = resendOf.remove(response.correlationId());
                if (original != null) {
                    ProduceResponse first = answered.remove(original);
                    if (first == null || !response.results().equals(first.results())) {
                        fail("a resend was not answered with the original offsets: " + response + " vs " + first);
                    }
                    continue;
                }
                ProduceRequest request = inFlight.remove(response.correlationId());
                answered.put(response.correlationId(), response);
                for (RecordBatch b : request.batches()) {
                    ProduceResponse.PartitionResult result = response.results().get(b.topicPartition());
                    if (result.error() != Errors.NONE) {
                        fail("produce failed: " + result);
                    }
                    for (long id : b.recordIds()) {
                        acks.append("ACK ").append(id).append(" .\n");
                    }
                }
            }
            // Ack lines go out only after the response arrived, i.e. after the broker fsynced.
            System.out.print(acks);
            System.out.flush();
            acks.setLength(0);
        }
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(3);
    }
}
