package dev.deliverycheck.check;

import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.HashMap;
import java.util.Map;

/**
 * PartitionOrder: per producer instance and partition, the first copies of that producer's
 * records appear in the order of their ProducerSend events, as the guarantee's reader sees the
 * partition. Later copies (duplicates) are NoDuplicate's business and absent records NoLoss's;
 * ids nobody sent are ignored. An offender is a record that appears after one sent later.
 */
public final class PartitionOrderChecker implements InvariantChecker {

    @Override
    public Invariant invariant() {
        return Invariant.PARTITION_ORDER;
    }

    /** The latest-sent record of one producer seen so far in one partition. */
    private record Latest(int sendPosition, long recordId, long offset) {
    }

    @Override
    public Verdict check(History history) {
        IsolationLevel isolation = history.readerIsolation();
        Offences offences = new Offences(invariant());
        for (TopicPartition tp : history.partitions()) {
            View view = history.view(tp, isolation);
            Map<Integer, Latest> latestByProducer = new HashMap<>();
            for (int i = 0; i < view.size(); i++) {
                int position = i;
                long id = view.recordIdAt(position);
                int sendPosition = history.sendPosition(id);
                if (sendPosition < 0 || view.firstPositionOf(id) != position) {
                    continue;
                }
                ProducerSend send = history.sends().get(sendPosition);
                Latest latest = latestByProducer.get(send.producer());
                if (latest != null && sendPosition < latest.sendPosition()) {
                    offences.add(id, () -> "record " + id + " of producer " + send.producer() + " appears at offset "
                            + view.offsetAt(position) + " of " + tp + " after record " + latest.recordId()
                            + " (sent later) at offset " + latest.offset() + " (" + View.nameOf(isolation) + ")");
                } else {
                    latestByProducer.put(send.producer(), new Latest(sendPosition, id, view.offsetAt(position)));
                }
            }
        }
        return offences.verdict("every producer's records appear in send order in each of "
                + history.partitions().size() + " partitions read " + View.nameOf(isolation));
    }
}
