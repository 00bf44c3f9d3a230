----------------------- MODULE MCExactlyOnceKip890Part1 -----------------------
(***************************************************************************)
(* Known-bad variant: KIP-890 part 1 without part 2.  The leader verifies  *)
(* with the coordinator that the partition is in an ongoing transaction of *)
(* the batch's producer id and epoch -- but without an epoch bump per      *)
(* transaction the late produce of an aborted transaction carries the same *)
(* epoch as the producer's next transaction, passes the check once that    *)
(* transaction has added the partition, and is committed with it.  This is *)
(* why Kafka 4.0 added part 2 (and why KIP-360 bumps the epoch after a     *)
(* timed-out batch).                                                       *)
(* Expected: AtomicCommit is violated.  The model is MCExactlyOnceLate     *)
(* with VerifyTxnPartitions = TRUE and BumpEpochPerTxn = FALSE.            *)
(***************************************************************************)
EXTENDS MCExactlyOnceLate
=============================================================================
