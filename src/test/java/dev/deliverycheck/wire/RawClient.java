package dev.deliverycheck.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;

/** A bare Kafka-protocol connection for tests: any request at any version, or raw bytes. */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int correlationId;

    RawClient(int port) throws IOException {
        this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    static ByteBuffer frame(ApiKeys key, short version, int correlationId, ApiMessage body) {
        RequestHeader header = new RequestHeader(key, version, "raw", correlationId);
        return RequestUtils.serialize(header.data(), key.requestHeaderVersion(version), body, version);
    }

    /** Sends {@code body} as a request of {@code key} at {@code version} and parses the answer. */
    AbstractResponse call(ApiKeys key, short version, ApiMessage body) throws IOException {
        int id = ++correlationId;
        sendFrame(frame(key, version, id, body));
        ByteBuffer answer = readFrame();
        if (answer == null) {
            throw new EOFException("connection closed instead of an answer to " + key + " v" + version);
        }
        return AbstractResponse.parseResponse(answer, new RequestHeader(key, version, "raw", id));
    }

    void sendFrame(ByteBuffer frame) throws IOException {
        out.writeInt(frame.remaining());
        sendBytes(frame);
    }

    void sendBytes(ByteBuffer bytes) throws IOException {
        byte[] b = new byte[bytes.remaining()];
        bytes.duplicate().get(b);
        out.write(b);
        out.flush();
    }

    /** The next answer frame, or null when the broker closed the connection. */
    ByteBuffer readFrame() throws IOException {
        int size;
        try {
            size = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        byte[] b = new byte[size];
        in.readFully(b);
        return ByteBuffer.wrap(b);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
