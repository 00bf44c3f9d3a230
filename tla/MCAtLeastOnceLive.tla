-------------------- MODULE MCAtLeastOnceLive --------------------
(* Liveness model of AtLeastOnce: one producer, two records to one        *)
(* partition, one per batch, two in flight; one lost request and one    *)
(* lost ACK (TLC's liveness check is costly: the smallest model with     *)
(* both faults).                                                         *)
EXTENDS AtLeastOnceLive

MC_SendOrder == [i \in {100} |-> <<1, 2>>]
MC_PartitionOf == [r \in 1..2 |-> 0]
MC_TxnOf == [r \in 1..2 |-> -1]
MC_LeaderOf == [p \in {0} |-> 0]
=============================================================================
