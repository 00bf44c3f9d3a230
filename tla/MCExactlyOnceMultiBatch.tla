----------------------- MODULE MCExactlyOnceMultiBatch -----------------------
(* Model of ExactlyOnce with multi-batch Produce requests: one producer,   *)
(* one transaction over partitions 0 and 1 of one broker (records 1, 2),   *)
(* single-record batches, two in flight, MaxBatchesPerRequest 2.  The      *)
(* MCExactlyOnceMultiBatch config has one lost request (a KIP-890          *)
(* verification without an answer refuses a batch behind its request's     *)
(* first; both batches go again in one request, the second a duplicate);   *)
(* MCExactlyOnceMultiBatchTxnTimeout a transaction timeout instead (the    *)
(* coordinator aborts while the request is on its way: its second batch is *)
(* refused INVALID_TXN_STATE and fails the producer's batch behind the     *)
(* first answer).  Together with a lost answer, or both faults, the model  *)
(* has 99,127 to 135,901 states: too slow for the default tier.            *)
EXTENDS ExactlyOnce

MC_SendOrder == [i \in {100} |-> <<1, 2>>]
MC_PartitionOf == [r \in 1..2 |-> r - 1]
MC_TxnOf == [r \in 1..2 |-> 0]
MC_LeaderOf == [p \in {0, 1} |-> 0]
=============================================================================
