package dev.deliverycheck.wire.client;

import dev.deliverycheck.protocol.Request;
import dev.deliverycheck.protocol.Response;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One TCP connection of the producer to one broker, Kafka's framing: a writer thread connects (bounded by the
 * connect timeout) and writes the queued requests, a reader thread reads the answers and hands each, decoded, to
 * the listener. {@link #send} never blocks, so the producer's I/O thread never waits on the network (and never
 * deadlocks with a reader that waits for the producer).
 *
 * <p>Invariants: requests are written in the order {@link #send} took them (Kafka's per-connection order); an
 * answer is handed on only if it answers a request of this connection that expects one, and only while the
 * connection is open: after {@link #close} nothing more is handed on (what was on the wire is lost, as the
 * {@code Transport} contract says). The first failure (connect refused or timed out, read or write error, an
 * answer to nothing, an undecodable answer) closes the connection and calls {@link Listener#lost} exactly once; a
 * {@link #close} by the owner never calls it.
 */
final class BrokerConnection {
    /** Biggest answer taken: Kafka's socket.request.max.bytes, the same bound the brokers use. */
    private static final int MAX_FRAME = 104_857_600;
    private static final int BUFFER = 64 * 1024;

    /** Where answers and the loss of the connection go (called on the connection's threads). */
    interface Listener {
        void answer(Response response);

        void lost(String why);
    }

    private final InetSocketAddress address;
    private final String clientId;
    private final ClientCodec.Versions versions;
    private final int connectTimeoutMs;
    private final Listener listener;
    private final LinkedBlockingQueue<Request> outgoing = new LinkedBlockingQueue<>();
    private final Map<Integer, ClientCodec.Encoded> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set once the owner knows the connection is gone: its loss was handed to the listener, or the owner closed it. */
    private volatile boolean lossReported;
    private final Socket socket = new Socket();
    private final Thread writer;

    BrokerConnection(InetSocketAddress address, String clientId, ClientCodec.Versions versions, int connectTimeoutMs,
                     Listener listener) {
        this.address = address;
        this.clientId = clientId;
        this.versions = versions;
        this.connectTimeoutMs = connectTimeoutMs;
        this.listener = listener;
        this.writer = new Thread(this::writeLoop, "deliverycheck-wire-client-" + address.getPort() + "-out");
        writer.setDaemon(true);
        writer.start();
    }

    boolean isOpen() {
        return !closed.get();
    }

    /**
     * Whether a closed connection's loss has reached the listener (or the owner closed it). Until then, requests
     * meant for it are best dropped: the coming loss report fails them with the others it had, whereas a
     * request sent on a new connection meanwhile would be failed by that report too, and resent while it is
     * still being answered.
     */
    boolean lossReported() {
        return lossReported;
    }

    InetSocketAddress address() {
        return address;
    }

    /** Queues a request; false when the connection is already closed (the caller opens a new one). */
    boolean send(Request request) {
        if (closed.get()) {
            return false;
        }
        outgoing.add(request);
        return true;
    }

    private void writeLoop() {
        DataOutputStream out;
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, connectTimeoutMs);
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), BUFFER));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER));
            Thread reader = new Thread(() -> readLoop(in), "deliverycheck-wire-client-" + address.getPort() + "-in");
            reader.setDaemon(true);
            reader.start();
        } catch (IOException e) {
            fail("cannot connect to " + address + ": " + e.getMessage());
            return;
        }
        try {
            while (!closed.get()) {
                Request next = outgoing.poll(200, TimeUnit.MILLISECONDS);
                while (next != null) {
                    write(out, ClientCodec.encode(next, clientId, versions));
                    next = outgoing.poll();
                }
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            fail("writing to " + address + ": " + e);
        } catch (InterruptedException e) {
            // close() stops the writer
        }
    }

    private void write(DataOutputStream out, ClientCodec.Encoded request) throws IOException {
        if (request.expectsAnswer()) {
            pending.put(request.correlationId(), request);
        }
        ByteBuffer frame = request.frame();
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    }

    private void readLoop(DataInputStream in) {
        try {
            while (!closed.get()) {
                int size = in.readInt();
                if (size < 4 || size > MAX_FRAME) {
                    fail("answer of " + size + " bytes from " + address);
                    return;
                }
                byte[] bytes = new byte[size];
                in.readFully(bytes);
                ByteBuffer frame = ByteBuffer.wrap(bytes);
                ClientCodec.Encoded request = pending.remove(ClientCodec.correlationId(frame));
                if (request == null) {
                    fail("answer with correlation id " + ClientCodec.correlationId(frame) + " to no request, from " + address);
                    return;
                }
                ClientCodec.skipHeader(frame, request.apiKey(), request.version());
                Response response = ClientCodec.decode(request, frame);
                if (closed.get()) {
                    return;
                }
                listener.answer(response);
            }
        } catch (IOException | RuntimeException e) {
            fail(e.getClass().getSimpleName() + " reading from " + address);
        }
    }

    private void fail(String why) {
        if (closed.compareAndSet(false, true)) {
            closeSocket();
            writer.interrupt();
            try {
                listener.lost(why);
            } finally {
                lossReported = true;
            }
        }
    }

    /** Closes the connection without telling the listener; waits (bounded) for the writer to stop. */
    void close() {
        lossReported = true;
        if (closed.compareAndSet(false, true)) {
            closeSocket();
            writer.interrupt();
        }
        if (Thread.currentThread() != writer) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
