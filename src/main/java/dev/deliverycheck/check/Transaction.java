package dev.deliverycheck.check;

import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerSend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One transaction of one producer instance as its caller saw it: the records sent in it and what
 * was asked of and answered by the coordinator. The answer flags only ever turn true; a commit
 * that was asked for and neither confirmed nor replaced by a confirmed abort is indeterminate.
 */
public final class Transaction {
    private final int producer;
    private final int index;
    private final List<ProducerSend> records = new ArrayList<>();
    private final List<ProducerSend> readOnlyRecords = Collections.unmodifiableList(records);
    private boolean commitRequested;
    private boolean commitConfirmed;
    private boolean abortConfirmed;

    Transaction(int producer, int index) {
        this.producer = producer;
        this.index = index;
    }

    void add(ProducerSend send) {
        records.add(send);
    }

    void add(ProducerEndTxn endTxn) {
        commitRequested |= endTxn.commit();
    }

    void add(ProducerEndTxnResult result) {
        if (result.commit()) {
            // An answer to a commit, even an error, proves the commit was asked for.
            commitRequested = true;
            commitConfirmed |= result.error() == null;
        } else {
            abortConfirmed |= result.error() == null;
        }
    }

    /** The producer instance (node id) that ran the transaction. */
    public int producer() {
        return producer;
    }

    /** The transaction's number within its producer instance, from 0. */
    public int index() {
        return index;
    }

    /** The records sent in the transaction, in send order. */
    public List<ProducerSend> records() {
        return readOnlyRecords;
    }

    /** Whether the producer ever sent EndTxn(commit) for it, or heard any answer to a commit. */
    public boolean commitRequested() {
        return commitRequested;
    }

    /** Whether the caller was told the commit succeeded. */
    public boolean commitConfirmed() {
        return commitConfirmed;
    }

    /** Whether the caller was told an abort succeeded. */
    public boolean abortConfirmed() {
        return abortConfirmed;
    }

    /** A commit was asked for but the caller never learnt the outcome: both outcomes are allowed. */
    public boolean commitIndeterminate() {
        return commitRequested && !commitConfirmed && !abortConfirmed;
    }

    /** "transaction 2 of producer 100", for explanations. */
    public String describe() {
        return "transaction " + index + " of producer " + producer;
    }
}
