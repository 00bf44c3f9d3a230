package dev.deliverycheck.wire;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * The TCP front of a {@link WireBroker} on 127.0.0.1: Kafka's framing (a 4-byte big-endian size,
 * then header and body), one reader and one writer thread per connection from a bounded pool.
 *
 * <p>Invariants: the answers of a connection are written in the order its requests arrived
 * (Kafka's per-connection ordering), while later requests are already being read and handed to the
 * broker (clients pipeline up to {@code max.in.flight.requests.per.connection}); a frame that
 * cannot be served (bad size, unparsable header or body, unknown api key, unserved version except
 * ApiVersions, which gets Kafka's v0 UNSUPPORTED_VERSION answer) closes that one connection after
 * the answers before it are written, and nothing else: other connections and the stored data are
 * untouched; connections above the limit are closed at once; no thread waits without a bound.
 */
public final class WireServer implements AutoCloseable {
    /** Kafka's {@code socket.request.max.bytes}. */
    public static final int MAX_REQUEST_BYTES = 104_857_600;
    private static final int MAX_CONNECTIONS = 64;
    private static final int MAX_PIPELINED = 100;
    /** Longest a writer waits for the broker's answer before giving the connection up. */
    private static final long ANSWER_TIMEOUT_MS = 120_000;
    /** Longest a close waits for the acceptor to leave accept() (it is woken at once; the bound is for safety). */
    private static final long ACCEPTOR_EXIT_MS = 5_000;

    private final WireBroker broker;
    private final ServerSocket server;
    private final KafkaApis apis;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "deliverycheck-wire-connection");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore connectionSlots = new Semaphore(MAX_CONNECTIONS);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final AtomicLong producesAnswered = new AtomicLong();
    private final AtomicInteger closedForBadInput = new AtomicInteger();
    private volatile long dropProduceAnswer = -1;
    private volatile boolean goDarkAtDrop;
    private volatile boolean running = true;

    /** Serves {@code broker} on 127.0.0.1:{@code port} (0: a free port, see {@link #port()}). */
    public WireServer(WireBroker broker, int port) throws IOException {
        this.broker = broker;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        this.apis = new KafkaApis(broker, "127.0.0.1", server.getLocalPort());
        this.acceptor = new Thread(this::accept, "deliverycheck-wire-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public WireBroker broker() {
        return broker;
    }

    /** Connections closed because a frame could not be served (for tests and diagnostics). */
    public int closedForBadInput() {
        return closedForBadInput.get();
    }

    /**
     * Test hook, "apply, then lose the answer": the answer to the {@code n}-th Produce this server
     * answers (counting from 1, over all connections) is not written and its connection is closed,
     * as a network that loses a response and resets the connection would.
     */
    public void dropAnswerToProduce(long n) {
        this.goDarkAtDrop = false;
        this.dropProduceAnswer = n;
    }

    /**
     * Test hook, "apply, then crash before answering": as {@link #dropAnswerToProduce}, and at that
     * moment the server stops accepting, closes its listener and then every connection, as a crashed
     * broker would. A client learns of the loss only from a closed connection, which happens after the
     * listener is gone, so its retry can reach only a server bound afterwards (a broker restarted on the
     * same port), never this one, however slow the machine: no client backoff has to hold it off.
     */
    public void crashAtAnswerToProduce(long n) {
        this.goDarkAtDrop = true;
        this.dropProduceAnswer = n;
    }

    /** Listener first, connections after: nobody can connect again once a connection is seen closed. */
    private void goDark() {
        running = false;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        // The JDK closes a listening socket that a thread is blocked accepting on only when that thread leaves
        // accept(): until the acceptor has ended, the kernel still completes connections to the port.
        if (Thread.currentThread() != acceptor) {
            try {
                acceptor.join(ACCEPTOR_EXIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Socket s : Set.copyOf(open)) {
            release(s);
        }
    }

    private void accept() {
        while (running) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                continue;
            }
            if (!connectionSlots.tryAcquire()) {
                closeQuietly(s);
                continue;
            }
            open.add(s);
            if (!running) {
                // gone dark (or closed) while this one was being accepted: no connection may outlive it
                release(s);
                return;
            }
            try {
                s.setTcpNoDelay(true);
                Connection c = new Connection(s);
                pool.execute(c::readLoop);
                pool.execute(c::writeLoop);
            } catch (IOException | RuntimeException e) {
                release(s);
            }
        }
    }

    private void release(Socket s) {
        if (open.remove(s)) {
            closeQuietly(s);
            connectionSlots.release();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with this socket
        }
    }

    /** One answer slot in a connection's order: the answer bytes (null: none), or the order to close. */
    private record Pending(CompletableFuture<ByteBuffer> answer, boolean produce, boolean closeAfter) {
    }

    private final class Connection {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;
        private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(MAX_PIPELINED);
        /** Set when the writer has stopped: nobody takes from the queue any more. */
        private volatile boolean writerDone;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
        }

        void readLoop() {
            try {
                while (running) {
                    int size = in.readInt();
                    if (size < 8 || size > MAX_REQUEST_BYTES) {
                        closedForBadInput.incrementAndGet();
                        break;
                    }
                    byte[] frame = new byte[size];
                    in.readFully(frame);
                    Pending p = serve(ByteBuffer.wrap(frame));
                    if (!enqueue(p) || p.closeAfter()) {
                        return;
                    }
                }
            } catch (EOFException | SocketException e) {
                // the client closed or reset the connection
            } catch (IOException e) {
                // an I/O error ends only this connection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                // Ends the writer once the answers before it are written.
                enqueue(new Pending(CompletableFuture.completedFuture(null), false, true));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Queues an answer slot unless the writer has stopped (then the connection is gone). */
        private boolean enqueue(Pending p) throws InterruptedException {
            while (!writerDone) {
                if (queue.offer(p, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return false;
        }

        private Pending serve(ByteBuffer frame) {
            short apiKey = frame.getShort(0);
            short version = frame.getShort(2);
            int correlationId = frame.getInt(4);
            if (apiKey == ApiKeys.API_VERSIONS.id && version > ServedApis.ranges().get(ApiKeys.API_VERSIONS)[1]) {
                // Kafka's rule: an ApiVersions version the broker does not know is answered at v0
                // with UNSUPPORTED_VERSION and the served ranges, so the client can pick one.
                RequestHeader h = new RequestHeader(ApiKeys.API_VERSIONS, (short) 0, "", correlationId);
                return new Pending(CompletableFuture.completedFuture(KafkaCodec.serializeAtVersionZero(h,
                        ServedApis.apiVersions(Errors.UNSUPPORTED_VERSION, broker.transactionVersion()))), false, false);
            }
            if (!ApiKeys.hasId(apiKey) || !ServedApis.serves(ApiKeys.forId(apiKey), version)) {
                closedForBadInput.incrementAndGet();
                return new Pending(CompletableFuture.completedFuture(null), false, true);
            }
            KafkaCodec.Parsed parsed;
            try {
                parsed = KafkaCodec.parse(frame);
            } catch (KafkaCodec.MalformedRequestException e) {
                closedForBadInput.incrementAndGet();
                return new Pending(CompletableFuture.completedFuture(null), false, true);
            }
            CompletableFuture<ApiMessage> answer;
            try {
                answer = apis.handle(parsed);
            } catch (RuntimeException e) {
                closedForBadInput.incrementAndGet();
                return new Pending(CompletableFuture.completedFuture(null), false, true);
            }
            RequestHeader header = parsed.header();
            CompletableFuture<ByteBuffer> bytes = answer.thenApply(m -> m == null ? null : KafkaCodec.serialize(header, m));
            return new Pending(bytes, parsed.apiKey() == ApiKeys.PRODUCE, false);
        }

        void writeLoop() {
            try {
                while (true) {
                    Pending p = queue.poll(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    if (p == null) {
                        if (!running || socket.isClosed()) {
                            return;
                        }
                        continue;
                    }
                    ByteBuffer answer = p.answer().get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    if (p.produce() && answer != null && producesAnswered.incrementAndGet() == dropProduceAnswer) {
                        if (goDarkAtDrop) {
                            goDark();
                        }
                        return;
                    }
                    if (answer != null) {
                        out.writeInt(answer.remaining());
                        out.write(answer.array(), answer.arrayOffset() + answer.position(), answer.remaining());
                        if (queue.isEmpty()) {
                            out.flush();
                        }
                    }
                    if (p.closeAfter()) {
                        out.flush();
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // a failed answer (broker stopped, timeout) or a write error ends only this connection
            } finally {
                writerDone = true;
                release(socket);
            }
        }
    }

    /** Stops accepting, closes every connection, and waits (bounded) for the connection threads. */
    @Override
    public void close() {
        goDark();
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
