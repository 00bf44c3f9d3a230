-------------------------- MODULE MCExactlyOnceZombie --------------------------
(* Model of ExactlyOnce with a zombie: instance 100 starts a transaction     *)
(* writing record 1, then a new instance 101 with the same transactional.id *)
(* starts and writes record 2, while 100 goes on as a zombie.              *)
EXTENDS ExactlyOnce

MC_SendOrder == (100 :> <<1>>) @@ (101 :> <<2>>)
MC_PartitionOf == [r \in 1..2 |-> 0]
MC_TxnOf == [r \in 1..2 |-> 0]
MC_LeaderOf == [p \in {0} |-> 0]
=============================================================================
