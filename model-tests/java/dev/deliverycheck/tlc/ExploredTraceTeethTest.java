package dev.deliverycheck.tlc;

import static dev.deliverycheck.tlc.ExploredTracesTest.VALIDATOR;
import static dev.deliverycheck.tlc.ExploredTracesTest.indexOf;
import static dev.deliverycheck.tlc.ExploredTracesTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.BrokerReject;
import dev.deliverycheck.event.BrokerRestart;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkDeliver;
import dev.deliverycheck.event.NetworkLoseRequest;
import dev.deliverycheck.event.ProducerSendBatch;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Teeth of strict trace validation (issue 15) on real explored runs: a run with one error code
 * changed, one that needs a fault more than the budget the run's own counts give, or one whose
 * multi-batch request does not leave in one step, is rejected at exactly that event.
 */
class ExploredTraceTeethTest {
    /**
     * Teeth for the error codes: the first exactly-once run (from seed 1) with a refused batch,
     * that refusal's error changed to one no spec verdict names, is rejected at exactly that
     * BrokerReject; the first at-most-once run's first failed send, its error changed from the
     * broken connection the run had to a broker error, at exactly that ProducerSendFailed.
     */
    @Test
    void anExploredRunWithOneErrorCodeChangedIsRejectedThere() {
        List<Event> refused = LongStream.iterate(1, x -> x + 1).limit(200)
                .mapToObj(x -> run(Mode.EXACTLY_ONCE, x).history().events())
                .filter(e -> indexOf(e, BrokerReject.class) >= 0).findFirst().orElseThrow();
        int r = indexOf(refused, BrokerReject.class);
        BrokerReject reject = (BrokerReject) refused.get(r);
        List<Event> altered = new ArrayList<>(refused);
        altered.set(r, new BrokerReject(reject.broker(), reject.topicPartition(), reject.producerId(),
                reject.producerEpoch(), reject.baseSequence(), Errors.CORRUPT_MESSAGE));
        TraceValidation v = VALIDATOR.validate(Mode.EXACTLY_ONCE, altered);
        assertThat(v.ok()).as("BrokerReject #%d with %s", r, Errors.CORRUPT_MESSAGE).isFalse();
        assertThat(v.firstUnexplainedIndex()).isEqualTo(r);
        assertThat(v.message()).contains("event #" + r + " BrokerReject");

        List<Event> failed = LongStream.iterate(1, x -> x + 1).limit(200)
                .mapToObj(x -> run(Mode.AT_MOST_ONCE, x).history().events())
                .filter(e -> indexOf(e, ProducerSendFailed.class) >= 0).findFirst().orElseThrow();
        int f = indexOf(failed, ProducerSendFailed.class);
        ProducerSendFailed fail = (ProducerSendFailed) failed.get(f);
        assertThat(TraceExporter.errorCode(fail.error())).isEqualTo("NETWORK_EXCEPTION");
        List<Event> changed = new ArrayList<>(failed);
        changed.set(f, new ProducerSendFailed(fail.producer(), fail.recordId(), fail.topicPartition(),
                "BrokerErrorException: CORRUPT_MESSAGE: the record's CRC did not match"));
        TraceValidation w = VALIDATOR.validate(Mode.AT_MOST_ONCE, changed);
        assertThat(w.ok()).isFalse();
        assertThat(w.firstUnexplainedIndex()).isEqualTo(f);
    }

