----------------------- MODULE MCAtLeastOnceMultiBatch -----------------------
(* Model of AtLeastOnce with multi-batch Produce requests: one producer,   *)
(* records 1 and 2 on partitions 0 and 1 of one broker, single-record      *)
(* batches, two in flight, MaxBatchesPerRequest 2, one lost request (both  *)
(* batches wait for their retry and may go again in one request) and one   *)
(* premature timeout (the first transmission's answer arrives stale and is *)
(* delivered with its response's peers, MultiDeliver).  The broker appends *)
(* a request's batches, and the producer handles their answers, in either  *)
(* order.  No lost answer: with it the model did not finish in 4 minutes   *)
(* (over 287,000 states; at least once writes every retry again).          *)
EXTENDS AtLeastOnce

MC_SendOrder == [i \in {100} |-> <<1, 2>>]
MC_PartitionOf == [r \in 1..2 |-> r - 1]
MC_TxnOf == [r \in 1..2 |-> -1]
MC_LeaderOf == [p \in {0, 1} |-> 0]
=============================================================================
