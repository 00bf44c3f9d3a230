---------------------- MODULE MCIdempotentLiveUnordered ----------------------
(***************************************************************************)
(* Known-bad liveness variant: retries in any order (InOrderRetry = FALSE, *)
(* Kafka's shouldStopDrainBatchesForPartition switched off).  Expected:    *)
(* SendCompletes is violated by a lasso with no fault in its loop: the     *)
(* first record is acknowledged; the request of the second is lost, which  *)
(* breaks the connection, so the second and third batches wait for a       *)
(* retry, and the third is retried forever -- refused OUT_OF_ORDER (the     *)
(* broker knows the producer and misses sequence 1), not the batch after   *)
(* the last acknowledged one, so retried again -- while the lost second    *)
(* batch is never retried.  The fairness (per partition, as Kafka's sender *)
(* serves a partition's queue head) is met: a retry of the partition       *)
(* happens infinitely often.  Three records, as with two the broker has no *)
(* state for the producer and takes the second batch as its first.        *)
(***************************************************************************)
EXTENDS IdempotentLive

MC_SendOrder == [i \in {100} |-> <<1, 2, 3>>]
MC_PartitionOf == [r \in 1..3 |-> 0]
MC_TxnOf == [r \in 1..3 |-> -1]
MC_LeaderOf == [p \in {0} |-> 0]
MC_InOrderRetry == FALSE
=============================================================================