    /**
     * Teeth for the fault budgets, which are the run's own counts (TraceFaults): the first
     * idempotent run (from seed 1) with a broker crash, validated with one crash fewer than it
     * had, is rejected at exactly its last BrokerCrash; with no request loss allowed, at exactly
     * its first request lost on the way to a broker that was up.
     */
    @Test
    void anExploredRunNeedingOneFaultMoreThanItHadIsRejectedThere() {
        List<Event> events = LongStream.iterate(1, x -> x + 1).limit(200)
                .mapToObj(x -> run(Mode.IDEMPOTENT, x).history().events())
                .filter(e -> indexOf(e, BrokerCrash.class) >= 0 && firstLossToAnUpBroker(e) >= 0)
                .findFirst().orElseThrow();
        assertThat(VALIDATOR.validate(Mode.IDEMPOTENT, events).ok()).isTrue();
        int lastCrash = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof BrokerCrash) {
                lastCrash = i;
            }
        }
        TraceValidation crash = VALIDATOR.withFaultBudgets(b -> b.oneFewer("CrashLimit")).validate(Mode.IDEMPOTENT, events);
        assertThat(crash.ok()).isFalse();
        assertThat(crash.firstUnexplainedIndex()).isEqualTo(lastCrash);
        assertThat(crash.message()).contains("event #" + lastCrash + " BrokerCrash");

        TraceValidation loss = VALIDATOR.withFaultBudgets(
                b -> new TraceFaults(0, b.responseLosses(), b.crashes(), b.timeouts(), b.txnTimeouts()))
                .validate(Mode.IDEMPOTENT, events);
        assertThat(loss.ok()).isFalse();
        assertThat(loss.firstUnexplainedIndex()).isEqualTo(firstLossToAnUpBroker(events));
    }

    /** Index of the first Produce request lost on its way to a broker that was up; -1 if none. */
    private static int firstLossToAnUpBroker(List<Event> events) {
        Set<Integer> down = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (e instanceof BrokerCrash c) {
                down.add(c.broker());
            } else if (e instanceof BrokerRestart r) {
                down.remove(r.broker());
            } else if (e instanceof NetworkLoseRequest l && l.messageType().equals("ProduceRequest")
                    && !down.contains(l.destination())) {
                return i;
            }
        }
        return -1;
    }


    /**
     * Teeth for multi-batch requests, which trace validation takes as the spec's
     * ProducerSendRequest (model-checked in MCIdempotentMultiBatch): in the first idempotent run
     * (from seed 1) whose request of several batches is followed by its delivery, that delivery
     * moved between the request's first and second batch -- so the second batch joins a request
     * already on its way, which model checking never does -- is rejected at exactly the moved
     * batch; and the second batch with a record of another partition, at the request's first event.
     */
    @Test
    void aBatchThatDoesNotLeaveWithItsRequestIsRejected() {
        List<Event> events = null;
        int g = -1;
        for (long seed = 1; seed <= 200 && g < 0; seed++) {
            events = run(Mode.IDEMPOTENT, seed).history().events();
            g = twoBatchRequestThenDelivery(events);
        }
        assertThat(g).as("an idempotent run with a two-batch request").isNotNegative();
        assertThat(VALIDATOR.validate(Mode.IDEMPOTENT, events).ok()).isTrue();

        List<Event> split = new ArrayList<>(events);
        split.set(g + 1, events.get(g + 2));
        split.set(g + 2, events.get(g + 1));
        TraceValidation v = VALIDATOR.validate(Mode.IDEMPOTENT, split);
        assertThat(v.ok()).isFalse();
        assertThat(v.firstUnexplainedIndex()).isEqualTo(g + 2);

        ProducerSendBatch second = (ProducerSendBatch) events.get(g + 1);
        List<Event> other = new ArrayList<>(events);
        other.set(g + 1, new ProducerSendBatch(second.producer(), second.broker(), second.correlationId(),
                second.topicPartition(), second.producerId(), second.producerEpoch(), second.baseSequence(),
                ((ProducerSendBatch) events.get(g)).recordIds()));
        TraceValidation w = VALIDATOR.validate(Mode.IDEMPOTENT, other);
        assertThat(w.ok()).isFalse();
        assertThat(w.firstUnexplainedIndex()).isEqualTo(g);
    }

    /** Index of a request's first batch when exactly two new batches form it and its delivery follows; -1 if none. */
    private static int twoBatchRequestThenDelivery(List<Event> events) {
        for (int i = 0; i + 2 < events.size(); i++) {
            if (events.get(i) instanceof ProducerSendBatch a && events.get(i + 1) instanceof ProducerSendBatch b
                    && a.producer() == b.producer() && a.correlationId() == b.correlationId()
                    && events.get(i + 2) instanceof NetworkDeliver d && d.correlationId() == a.correlationId()
                    && d.messageType().equals("ProduceRequest") && (i == 0 || !sameRequest(events.get(i - 1), a))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean sameRequest(Event e, ProducerSendBatch a) {
        return e instanceof ProducerSendBatch p && p.producer() == a.producer() && p.correlationId() == a.correlationId();
    }
}
