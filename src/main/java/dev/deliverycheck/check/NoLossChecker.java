package dev.deliverycheck.check;

import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.protocol.IsolationLevel;

/**
 * NoLoss: every record that had to be delivered is in its partition as a reader sees it. Outside
 * a transaction that is every record handed to send(), read read_uncommitted — a send that failed
 * or expired counts as lost. Inside one it is every record of a transaction whose commit was
 * confirmed, read read_committed; records of aborted or undecided transactions owe nothing.
 * Only meaningful on a settled run: mid-run, records in flight would look lost.
 */
public final class NoLossChecker implements InvariantChecker {

    @Override
    public Invariant invariant() {
        return Invariant.NO_LOSS;
    }

    @Override
    public Verdict check(History history) {
        Offences offences = new Offences(invariant());
        int owed = 0;
        for (ProducerSend send : history.sends()) {
            if (send.transactionIndex() < 0) {
                owed++;
                View view = history.view(send.topicPartition(), IsolationLevel.READ_UNCOMMITTED);
                if (!view.contains(send.recordId())) {
                    offences.add(send.recordId(), () -> "record " + send.recordId() + " sent by producer " + send.producer()
                            + " is missing from " + view.describe());
                }
            } else {
                Transaction transaction = history.transaction(send.producer(), send.transactionIndex());
                if (transaction.commitConfirmed()) {
                    owed++;
                    View view = history.view(send.topicPartition(), IsolationLevel.READ_COMMITTED);
                    if (!view.contains(send.recordId())) {
                        offences.add(send.recordId(), () -> "record " + send.recordId() + " of committed "
                                + transaction.describe() + " is missing from " + view.describe());
                    }
                }
            }
        }
        return offences.verdict("all " + owed + " records owed to readers are in their partitions");
    }
}
