----------------------------- MODULE MCAtLeastOnce -----------------------------
(* Model of AtLeastOnce: one producer sending three records to one partition *)
(* in batches of up to two, two batches in flight; one lost ACK, one      *)
(* broker crash (MCAtLeastOnce.cfg); the deep tier's                      *)
(* MCAtLeastOnceLostRequest.cfg adds one lost request.                    *)
EXTENDS AtLeastOnce

MC_SendOrder == [i \in {100} |-> <<1, 2, 3>>]
MC_PartitionOf == [r \in 1..3 |-> 0]
MC_TxnOf == [r \in 1..3 |-> -1]
MC_LeaderOf == [p \in {0} |-> 0]
=============================================================================
