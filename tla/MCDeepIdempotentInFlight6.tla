----------------------- MODULE MCDeepIdempotentInFlight6 -----------------------
(***************************************************************************)
(* Deep tier, known-bad: Kafka's dedup window of 5 with 6 requests in      *)
(* flight -- the one value past the cap Kafka enforces (ProducerConfig     *)
(* refuses max.in.flight.requests.per.connection > 5 with idempotence;     *)
(* brokers cache exactly 5 batches per producer and partition).  A retry   *)
(* of the oldest of six outstanding batches comes back                     *)
(* OUT_OF_ORDER_SEQUENCE_NUMBER although it is in the log, the producer    *)
(* bumps its epoch and writes it again.  One producer, seven batches to    *)
(* one partition, the fault budget of MCDeepIdempotent.  Expected:         *)
(* NoDuplicate is violated (breadth-first TLC found it at depth 27).       *)
(***************************************************************************)
EXTENDS Idempotent

MC_SendOrder == [i \in {100} |-> <<1, 2, 3, 4, 5, 6, 7>>]
MC_PartitionOf == [r \in 1..7 |-> 0]
MC_TxnOf == [r \in 1..7 |-> -1]
MC_LeaderOf == [p \in {0} |-> 0]
=============================================================================
