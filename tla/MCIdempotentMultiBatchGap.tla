---------------------- MODULE MCIdempotentMultiBatchGap ----------------------
(* Model of Idempotent with multi-batch Produce requests and a real gap:   *)
(* records 1, 2, 3 on partition 1 and 4 on partition 0, both partitions on *)
(* one broker, single-record batches, two in flight, MaxBatchesPerRequest  *)
(* 2, one lost request and one delivery timeout.  Partition 1's sequence 0 *)
(* is appended and acknowledged; the request of sequence 1 is lost and its *)
(* batch expires (unresolved); sequence 2 goes again in one request with   *)
(* partition 0's batch, behind it, and the broker refuses it               *)
(* OUT_OF_ORDER_SEQUENCE_NUMBER (BrokerRejectBehind); that answer, behind  *)
(* partition 0's, makes the producer bump its epoch                        *)
(* (ProducerBumpEpochBehind) or, at the epoch bound (MaxEpoch 0, the       *)
(* ReachFailedBehind config), fail the batch                               *)
(* (ProducerSendFailedBehind).  The positive model (140,527 states) is in  *)
(* the deep tier; the default tier checks the three reachability configs,  *)
(* which stop at the first such step.                                      *)
EXTENDS Idempotent

MC_SendOrder == [i \in {100} |-> <<1, 2, 3, 4>>]
MC_PartitionOf == [r \in 1..4 |-> IF r = 4 THEN 0 ELSE 1]
MC_TxnOf == [r \in 1..4 |-> -1]
MC_LeaderOf == [p \in {0, 1} |-> 0]
=============================================================================
