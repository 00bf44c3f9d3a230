--------------------------- MODULE MCExactlyOnceLate ---------------------------
(* Model of ExactlyOnce for late produce requests: one producer instance     *)
(* runs two transactions of one record each on the same partition; a       *)
(* premature delivery timeout can fail a batch whose request is still on   *)
(* the wire, so it may arrive after its transaction was aborted and the    *)
(* next one began.                                                          *)
EXTENDS ExactlyOnce

MC_SendOrder == [i \in {100} |-> <<1, 2>>]
MC_PartitionOf == [r \in 1..2 |-> 0]
MC_TxnOf == [r \in 1..2 |-> r - 1]
MC_LeaderOf == [p \in {0} |-> 0]
=============================================================================
