package dev.deliverycheck.producer.testkit;

import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.event.Event;
import java.util.ArrayList;
import java.util.List;

/** Keeps every event emitted, in order. */
public final class RecordingEvents implements EventSink {
    private final List<Event> events = new ArrayList<>();

    @Override
    public synchronized void emit(Event event) {
        events.add(event);
    }

    public synchronized List<Event> all() {
        return List.copyOf(events);
    }

    public synchronized <T extends Event> List<T> of(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Event e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    public synchronized List<String> names() {
        return events.stream().map(Event::name).toList();
    }
}
