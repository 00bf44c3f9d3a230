package dev.deliverycheck.check;

import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/**
 * AtomicCommit: a read_committed reader sees all records of a committed transaction and none of
 * one that was not committed. Per transaction of a producer instance:
 * <ul>
 *   <li>abort confirmed to the caller, or commit never even asked for (aborted by the
 *       coordinator on fencing or timeout, or still open): none of its records is visible —
 *       judged at any step, since no later event could make such a visible record right;</li>
 *   <li>commit confirmed: all its records are visible in their partitions — judged on a settled
 *       run only, because markers are written after the caller hears "committed" and the last
 *       stable offset holds records back while other transactions are open;</li>
 *   <li>commit asked for, outcome unknown to the caller: either explanation is allowed, so on a
 *       settled run its records are all visible or all invisible, never torn.</li>
 * </ul>
 */
public final class AtomicCommitChecker implements InvariantChecker {

    @Override
    public Invariant invariant() {
        return Invariant.ATOMIC_COMMIT;
    }

    @Override
    public Verdict check(History history) {
        return judge(history, true);
    }

    /** Mid-run only the visibility of records that must never be visible is an offence. */
    @Override
    public Verdict checkStep(History history) {
        return judge(history, false);
    }

    private Verdict judge(History history, boolean settled) {
        Offences offences = new Offences(invariant());
        int judged = 0;
        for (Transaction transaction : history.transactions()) {
            judged++;
            if (transaction.abortConfirmed() || !transaction.commitRequested()) {
                String why = transaction.abortConfirmed() ? "aborted " + transaction.describe()
                        : transaction.describe() + ", whose commit was never requested,";
                for (ProducerSend send : transaction.records()) {
                    View seen = whereVisible(history, send.recordId());
                    if (seen != null) {
                        offences.add(send.recordId(), () -> "record " + send.recordId() + " of " + why + " is visible at offset "
                                + seen.firstOffsetOf(send.recordId()) + " of " + seen.topicPartition() + " (read_committed)");
                    }
                }
            }
            if (settled && transaction.commitConfirmed()) {
                for (ProducerSend send : transaction.records()) {
                    View view = history.view(send.topicPartition(), IsolationLevel.READ_COMMITTED);
                    if (!view.contains(send.recordId())) {
                        offences.add(send.recordId(), () -> "record " + send.recordId() + " of committed "
                                + transaction.describe() + " is missing from " + view.describe());
                    }
                }
            }
            if (settled && transaction.commitIndeterminate()) {
                judgeTorn(history, transaction, offences);
            }
        }
        return offences.verdict((settled ? "" : "so far ") + "none of " + judged
                + " transactions is torn or shows records it must not (read_committed)");
    }

    /** An indeterminate commit may have happened or not, but not half-way. */
    private static void judgeTorn(History history, Transaction transaction, Offences offences) {
        ProducerSend firstVisible = null;
        List<ProducerSend> missing = new ArrayList<>();
        for (ProducerSend send : transaction.records()) {
            if (history.view(send.topicPartition(), IsolationLevel.READ_COMMITTED).contains(send.recordId())) {
                firstVisible = firstVisible == null ? send : firstVisible;
            } else {
                missing.add(send);
            }
        }
        if (firstVisible != null && !missing.isEmpty()) {
            ProducerSend visible = firstVisible;
            ProducerSend firstMissing = missing.get(0);
            List<Long> ids = new ArrayList<>();
            for (ProducerSend send : missing) {
                ids.add(send.recordId());
            }
            offences.add(ids, () -> transaction.describe() + ", whose commit outcome is unknown, is torn: record "
                    + visible.recordId() + " is visible in " + visible.topicPartition() + " but record "
                    + firstMissing.recordId() + " is missing from "
                    + history.view(firstMissing.topicPartition(), IsolationLevel.READ_COMMITTED).describe());
        }
    }

    /** The first read_committed view, in partition order, that shows {@code recordId}; null if none does. */
    private static View whereVisible(History history, long recordId) {
        for (TopicPartition tp : history.partitions()) {
            View view = history.view(tp, IsolationLevel.READ_COMMITTED);
            if (view.contains(recordId)) {
                return view;
            }
        }
        return null;
    }
}
