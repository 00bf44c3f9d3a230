----------------------------- MODULE PartitionLog -----------------------------
(***************************************************************************)
(* What a partition leader stores: batches as the producer stamps them,    *)
(* the log's entries (data batches and transaction markers) with Kafka's   *)
(* offsets, and the producer-state table of the leader (Kafka's            *)
(* ProducerStateManager): per producer id the epoch, the window of the     *)
(* last DedupWindow batches (sequence range and position, for duplicate    *)
(* detection), whether a transaction is open, and the highest coordinator  *)
(* epoch of its markers.  The table is a fold of the log (ApplyEntry), so  *)
(* replaying the surviving log after a crash rebuilds it (Replay) --       *)
(* Kafka's latest snapshot plus the log after it gives the same state,     *)
(* as a snapshot is the fold of a log prefix.  Pure functions: no action.  *)
(*                                                                         *)
(* Abstracted away: offsets are positions (an entry's size in offsets is   *)
(* kept only for EndOffset, which trace validation compares), record       *)
(* contents, segments, compaction, retention.                              *)
(***************************************************************************)
EXTENDS DeliveryState

LastSeqOf(bt) == IF bt.seq = NoSeq THEN NoSeq ELSE bt.seq + Len(bt.recs) - 1

\* cepoch: the coordinator epoch a marker was written with (-1 for data).
DataEntry(bt) == [kind |-> "data", recs |-> bt.recs, pid |-> bt.pid, epoch |-> bt.epoch,
                  seq |-> bt.seq, txn |-> bt.txn, commit |-> FALSE, cepoch |-> -1]
MarkerEntry(pid, epoch, commit, cepoch) == [kind |-> "marker", recs |-> <<>>, pid |-> pid, epoch |-> epoch,
                                            seq |-> NoSeq, txn |-> TRUE, commit |-> commit, cepoch |-> cepoch]

\* Kafka offsets: a data batch takes one offset per record, a marker one.
EntrySize(e) == IF e.kind = "data" THEN Len(e.recs) ELSE 1
RECURSIVE OffsetBefore(_, _)
OffsetBefore(lg, k) == IF k <= 1 THEN 0 ELSE OffsetBefore(lg, k - 1) + EntrySize(lg[k - 1])
EndOffset(lg) == OffsetBefore(lg, Len(lg) + 1)

\* cepoch: the highest coordinator epoch of a marker of this producer on the partition
\* (Kafka's ProducerStateEntry.coordinatorEpoch).
ProducerStateEntry(epoch, window, open, cepoch) == [epoch |-> epoch, window |-> window, open |-> open, cepoch |-> cepoch]
NoProducerStateEntry == ProducerStateEntry(NoEpoch, <<>>, FALSE, -1)
Put(f, x, v) == [y \in DOMAIN f \cup {x} |-> IF y = x THEN v ELSE f[y]]
EmptyTable == [x \in {} |-> NoProducerStateEntry]
LastN(s, n) == IF Len(s) <= n THEN s ELSE SubSeq(s, Len(s) - n + 1, Len(s))
LastSeqIn(st) == IF st.window = <<>> THEN NoSeq ELSE st.window[Len(st.window)].last

\* The producer-state table after entry e at position k (ProducerStateManager).
ApplyEntry(tbl, e, k) ==
    IF e.pid = NoPid THEN tbl
    ELSE IF e.kind = "data" THEN
        LET meta == [first |-> e.seq, last |-> LastSeqOf(e), idx |-> k]
            old == IF e.pid \in DOMAIN tbl THEN tbl[e.pid] ELSE NoProducerStateEntry
            win == IF old.epoch = e.epoch THEN LastN(Append(old.window, meta), DedupWindow) ELSE <<meta>>
        IN Put(tbl, e.pid, ProducerStateEntry(e.epoch, win, e.txn, old.cepoch))
    ELSE \* a marker closes the producer's transaction; a newer epoch resets its sequences
        LET old == IF e.pid \in DOMAIN tbl THEN tbl[e.pid] ELSE NoProducerStateEntry
        IN Put(tbl, e.pid, ProducerStateEntry(Max(old.epoch, e.epoch),
                                 IF e.epoch > old.epoch THEN <<>> ELSE old.window, FALSE,
                                 Max(old.cepoch, e.cepoch)))

RECURSIVE Replay(_, _)
Replay(lg, n) == IF n = 0 THEN EmptyTable ELSE ApplyEntry(Replay(lg, n - 1), lg[n], n)
=============================================================================
