----------------------------- MODULE MCExactlyOnce -----------------------------
(* Model of ExactlyOnce: one producer instance, one transaction writing one  *)
(* record to each of two partitions on one broker (also the coordinator);   *)
(* one lost ACK and one transaction timeout (MCExactlyOnce.cfg); the deep *)
(* tier's MCExactlyOnceCrash.cfg adds one broker crash.                   *)
EXTENDS ExactlyOnce

MC_SendOrder == [i \in {100} |-> <<1, 2>>]
MC_PartitionOf == [r \in 1..2 |-> r - 1]
MC_TxnOf == [r \in 1..2 |-> 0]
MC_LeaderOf == [p \in {0, 1} |-> 0]
=============================================================================
