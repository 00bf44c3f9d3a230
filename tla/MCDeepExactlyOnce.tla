--------------------------- MODULE MCDeepExactlyOnce ---------------------------
(***************************************************************************)
(* Deep tier, exactly-once at Kafka's constants: dedup window 5, 5         *)
(* requests in flight, two producer instances of one transactional.id      *)
(* (100 starts, 101 replaces it; 100 goes on as a zombie), two             *)
(* transactions each, three partitions on two brokers, the coordinator on  *)
(* broker 0; every fault at budget 1 (a lost request, a lost ACK, a        *)
(* crash, a premature timeout, a transaction timeout).                     *)
(***************************************************************************)
EXTENDS ExactlyOnce

MC_SendOrder == (100 :> <<1, 2, 3, 4>>) @@ (101 :> <<5, 6, 7, 8>>)
MC_PartitionOf == [r \in 1..8 |-> (r - 1) % 3]
MC_TxnOf == [r \in 1..8 |-> IF r \in {1, 2, 5, 6} THEN 0 ELSE 1]
MC_LeaderOf == [p \in {0, 1, 2} |-> IF p = 0 THEN 0 ELSE 1]
=============================================================================
