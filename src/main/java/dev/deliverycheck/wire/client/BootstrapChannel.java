package dev.deliverycheck.wire.client;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A blocking request/answer connection for the client's bootstrap (ApiVersions, Metadata, FindCoordinator): one
 * request at a time, every connect and read bounded by the timeout it was opened with.
 *
 * <p>Invariant: {@link #call} returns the body of the answer to exactly the request it wrote (the correlation id
 * is checked) or throws {@link IOException}; the socket is closed by {@link #close}, also after a failure.
 */
final class BootstrapChannel implements AutoCloseable {
    private static final int MAX_FRAME = 104_857_600;

    private final Socket socket = new Socket();
    private final DataInputStream in;
    private final DataOutputStream out;
    private final String clientId;
    private int correlationId;

    BootstrapChannel(InetSocketAddress address, int timeoutMs, String clientId) throws IOException {
        this.clientId = clientId;
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, timeoutMs);
            socket.setSoTimeout(timeoutMs);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = new DataOutputStream(socket.getOutputStream());
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Sends {@code body} as {@code key} at {@code version} and returns the answer's body (header read). */
    ByteBuffer call(ApiKeys key, short version, ApiMessage body) throws IOException {
        ClientCodec.Encoded request = ClientCodec.frame(key, version, ++correlationId, clientId, body, true);
        ByteBuffer frame = request.frame();
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        try {
            int size = in.readInt();
            if (size < 4 || size > MAX_FRAME) {
                throw new IOException("an answer of " + size + " bytes: not a Kafka broker?");
            }
            byte[] bytes = new byte[size];
            in.readFully(bytes);
            ByteBuffer answer = ByteBuffer.wrap(bytes);
            if (ClientCodec.correlationId(answer) != request.correlationId()) {
                throw new IOException("an answer to another request (correlation id " + ClientCodec.correlationId(answer)
                        + ", expected " + request.correlationId() + ")");
            }
            ClientCodec.skipHeader(answer, key, version);
            return answer;
        } catch (SocketTimeoutException e) {
            throw new IOException("no answer to " + key.name + " within " + socket.getSoTimeout() + " ms", e);
        } catch (RuntimeException e) {
            throw new IOException("an undecodable " + key.name + " answer: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
