--------------------------- MODULE MCDeepIdempotent ---------------------------
(***************************************************************************)
(* Deep tier (check-models --tier deep), Kafka's real constants: the        *)
(* broker's dedup window of 5 batches (ProducerStateEntry's                *)
(* NUM_BATCHES_TO_RETAIN) and max.in.flight.requests.per.connection = 5,   *)
(* the largest value Kafka accepts with enable.idempotence=true.  Seven    *)
(* single-record batches to partition 0 (so the window evicts: the sixth   *)
(* and seventh batch push the first two out) and one to partition 1 on a   *)
(* second broker; two lost requests, two lost ACKs, a crash of each broker *)
(* and two premature timeouts.  Far too large for breadth-first search on  *)
(* one machine: checked by TLC's simulation mode or its distributed mode.  *)
(***************************************************************************)
EXTENDS Idempotent

MC_SendOrder == [i \in {100} |-> <<1, 2, 3, 4, 5, 6, 7, 8>>]
MC_PartitionOf == [r \in 1..8 |-> IF r = 8 THEN 1 ELSE 0]
MC_TxnOf == [r \in 1..8 |-> -1]
MC_LeaderOf == [p \in {0, 1} |-> p]
=============================================================================
