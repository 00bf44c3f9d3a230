---------------------- MODULE MCIdempotentTwoPartitions ----------------------
(* Model of Idempotent with two partitions on one broker: one producer,    *)
(* records 1..3 alternating between partitions 0 and 1 in single-record    *)
(* batches, two batches in flight; one lost request, one broker crash, one *)
(* premature timeout.  An epoch bump (KIP-360) for a gap in one partition  *)
(* must not renumber the other partition's batches in flight: they keep    *)
(* their epoch and sequences until they complete, and that partition       *)
(* starts at sequence 0 of the new epoch afterwards (Kafka's               *)
(* partitionsToRewriteSequences and maybeUpdateProducerIdAndEpoch).  With  *)
(* a bump that renumbered every partition, TLC found a duplicate here in   *)
(* 13 steps (spec/tla-trace.md).                                           *)
EXTENDS Idempotent

MC_SendOrder == [i \in {100} |-> <<1, 2, 3>>]
MC_PartitionOf == [r \in 1..3 |-> (r - 1) % 2]
MC_TxnOf == [r \in 1..3 |-> -1]
MC_LeaderOf == [p \in {0, 1} |-> 0]
=============================================================================
