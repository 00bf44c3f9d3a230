package dev.deliverycheck.wire.proxy;

/** What the proxy does with one request, by the fault step that targets it (DESIGN.md's fault model). */
public enum FaultAction {
    /** Forward it and its answer. */
    DELIVER("deliver"),
    /** Drop it before the broker sees it, then close the client's connection (correlation ids stay honest). */
    LOSE_REQUEST("lose-request"),
    /**
     * Produce only: never forward it; answer at once that the partition leader refused it (NOT_LEADER_OR_FOLLOWER,
     * retriable), as Kafka does during a leader change. Later requests on the connection still reach the broker.
     */
    REFUSE("refuse"),
    /**
     * Produce only: never forward it; answer NOT_ENOUGH_REPLICAS (retriable) only once the connection's next
     * request has arrived (or, when none can come, once {@link FaultPlan#nothingMoreToSend()}; no timer). This is
     * what a client sees when a batch fails a transient check (the in-sync replicas fell short for a moment) while its
     * next request to the same broker is already on the wire: the broker applies the later request before the
     * client even learns that the earlier one must be retried.
     */
    REFUSE_LATE("refuse-late"),
    /** Forward it, let the broker apply it, drop the answer and close the client's connection. */
    LOSE_RESPONSE("lose-response"),
    /** Forward it and close both connections at once: the broker may or may not apply it. */
    DISCONNECT("disconnect"),
    /** Hold it for the step's milliseconds, then forward it. */
    DELAY("delay"),
    /** Forward it, then kill -9 the broker the harness started; the answer is lost with it. */
    CRASH_BROKER("crash-broker");

    private final String word;

    FaultAction(String word) {
        this.word = word;
    }

    /** The word in a schedule line, e.g. "lose-response". */
    public String word() {
        return word;
    }

    /** The action named {@code word}, or null when no action has that name. */
    public static FaultAction fromWord(String word) {
        for (FaultAction action : values()) {
            if (action.word.equals(word)) {
                return action;
            }
        }
        return null;
    }
}
