----------------------- MODULE MCIdempotentMultiBatch -----------------------
(* Model of Idempotent with multi-batch Produce requests: one producer,    *)
(* partitions 0 and 1 on one broker, records 1 and 2 (one per partition),  *)
(* single-record batches, two batches in flight, MaxBatchesPerRequest 2,   *)
(* one lost request and one lost answer.  A request may carry the batches  *)
(* of both partitions (new ones, or retransmissions after an error or a    *)
(* broken connection) under one correlation id; the broker handles them,   *)
(* and the producer their answers, in either order; a lost request or      *)
(* answer loses both (the connection breaks).  Java's Sender builds such   *)
(* requests, and trace validation takes these actions for them             *)
(* (TraceCommon).  Abstracted (for time: 1 record more makes it 5.6 times  *)
(* larger): crashes, timeouts, epoch bumps, a partition's second batch.    *)
(* Also abstracted: more than two batches per request (Kafka: one per      *)
(* partition of the leader), requests of other leaders, the order of the   *)
(* batches inside a request (partition order; they are handled in any).    *)
EXTENDS Idempotent

MC_SendOrder == [i \in {100} |-> <<1, 2>>]
MC_PartitionOf == [r \in 1..2 |-> (r - 1) % 2]
MC_TxnOf == [r \in 1..2 |-> -1]
MC_LeaderOf == [p \in {0, 1} |-> 0]
=============================================================================
