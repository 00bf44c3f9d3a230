--------------------------- MODULE MCIdempotentLive ---------------------------
(* Liveness model of Idempotent: one producer, two records to one         *)
(* partition, one per batch, two in flight; one lost request, one lost    *)
(* ACK, one delivery timeout.  The lost request breaks the connection:    *)
(* both batches wait for a retry, and only the earlier may go first        *)
(* (InOrderRetry); an expired batch leaves its sequence unresolved until   *)
(* a later one is acknowledged or the producer bumps its epoch.            *)
EXTENDS IdempotentLive

MC_SendOrder == [i \in {100} |-> <<1, 2>>]
MC_PartitionOf == [r \in 1..2 |-> 0]
MC_TxnOf == [r \in 1..2 |-> -1]
MC_LeaderOf == [p \in {0} |-> 0]
=============================================================================
