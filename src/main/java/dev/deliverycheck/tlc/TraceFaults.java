package dev.deliverycheck.tlc;

import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.BrokerReject;
import dev.deliverycheck.event.BrokerRestart;
import dev.deliverycheck.event.CoordinatorTimeoutAbort;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkLoseRequest;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.Errors;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fault budgets a trace is validated with: how many faults of each kind the Java run itself
 * went through, so that the spec may explain the run with at most those (TLC's
 * {@code RequestLossLimit}, {@code ResponseLossLimit}, {@code CrashLimit}, {@code TimeoutLimit},
 * {@code TxnTimeoutLimit}). A behaviour that needs one fault more than the run shows is rejected
 * at the event that would need it.
 *
 * <p>Invariant: every count is the number of events of the run that can be (or follow) one fault
 * of its kind, never more: a request lost while its destination was up (a request to a broker
 * that is down is refused, which is no fault, as in the spec's {@code NetworkLoseRequest}) or a
 * batch refused because its verification got no answer (see {@code UNANSWERED_VERIFICATION}), a
 * response lost, a broker crash, a transaction timeout. Java logs no event for a request timeout,
 * so {@link #timeouts} counts the events that can follow one: a retransmission (which may also
 * close its connection, a second timeout in the spec), a failed record, a marker (re)written.
 */
public record TraceFaults(int requestLosses, int responseLosses, int crashes, int timeouts, int txnTimeouts) {
    /**
     * Refusals of a batch whose KIP-890 verification got no answer. The spec charges each as a
     * lost request ({@code BrokerReject}'s REQUEST_TIMED_OUT branch); in Java one lost
     * verification request can leave several held batches unanswered (exactly-once seed 6: one
     * loss, two refusals), so each refusal counts as the loss the spec charges for it.
     */
    private static final Set<Errors> UNANSWERED_VERIFICATION = Set.of(Errors.NOT_ENOUGH_REPLICAS, Errors.REQUEST_TIMED_OUT);

    /** The budgets a run's own events show. */
    public static TraceFaults of(List<Event> events) {
        Set<Integer> down = new HashSet<>();
        int req = 0;
        int resp = 0;
        int crashes = 0;
        int timeouts = 0;
        int txnTimeouts = 0;
        for (Event e : events) {
            if (e instanceof BrokerCrash c) {
                crashes++;
                down.add(c.broker());
            } else if (e instanceof BrokerRestart r) {
                down.remove(r.broker());
            } else if (e instanceof NetworkLoseRequest l && !down.contains(l.destination())) {
                req++;
            } else if (e instanceof BrokerReject r && UNANSWERED_VERIFICATION.contains(r.error())) {
                req++;
            } else if (e instanceof NetworkLoseResponse) {
                resp++;
            } else if (e instanceof ProducerRetry) {
                timeouts += 2;
            } else if (e instanceof ProducerSendFailed || e instanceof CoordinatorWriteMarker) {
                timeouts++;
            } else if (e instanceof CoordinatorTimeoutAbort) {
                txnTimeouts++;
            }
        }
        return new TraceFaults(req, resp, crashes, timeouts, txnTimeouts);
    }

    /** The same budgets with one fault fewer of the kind named by its TLA+ constant (for tests). */
    public TraceFaults oneFewer(String limit) {
        return switch (limit) {
            case "RequestLossLimit" -> new TraceFaults(requestLosses - 1, responseLosses, crashes, timeouts, txnTimeouts);
            case "ResponseLossLimit" -> new TraceFaults(requestLosses, responseLosses - 1, crashes, timeouts, txnTimeouts);
            case "CrashLimit" -> new TraceFaults(requestLosses, responseLosses, crashes - 1, timeouts, txnTimeouts);
            case "TimeoutLimit" -> new TraceFaults(requestLosses, responseLosses, crashes, timeouts - 1, txnTimeouts);
            case "TxnTimeoutLimit" -> new TraceFaults(requestLosses, responseLosses, crashes, timeouts, txnTimeouts - 1);
            default -> throw new IllegalArgumentException("no fault budget named " + limit);
        };
    }

    /** The TLA+ constants, in config order: name, value. */
    List<java.util.Map.Entry<String, Integer>> constants() {
        return List.of(java.util.Map.entry("RequestLossLimit", Math.max(0, requestLosses)),
                java.util.Map.entry("ResponseLossLimit", Math.max(0, responseLosses)),
                java.util.Map.entry("CrashLimit", Math.max(0, crashes)),
                java.util.Map.entry("TimeoutLimit", Math.max(0, timeouts)),
                java.util.Map.entry("TxnTimeoutLimit", Math.max(0, txnTimeouts)));
    }
}
