package dev.deliverycheck.wire.harness;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;

/** One blocking Kafka request at a time over a plain socket: for probing what a real broker answers. */
final class RawKafka implements AutoCloseable {
    private final Socket socket;
    private int correlation;

    RawKafka(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(10_000);
    }

    /** Sends {@code body} as {@code key} version {@code version} and returns the answer's body reader. */
    ByteBufferAccessor call(ApiKeys key, short version, Message body) throws IOException {
        RequestHeader header = new RequestHeader(key, version, "probe", ++correlation);
        ByteBuffer frame = RequestUtils.serialize(header.data(), header.headerVersion(), body, version);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        ResponseHeader.parse(buffer, key.responseHeaderVersion(version));
        return new ByteBufferAccessor(buffer);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
