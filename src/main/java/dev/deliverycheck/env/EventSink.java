package dev.deliverycheck.env;

import dev.deliverycheck.event.Event;

/** Where a node records the events of DESIGN.md's vocabulary as they happen. */
@FunctionalInterface
public interface EventSink {
    EventSink NONE = e -> { };

    void emit(Event event);
}
