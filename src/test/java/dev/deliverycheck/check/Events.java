package dev.deliverycheck.check;

import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.CoordinatorPrepare;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/** Short factories for hand-written histories in the checker tests. */
final class Events {
    static final TopicPartition T0 = new TopicPartition("t", 0);
    static final TopicPartition T1 = new TopicPartition("t", 1);
    static final TopicPartition T2 = new TopicPartition("t", 2);
    static final IsolationLevel RU = IsolationLevel.READ_UNCOMMITTED;
    static final IsolationLevel RC = IsolationLevel.READ_COMMITTED;

    private Events() {
    }

    static ProducerSend send(int producer, long id, TopicPartition tp) {
        return new ProducerSend(producer, id, tp, -1);
    }

    static ProducerSend txSend(int producer, int txn, long id, TopicPartition tp) {
        return new ProducerSend(producer, id, tp, txn);
    }

    static ProducerSendAcked acked(int producer, long id, TopicPartition tp, long offset) {
        return new ProducerSendAcked(producer, id, tp, offset);
    }

    static ProducerSendFailed failed(int producer, long id, TopicPartition tp) {
        return new ProducerSendFailed(producer, id, tp, "NETWORK_EXCEPTION");
    }

    /** A fetch whose records sit at offsets 0, 1, 2, ... */
    static ConsumerFetch fetch(TopicPartition tp, IsolationLevel isolation, long... ids) {
        List<Long> offsets = new ArrayList<>();
        List<Long> recordIds = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            offsets.add((long) i);
            recordIds.add(ids[i]);
        }
        return new ConsumerFetch(tp, isolation, offsets, recordIds);
    }

    /** A fetch whose records sit at offsets first, first + step, first + 2 step, ... */
    static ConsumerFetch fetchAt(TopicPartition tp, IsolationLevel isolation, long first, long step, long... ids) {
        List<Long> offsets = new ArrayList<>();
        List<Long> recordIds = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            offsets.add(first + i * step);
            recordIds.add(ids[i]);
        }
        return new ConsumerFetch(tp, isolation, offsets, recordIds);
    }

    static ProducerEndTxn endTxn(int producer, int txn, boolean commit) {
        return new ProducerEndTxn(producer, "tx", 7L, (short) 0, txn, commit);
    }

    // the ended transaction's EndTxn (epoch 0) bumped the epoch; a failed end leaves it
    static ProducerEndTxnResult committed(int producer, int txn) {
        return new ProducerEndTxnResult(producer, txn, true, null, 7L, (short) 1);
    }

    static ProducerEndTxnResult aborted(int producer, int txn) {
        return new ProducerEndTxnResult(producer, txn, false, null, 7L, (short) 1);
    }

    static ProducerEndTxnResult commitFailed(int producer, int txn) {
        return new ProducerEndTxnResult(producer, txn, true, "REQUEST_TIMED_OUT", 7L, (short) 0);
    }

    static ProducerEndTxnResult abortFailed(int producer, int txn) {
        return new ProducerEndTxnResult(producer, txn, false, "REQUEST_TIMED_OUT", 7L, (short) 0);
    }

    static CoordinatorInitProducerId init(String transactionalId, long pid, int epoch) {
        return new CoordinatorInitProducerId(0, transactionalId, pid, (short) epoch);
    }

    static BrokerAppend append(TopicPartition tp, long pid, int epoch, long baseOffset, Long... ids) {
        return new BrokerAppend(0, tp, pid, (short) epoch, 0, baseOffset, List.of(ids), true);
    }

    static BrokerAppend plainAppend(TopicPartition tp, long pid, int epoch, long baseOffset, Long... ids) {
        return new BrokerAppend(0, tp, pid, (short) epoch, 0, baseOffset, List.of(ids), false);
    }

    static CoordinatorPrepare prepare(long pid, int epoch, boolean commit) {
        return new CoordinatorPrepare(0, "tx", pid, (short) epoch, commit);
    }

    static CoordinatorWriteMarker marker(TopicPartition tp, long pid, int epoch, ControlType type, long offset) {
        return new CoordinatorWriteMarker(0, tp, pid, (short) epoch, type, offset);
    }
}
