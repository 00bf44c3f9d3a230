----------------------- MODULE MCAtMostOnceMultiBatch -----------------------
(* Model of AtMostOnce with multi-batch Produce requests: one producer,    *)
(* records 1 and 2 on partitions 0 and 1 of one broker, single-record      *)
(* batches, two in flight, MaxBatchesPerRequest 2, one lost request, one   *)
(* lost answer and one request timeout.  A request may carry both batches  *)
(* (ProducerSendRequest); the broker appends them, and the producer        *)
(* handles their answers, in either order; a stale answer of a response    *)
(* (its batch failed by the timeout) is delivered with its peers           *)
(* (MultiDeliver).                                                         *)
EXTENDS AtMostOnce

MC_SendOrder == [i \in {100} |-> <<1, 2>>]
MC_PartitionOf == [r \in 1..2 |-> r - 1]
MC_TxnOf == [r \in 1..2 |-> -1]
MC_LeaderOf == [p \in {0, 1} |-> 0]
=============================================================================
