package dev.deliverycheck.check;

import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;

/**
 * NoDuplicate: no record id appears twice in one partition as the guarantee's reader sees it
 * (read_uncommitted, or read_committed in a transactional run). Failed and unacknowledged sends
 * play no part: only copies actually read count, so nothing indeterminate is guessed.
 */
public final class NoDuplicateChecker implements InvariantChecker {

    @Override
    public Invariant invariant() {
        return Invariant.NO_DUPLICATE;
    }

    @Override
    public Verdict check(History history) {
        IsolationLevel isolation = history.readerIsolation();
        Offences offences = new Offences(invariant());
        int recordsRead = 0;
        for (TopicPartition tp : history.partitions()) {
            View view = history.view(tp, isolation);
            recordsRead += view.size();
            for (int position : view.repeatPositions()) {
                long id = view.recordIdAt(position);
                offences.add(id, () -> "record " + id + " appears at offsets " + view.firstOffsetOf(id) + " and "
                        + view.offsetAt(position) + " of " + tp + " (" + View.nameOf(isolation) + ")");
            }
        }
        return offences.verdict("no record id appears twice among the " + recordsRead + " records of "
                + history.partitions().size() + " partitions read " + View.nameOf(isolation));
    }
}
