package dev.deliverycheck.check;

import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.protocol.IsolationLevel;

/**
 * AckedDurable: every record whose send completed with an offset (acks=1 or all) is in its
 * partition as a read_uncommitted reader sees it, whatever crashed in between. acks=0
 * completions (offset -1) promise nothing; failed sends are indeterminate and never judged.
 */
public final class AckedDurableChecker implements InvariantChecker {

    @Override
    public Invariant invariant() {
        return Invariant.ACKED_DURABLE;
    }

    @Override
    public Verdict check(History history) {
        Offences offences = new Offences(invariant());
        int durable = 0;
        for (ProducerSendAcked ack : history.acks()) {
            if (ack.offset() >= 0) {
                durable++;
                View view = history.view(ack.topicPartition(), IsolationLevel.READ_UNCOMMITTED);
                if (!view.contains(ack.recordId())) {
                    offences.add(ack.recordId(), () -> "record " + ack.recordId() + " acknowledged at offset " + ack.offset()
                            + " of " + ack.topicPartition() + " is missing from " + view.describe());
                }
            }
        }
        return offences.verdict("all " + durable + " acknowledged records are in their partitions");
    }
}
