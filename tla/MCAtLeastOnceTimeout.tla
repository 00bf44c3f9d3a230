------------------------- MODULE MCAtLeastOnceTimeout -------------------------
(* Model of AtLeastOnce with a premature request timeout: one producer      *)
(* sends three records to one partition in batches of up to two, two in   *)
(* flight; one premature timeout (the batch is retried while its first     *)
(* copy or answer is still on its way, so the first answer arrives for a   *)
(* batch already completed: a stale answer, NetworkDeliver), one lost ACK; *)
(* MCAtLeastOnceTimeout.cfg has no crash (default tier), the deep tier's   *)
(* MCAtLeastOnceTimeoutCrash.cfg adds one broker crash (5.6 times as      *)
(* slow).  MCAtLeastOnce has the crash without the timeout.              *)
EXTENDS AtLeastOnce

MC_SendOrder == [i \in {100} |-> <<1, 2, 3>>]
MC_PartitionOf == [r \in 1..3 |-> 0]
MC_TxnOf == [r \in 1..3 |-> -1]
MC_LeaderOf == [p \in {0} |-> 0]
=============================================================================
