----------------------------- MODULE MCExactlyOnceLive ----------------------------
(* Liveness model of ExactlyOnce: one producer instance, one transaction  *)
(* writing one record to each of two partitions on one broker (also the   *)
(* coordinator); faults as its config says.                               *)
EXTENDS ExactlyOnceLive

MC_SendOrder == [i \in {100} |-> <<1, 2>>]
MC_PartitionOf == [r \in 1..2 |-> r - 1]
MC_TxnOf == [r \in 1..2 |-> 0]
MC_LeaderOf == [p \in {0, 1} |-> 0]
=============================================================================
