-------------------------- MODULE MCIdempotentWindow --------------------------
(* Model of Idempotent where the broker's dedup window slides: window 2 =  *)
(* max.in.flight 2, four single-record batches to one partition (window+2), *)
(* so the producer state evicts the oldest batches while retries of       *)
(* in-flight batches still arrive.  One lost ACK, one broker crash, one   *)
(* premature timeout; the deep tier's MCIdempotentWindowLostRequest.cfg   *)
(* adds one lost request.  Kafka's rule window >= in-flight                *)
(* (5 = 5) keeps every retry inside the window: no duplicate, no loss.     *)
EXTENDS Idempotent

MC_SendOrder == [i \in {100} |-> <<1, 2, 3, 4>>]
MC_PartitionOf == [r \in 1..4 |-> 0]
MC_TxnOf == [r \in 1..4 |-> -1]
MC_LeaderOf == [p \in {0} |-> 0]
=============================================================================
