package dev.deliverycheck.protocol;

/** Anything that travels between nodes: a request or a response. */
public sealed interface Message permits Request, Response {
    /** Matches a response to its request; unique per sending node. */
    int correlationId();
}
