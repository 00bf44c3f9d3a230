package dev.deliverycheck.sim;

import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.BrokerFlush;
import dev.deliverycheck.event.BrokerRecoverPartition;
import dev.deliverycheck.event.BrokerRestart;
import dev.deliverycheck.event.CoordinatorComplete;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.CoordinatorPrepare;
import dev.deliverycheck.event.CoordinatorTimeoutAbort;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.event.ProducerSendAcked;

/**
 * The sink every node of a simulation emits into: passes each event on and keeps the few
 * counts the explorer's preconditions and reports ask the simulation for.
 *
 * <p>Invariant: every event reaches the run's sink unchanged and in emission order, and each
 * count is a function of the events passed on so far (nothing else moves it).
 */
final class EventTally implements EventSink {
    private final EventSink sink;
    private long observableChanges;
    private boolean produceAnswerLostSinceLastRetry;
    private int timeoutAborts;
    private boolean decisionPending;
    private int decisions;
    private int sendsPending;

    EventTally(EventSink sink) {
        this.sink = sink;
    }

    @Override
    public void emit(Event event) {
        if (changesWhatReadersOrCheckersSee(event)) {
            observableChanges++;
        }
        if (event instanceof NetworkLoseResponse l && l.messageType().equals("ProduceResponse")) {
            produceAnswerLostSinceLastRetry = true;
        } else if (event instanceof ProducerRetry) {
            produceAnswerLostSinceLastRetry = false;
        } else if (event instanceof CoordinatorTimeoutAbort) {
            timeoutAborts++;
        } else if (event instanceof CoordinatorPrepare) {
            decisionPending = true;
            decisions++;
        } else if (event instanceof CoordinatorComplete) {
            decisionPending = false;
        } else if (event instanceof ProducerSend) {
            sendsPending++;
        } else if (event instanceof ProducerSendAcked || event instanceof ProducerSendFailed) {
            sendsPending--;
        }
        sink.emit(event);
    }

    /** Events after which a reader may see a different log, or a checker judge differently. */
    private static boolean changesWhatReadersOrCheckersSee(Event e) {
        return e instanceof BrokerAppend || e instanceof BrokerFlush || e instanceof CoordinatorWriteMarker
                || e instanceof BrokerCrash || e instanceof BrokerRestart || e instanceof BrokerRecoverPartition
                || e instanceof ProducerSendAcked || e instanceof ProducerEndTxnResult
                || e instanceof CoordinatorInitProducerId || e instanceof CoordinatorPrepare;
    }

    /** Events so far that can change a reader's view or a checker's verdict. */
    long observableChanges() {
        return observableChanges;
    }

    /** Whether a ProduceResponse was lost since the last ProducerRetry. */
    boolean produceAnswerLostSinceLastRetry() {
        return produceAnswerLostSinceLastRetry;
    }

    /**
     * Whether the last transaction decision (CoordinatorPrepare) is not yet complete
     * (CoordinatorComplete): its markers are still awaited. A marker request on the wire while
     * none is awaited is a late copy.
     */
    boolean decisionPending() {
        return decisionPending;
    }

    /** Sends (ProducerSend) not yet acknowledged or failed (ProducerSendAcked, ProducerSendFailed). */
    int sendsPending() {
        return sendsPending;
    }

    /** CoordinatorPrepare events so far: transaction decisions whose markers were (or are) sent. */
    int decisions() {
        return decisions;
    }

    /** CoordinatorTimeoutAbort events so far. */
    int timeoutAborts() {
        return timeoutAborts;
    }
}
