package dev.deliverycheck.env.testkit;

import dev.deliverycheck.env.Transport;
import dev.deliverycheck.protocol.Message;
import java.util.ArrayList;
import java.util.List;

/** Records what a node sends; the test reads and answers the messages itself. */
public final class CapturingTransport implements Transport {
    /** One message sent to {@code destination}. */
    public record Sent(int destination, Message message) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final List<Integer> disconnects = new ArrayList<>();

    @Override
    public void send(int destination, Message message) {
        sent.add(new Sent(destination, message));
    }

    @Override
    public void disconnect(int peer) {
        disconnects.add(peer);
    }

    /** The peers whose connection the node closed, in order. */
    public List<Integer> disconnects() {
        return List.copyOf(disconnects);
    }

    public List<Sent> all() {
        return List.copyOf(sent);
    }

    /** Removes and returns everything sent so far. */
    public List<Sent> drain() {
        List<Sent> out = List.copyOf(sent);
        sent.clear();
        return out;
    }

    /** Removes and returns the messages of one type. */
    public <T extends Message> List<T> drain(Class<T> type) {
        List<T> out = new ArrayList<>();
        sent.removeIf(s -> {
            if (type.isInstance(s.message())) {
                out.add(type.cast(s.message()));
                return true;
            }
            return false;
        });
        return out;
    }

    /** Removes and returns the messages of one type with their destinations. */
    public <T extends Message> List<Sent> drainSent(Class<T> type) {
        List<Sent> out = new ArrayList<>();
        sent.removeIf(s -> {
            if (type.isInstance(s.message())) {
                out.add(s);
                return true;
            }
            return false;
        });
        return out;
    }

    public int size() {
        return sent.size();
    }
}
