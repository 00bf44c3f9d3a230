package dev.deliverycheck.wire.proxy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A Kafka-aware fault proxy on 127.0.0.1 in front of one broker. Each client connection gets its own connection
 * to the broker; every request frame is matched to a step of the {@link FaultPlan} by kind and occurrence, and
 * every answer goes back with Metadata and FindCoordinator rewritten to point at the proxy.
 *
 * <p>Invariants: an answer is forwarded only to the connection its request came on, in the broker's order; a
 * dropped request or answer always closes the client's connection (and the broker connection), so the client
 * never matches a later answer to a lost one; answers, refusals included, reach the client in the order of its
 * requests (Kafka clients match answers to requests by order); at most one late refusal is held per connection;
 * {@link #close()} closes every socket and thread it opened.
 */
public final class FaultProxy implements AutoCloseable {
    /** Kafka's own upper bound for a frame (100 MiB, socket.request.max.bytes); anything larger is not Kafka. */
    private static final int MAX_FRAME = 100 * 1024 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 5000;
    /** How often a held late refusal asks {@link FaultPlan#nothingMoreToSend()}: a poll, not a deadline. */
    private static final long LATE_REFUSAL_POLL_MS = 20;

    private final InetSocketAddress upstream;
    private final FaultPlan plan;
    private final Consumer<Exchange> observer;
    private final Runnable crashBroker;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Starts a proxy for {@code upstream}. {@code observer} sees every answered exchange (called on the proxy's
     * threads, before the answer is forwarded or dropped); {@code crashBroker} kills the broker for a
     * crash-broker step, or is null when the broker was not started by the harness.
     */
    public FaultProxy(InetSocketAddress upstream, FaultPlan plan, Consumer<Exchange> observer, Runnable crashBroker)
            throws IOException {
        this.upstream = upstream;
        this.plan = plan;
        this.observer = observer;
        this.crashBroker = crashBroker;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** "127.0.0.1:PORT", what clients use as bootstrap.servers. */
    public String bootstrap() {
        return "127.0.0.1:" + port();
    }

    public FaultPlan plan() {
        return plan;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Link link : links) {
            link.close();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Link link = new Link(client);
                links.add(link);
                if (closed) {
                    link.close();
                    return;
                }
                link.start();
            } catch (IOException e) {
                return; // server closed
            }
        }
    }

    /** One client connection and its connection to the broker. */
    private final class Link {
        private final Socket client;
        private final Socket broker = new Socket();
        private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
        private volatile boolean down;
        /** The one stream to the client: answers and refusals are written under its lock, whole frames at a time. */
        private volatile DataOutputStream clientOut;
        /** A refuse-late answer not yet written; guarded by this link's monitor. */
        private LateRefusal held;

        private record Pending(KafkaFrames.Header header, ByteBuffer request, boolean loseResponse) {
        }

        /**
         * A refusal of request {@code correlationId}, released once a later request arrived on the connection
         * (forwarded, or itself refused) or the workload waits for answers.
         */
        private static final class LateRefusal {
            final int correlationId;
            final ByteBuffer answer;
            boolean laterRequest;

            LateRefusal(int correlationId, ByteBuffer answer) {
                this.correlationId = correlationId;
                this.answer = answer;
            }
        }

        Link(Socket client) {
            this.client = client;
        }

        void start() {
            Thread requests = new Thread(this::forwardRequests, "fault-proxy-requests-" + client.getPort());
            requests.setDaemon(true);
            requests.start();
        }

        private void forwardRequests() {
            try {
                broker.connect(upstream, CONNECT_TIMEOUT_MS);
                broker.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                clientOut = new DataOutputStream(client.getOutputStream());
                Thread answers = new Thread(this::forwardAnswers, "fault-proxy-answers-" + client.getPort());
                answers.setDaemon(true);
                answers.start();
                DataInputStream in = new DataInputStream(client.getInputStream());
                DataOutputStream out = new DataOutputStream(broker.getOutputStream());
                while (!down) {
                    ByteBuffer frame = readFrame(in);
                    KafkaFrames.Header header = KafkaFrames.requestHeader(frame);
                    Fault step = plan.next(header.kind());
                    if (header.apiKey() == org.apache.kafka.common.protocol.ApiKeys.PRODUCE) {
                        plan.recordsArrived(KafkaFrames.recordCount(header, frame));
                    }
                    switch (step.action()) {
                        case LOSE_REQUEST -> {
                            close();
                            return;
                        }
                        case DELAY -> {
                            Thread.sleep(step.delayMs());
                            send(out, header, frame, false);
                        }
                        case LOSE_RESPONSE -> send(out, header, frame, true);
                        case REFUSE -> refuse(header, frame);
                        case REFUSE_LATE -> refuseLate(header, frame);
                        case DISCONNECT -> {
                            send(out, header, frame, false);
                            out.flush();
                            close();
                            return;
                        }
                        case CRASH_BROKER -> {
                            send(out, header, frame, true);
                            if (crashBroker != null) {
                                crashBroker.run();
                            }
                            close();
                            return;
                        }
                        case DELIVER -> send(out, header, frame, false);
                        default -> throw new IllegalStateException("unhandled " + step.action());
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                close(); // a client or broker went away, or sent something that is not Kafka
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
            } finally {
                links.remove(this);
            }
        }

        private void send(DataOutputStream out, KafkaFrames.Header header, ByteBuffer frame, boolean loseResponse)
                throws IOException {
            pending.put(header.correlationId(), new Pending(header, frame, loseResponse));
            writeFrame(out, frame);
            synchronized (this) {
                laterRequestArrived(header);
            }
        }

        /** Called holding this link's monitor: a request after the held refusal's releases it. */
        private void laterRequestArrived(KafkaFrames.Header header) {
            if (held != null && header.correlationId() != held.correlationId) {
                held.laterRequest = true;
                notifyAll();
            }
        }

        /**
         * Holds the refusal on a thread of its own, so the request loop goes on forwarding: the refusal is written
         * once a later request arrived or nothing more can come (the workload waits for answers and every record
         * it handed the client reached the proxy: {@link FaultPlan#nothingMoreToSend()}), and every earlier
         * request was answered; answers to later requests wait for it in {@link #forwardAnswers}. No timer
         * releases it: how long the client takes to send its next request does not change the scenario (a client
         * that gives up first, at its request.timeout.ms, closes the connection, which ends the wait).
         */
        private void refuseLate(KafkaFrames.Header header, ByteBuffer frame) throws IOException, InterruptedException {
            ByteBuffer answer = KafkaFrames.refusedProduce(header, frame,
                    org.apache.kafka.common.protocol.Errors.NOT_ENOUGH_REPLICAS);
            LateRefusal refusal = new LateRefusal(header.correlationId(), answer);
            synchronized (this) {
                laterRequestArrived(header);
                awaitLocked(() -> held == null, "an earlier late refusal was not answered in time");
                held = refusal;
            }
            Thread releaser = new Thread(() -> releaseLate(refusal), "fault-proxy-late-refusal-" + client.getPort());
            releaser.setDaemon(true);
            releaser.start();
        }

        private void releaseLate(LateRefusal refusal) {
            try {
                synchronized (this) {
                    while (!refusal.laterRequest && !down && !plan.nothingMoreToSend()) {
                        wait(LATE_REFUSAL_POLL_MS);
                    }
                    awaitLocked(() -> pending.keySet().stream().noneMatch(c -> c < refusal.correlationId),
                            "earlier requests were not answered in time");
                }
                if (!down) {
                    writeFrame(clientOut, refusal.answer);
                }
            } catch (IOException e) {
                close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
            } finally {
                synchronized (this) {
                    held = null;
                    notifyAll();
                }
            }
        }

        /** Waits, holding this link's monitor, until {@code condition} or the link is down; bounded. */
        private void awaitLocked(java.util.function.BooleanSupplier condition, String timeoutMessage)
                throws IOException, InterruptedException {
            long deadline = System.nanoTime() + CONNECT_TIMEOUT_MS * 1_000_000L;
            while (!condition.getAsBoolean() && !down) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(timeoutMessage);
                }
                wait(50);
            }
        }

        /** Answers a refused Produce in its turn: once every earlier request on the connection was answered. */
        private void refuse(KafkaFrames.Header header, ByteBuffer frame) throws IOException, InterruptedException {
            ByteBuffer answer = KafkaFrames.refusedProduce(header, frame,
                    org.apache.kafka.common.protocol.Errors.NOT_LEADER_OR_FOLLOWER);
            synchronized (this) {
                laterRequestArrived(header);
                awaitLocked(() -> pending.isEmpty() && held == null, "earlier requests were not answered in time");
            }
            writeFrame(clientOut, answer);
        }

        private void forwardAnswers() {
            try {
                DataInputStream in = new DataInputStream(broker.getInputStream());
                while (!down) {
                    ByteBuffer frame = readFrame(in);
                    int correlationId = KafkaFrames.responseCorrelationId(frame);
                    // Stays pending until written, so a refusal queued behind it waits for it.
                    Pending request = pending.get(correlationId);
                    if (request == null) {
                        close(); // an answer to nothing we forwarded: not a conversation we can vouch for
                        return;
                    }
                    ByteBuffer answer = KafkaFrames.rewriteAddresses(request.header(), frame, "127.0.0.1", port());
                    observer.accept(new Exchange(request.header(), KafkaFrames.requestBody(request.request()),
                            KafkaFrames.responseBody(request.header(), frame), !request.loseResponse()));
                    if (request.loseResponse()) {
                        close();
                        return;
                    }
                    synchronized (this) {
                        awaitLocked(() -> held == null || held.correlationId > correlationId,
                                "a late refusal ahead of this answer was not written in time");
                    }
                    writeFrame(clientOut, answer);
                    pending.remove(correlationId);
                    synchronized (this) {
                        notifyAll();
                    }
                }
            } catch (IOException | RuntimeException e) {
                close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
            }
        }

        void close() {
            down = true;
            synchronized (this) {
                notifyAll();
            }
            closeQuietly(client);
            closeQuietly(broker);
            links.remove(this);
        }
    }

    private static ByteBuffer readFrame(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size < 0 || size > MAX_FRAME) {
            throw new IOException("frame of " + size + " bytes is not a Kafka frame");
        }
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        return ByteBuffer.wrap(bytes);
    }

    private static void writeFrame(OutputStream out, ByteBuffer frame) throws IOException {
        ByteBuffer copy = frame.duplicate();
        byte[] bytes = new byte[4 + copy.remaining()];
        ByteBuffer.wrap(bytes).putInt(copy.remaining()).put(copy);
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
