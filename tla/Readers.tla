-------------------------------- MODULE Readers --------------------------------
(***************************************************************************)
(* What a consumer sees, and the invariants' building blocks over it.      *)
(* The high watermark is the durable end of the log, so a reader never     *)
(* sees data a crash could take back.  Three views of a partition:         *)
(* LogView (every record, volatile tail included: what was written at all),*)
(* DurableView (read_uncommitted: records below the high watermark) and    *)
(* CommittedView (read_committed: up to the last stable offset, aborted    *)
(* transactions and markers skipped).  Each guarantee spec picks the view  *)
(* its invariants read.  State functions only: reads are not actions.      *)
(*                                                                         *)
(* Abstracted away: consumer groups, offsets commits, fetch sessions; a    *)
(* read is the view of the whole partition at one state.                   *)
(***************************************************************************)
EXTENDS PartitionLog

\* Position of the marker closing the transactional entry k of lg, or 0 while open.
CloserOf(lg, k) ==
    LET cs == {j \in k + 1..Len(lg) : lg[j].kind = "marker" /\ lg[j].pid = lg[k].pid}
    IN IF cs = {} THEN 0 ELSE SetMin(cs)

\* The last stable offset as a position: the first entry of a transaction not
\* decided below the high watermark hw.
LsoPos(lg, hw) ==
    LET open == {k \in 1..hw : lg[k].kind = "data" /\ lg[k].txn
                               /\ (CloserOf(lg, k) = 0 \/ CloserOf(lg, k) > hw)}
    IN IF open = {} THEN hw + 1 ELSE SetMin(open)

RECURSIVE Flatten(_)
Flatten(es) == IF es = <<>> THEN <<>> ELSE Head(es).recs \o Flatten(Tail(es))

\* Every data record of the log, volatile tail included.
LogView(p) == Flatten(log[p])
\* read_uncommitted: data records below the high watermark.
DurableView(p) == Flatten(SubSeq(log[p], 1, durable[p]))

\* read_committed: stop at the LSO, skip aborted transactions and markers.
CommittedEntry(lg, k) ==
    /\ lg[k].kind = "data"
    /\ \/ ~lg[k].txn
       \/ CloserOf(lg, k) # 0 /\ lg[CloserOf(lg, k)].commit
RECURSIVE CommittedUpTo(_, _)
CommittedUpTo(lg, n) ==
    IF n = 0 THEN <<>>
    ELSE CommittedUpTo(lg, n - 1) \o (IF CommittedEntry(lg, n) THEN lg[n].recs ELSE <<>>)
CommittedView(p) == CommittedUpTo(log[p], LsoPos(log[p], durable[p]) - 1)

ViewRecords(V(_)) == UNION {Range(V(p)) : p \in Partitions}

-----------------------------------------------------------------------------
(* Invariant building blocks; each guarantee module picks its view.        *)

NoDuplicateIn(V(_)) ==
    \A p \in Partitions : \A x, y \in DOMAIN V(p) : x < y => V(p)[x] # V(p)[y]

\* Records of one producer instance appear in send order (duplicates are
\* NoDuplicate's business, so equal positions are allowed).
PartitionOrderIn(V(_)) ==
    \A p \in Partitions : \A x, y \in DOMAIN V(p) :
        (x < y /\ ProducerOf(V(p)[x]) = ProducerOf(V(p)[y])) => SendIdx(V(p)[x]) <= SendIdx(V(p)[y])

\* Every acknowledged record is durable, so no crash can take it back.
AckedDurableInv == inv.acked \subseteq ViewRecords(DurableView)

SentRecords == UNION {{SendOrder[i][k] : k \in 1..pNext[i]} : i \in Producers}
=============================================================================
