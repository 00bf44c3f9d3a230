--------------------------- MODULE MCIdempotentLive ---------------------------
(* Liveness model of Idempotent: one producer, two records to one         *)
(* partition, one per batch, two in flight; one lost request, one lost    *)
(* ACK.  The lost request breaks the connection: both batches wait for a  *)
(* retry, and only the earlier may go first (InOrderRetry).               *)
EXTENDS IdempotentLive

MC_SendOrder == [i \in {100} |-> <<1, 2>>]
MC_PartitionOf == [r \in 1..2 |-> 0]
MC_TxnOf == [r \in 1..2 |-> -1]
MC_LeaderOf == [p \in {0} |-> 0]
=============================================================================
