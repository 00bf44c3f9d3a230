package dev.deliverycheck.check;

import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.HashSet;
import java.util.Set;

/**
 * The counts a run report prints, read from the same history and views the checkers judge, so
 * a count and its invariant's verdict can never disagree: {@code duplicates > 0} exactly when
 * NoDuplicate is violated, {@code lost}, {@code ackedButLost} and {@code reordered} are the
 * numbers of NoLoss, AckedDurable and PartitionOrder offenders.
 *
 * @param sent         ProducerSend events
 * @param acked        distinct records whose send completed successfully (acks=0 included)
 * @param failed       distinct records whose send completed with an error (indeterminate)
 * @param stored       distinct records the guarantee's reader sees, over all partitions
 * @param duplicates   extra copies the reader sees (a record read three times counts two)
 * @param lost         records owed to readers and missing (NoLoss offenders; settled runs only)
 * @param ackedButLost acknowledged records missing from the log (AckedDurable offenders)
 * @param reordered    records read after one their producer sent later (PartitionOrder offenders)
 */
public record RunCounts(int sent, int acked, int failed, int stored, int duplicates, int lost, int ackedButLost, int reordered) {

    /** Counts {@code history} as it stands; meant for a settled run, like NoLoss. */
    public static RunCounts of(History history) {
        Set<Long> acked = new HashSet<>();
        for (ProducerSendAcked ack : history.acks()) {
            acked.add(ack.recordId());
        }
        Set<Long> failed = new HashSet<>();
        for (ProducerSendFailed failure : history.failures()) {
            failed.add(failure.recordId());
        }
        IsolationLevel isolation = history.readerIsolation();
        Set<Long> stored = new HashSet<>();
        int duplicates = 0;
        for (TopicPartition tp : history.partitions()) {
            View view = history.view(tp, isolation);
            for (int position = 0; position < view.size(); position++) {
                stored.add(view.recordIdAt(position));
            }
            duplicates += view.repeatPositions().size();
        }
        return new RunCounts(history.sends().size(), acked.size(), failed.size(), stored.size(), duplicates,
                new NoLossChecker().check(history).offendingIds().size(),
                new AckedDurableChecker().check(history).offendingIds().size(),
                new PartitionOrderChecker().check(history).offendingIds().size());
    }
}
