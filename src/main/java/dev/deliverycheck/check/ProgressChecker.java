package dev.deliverycheck.check;

import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.CoordinatorTimeoutAbort;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkLoseRequest;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.event.ProducerBeginTxn;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerFenced;
import dev.deliverycheck.event.ProducerRestart;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.event.ProducerSendFailed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Progress, the Java side of the specs' liveness: once faults stopped and the run was given time
 * to settle, the system has finished its work. Judged on a settled run only, in every mode:
 * <ol>
 *   <li>the run settled (nothing left in flight, no producer work outstanding) within its budget;</li>
 *   <li>every {@code send()} completed: ProducerSendAcked, or ProducerSendFailed with a named error;</li>
 *   <li>every transaction a producer instance began has ended (ProducerEndTxnResult), unless the
 *       instance was replaced (a zombie) or fenced, which is fatal to it;</li>
 *   <li>commits happen: of the transactions whose commit was asked for and that no fault touched
 *       (no lost message, broker crash, producer restart, fencing or timeout abort between their
 *       ProducerBeginTxn and ProducerEndTxnResult), at least {@link #MIN_UNTOUCHED_COMMIT_SHARE}
 *       committed.</li>
 * </ol>
 * Not one of DESIGN.md's six safety invariants (it has no column in the outcome matrix); it is
 * expected to hold in every mode. Offenders are the record ids that never completed, or the
 * records of a transaction that did not end or did not commit.
 */
public final class ProgressChecker {
    /** The name in reports, JSON and replay files. */
    public static final String NAME = "Progress";
    /** Share of untouched transactions that must commit; a run with fewer is a violation. */
    public static final double MIN_UNTOUCHED_COMMIT_SHARE = 0.5;

    /** A progress judgement: whether it holds, the offending record ids, one line naming the first offence. */
    public record ProgressVerdict(boolean holds, List<Long> offendingIds, String explanation) {
        public ProgressVerdict {
            offendingIds = List.copyOf(offendingIds);
        }

        public String label() {
            return holds ? "holds" : "violated";
        }
    }

    private record TxnKey(int producer, int index) {
    }

    /** A transaction as progress sees it: its records, whether commit was asked, how it ended, whether a fault touched it. */
    private static final class Txn {
        final List<Long> records = new ArrayList<>();
        boolean commitAsked;
        ProducerEndTxnResult result;
        boolean touched;
    }

    public ProgressVerdict check(History history, boolean settled) {
        if (!settled) {
            return new ProgressVerdict(false, List.of(), "the run did not settle: work was still outstanding when "
                    + "the settle budget ran out after faults stopped");
        }
        Map<Long, ProducerSend> pending = new LinkedHashMap<>();
        Set<Integer> zombies = new HashSet<>();
        Set<Integer> fenced = new HashSet<>();
        Map<TxnKey, Txn> txns = new LinkedHashMap<>();
        Map<Integer, Txn> open = new HashMap<>();
        List<Long> badFailures = new ArrayList<>();
        for (Event e : history.events()) {
            if (e instanceof ProducerSend s) {
                pending.put(s.recordId(), s);
                Txn t = open.get(s.producer());
                if (t != null) {
                    t.records.add(s.recordId());
                }
            } else if (e instanceof ProducerSendAcked a) {
                pending.remove(a.recordId());
            } else if (e instanceof ProducerSendFailed f) {
                pending.remove(f.recordId());
                if (f.error() == null || f.error().isBlank()) {
                    badFailures.add(f.recordId());
                }
            } else if (e instanceof ProducerRestart r) {
                zombies.add(r.oldProducer());
                open.values().forEach(t -> t.touched = true);
            } else if (e instanceof ProducerBeginTxn b) {
                Txn t = new Txn();
                txns.put(new TxnKey(b.producer(), b.transactionIndex()), t);
                open.put(b.producer(), t);
            } else if (e instanceof ProducerEndTxn end) {
                Txn t = txns.get(new TxnKey(end.producer(), end.transactionIndex()));
                if (t != null && end.commit()) {
                    t.commitAsked = true;
                }
            } else if (e instanceof ProducerEndTxnResult r) {
                Txn t = txns.get(new TxnKey(r.producer(), r.transactionIndex()));
                if (t != null) {
                    t.result = r;
                    open.remove(r.producer(), t);
                }
            } else if (e instanceof ProducerFenced f) {
                // Fencing is fatal to an instance (Kafka: the application must close it): its open
                // transaction ends there, with a named error.
                fenced.add(f.producer());
                open.values().forEach(t -> t.touched = true);
            } else if (isFault(e)) {
                open.values().forEach(t -> t.touched = true);
            }
        }
        if (!pending.isEmpty()) {
            ProducerSend first = pending.values().iterator().next();
            return new ProgressVerdict(false, new ArrayList<>(pending.keySet()), pending.size()
                    + " send() call(s) never completed after the run settled, first record " + first.recordId()
                    + " sent by producer " + first.producer() + " to " + first.topicPartition());
        }
        if (!badFailures.isEmpty()) {
            return new ProgressVerdict(false, badFailures, "send() of record " + badFailures.get(0)
                    + " failed without a named error");
        }
        for (Map.Entry<TxnKey, Txn> entry : txns.entrySet()) {
            TxnKey key = entry.getKey();
            if (entry.getValue().result == null && !zombies.contains(key.producer()) && !fenced.contains(key.producer())) {
                return new ProgressVerdict(false, entry.getValue().records, "transaction " + key.index()
                        + " of producer " + key.producer() + " began and never ended after the run settled");
            }
        }
        int untouched = 0;
        int committed = 0;
        List<Long> notCommitted = new ArrayList<>();
        String firstFailure = null;
        for (Map.Entry<TxnKey, Txn> entry : txns.entrySet()) {
            Txn t = entry.getValue();
            if (!t.commitAsked || t.touched || t.result == null) {
                continue;
            }
            untouched++;
            if (t.result.commit() && t.result.error() == null) {
                committed++;
            } else {
                notCommitted.addAll(t.records);
                if (firstFailure == null) {
                    firstFailure = "transaction " + entry.getKey().index() + " of producer " + entry.getKey().producer()
                            + " asked to commit, no fault touched it, and it ended "
                            + (t.result.commit() ? "with error " + t.result.error() : "aborted");
                }
            }
        }
        if (untouched > 0 && committed < MIN_UNTOUCHED_COMMIT_SHARE * untouched) {
            return new ProgressVerdict(false, notCommitted, "only " + committed + " of " + untouched
                    + " transactions that no fault touched committed (at least "
                    + Math.round(MIN_UNTOUCHED_COMMIT_SHARE * 100) + " % must); " + firstFailure);
        }
        return new ProgressVerdict(true, List.of(), "settled; every send() completed, every transaction ended, "
                + committed + " of " + untouched + " untouched transactions committed");
    }

    private static boolean isFault(Event e) {
        return e instanceof NetworkLoseRequest || e instanceof NetworkLoseResponse || e instanceof BrokerCrash
                || e instanceof CoordinatorTimeoutAbort;
    }
}
