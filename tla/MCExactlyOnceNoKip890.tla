------------------------- MODULE MCExactlyOnceNoKip890 -------------------------
(***************************************************************************)
(* Known-bad variant: transactions without the KIP-890 checks.  The real   *)
(* bug: KAFKA-14402 / the "hanging transaction" and late-write problems    *)
(* that Jepsen's Bufstream analysis (2024) also reproduced on Kafka -- a   *)
(* produce request delayed on the wire arrives after its transaction was  *)
(* aborted; the broker, not verifying with the coordinator (part 1) and    *)
(* seeing the same epoch (no bump per transaction, part 2), appends it,    *)
(* and the producer's next transaction commits it: an aborted write        *)
(* becomes visible.                                                        *)
(* Expected: AtomicCommit is violated.  The model is MCExactlyOnceLate     *)
(* with VerifyTxnPartitions = BumpEpochPerTxn = FALSE.                     *)
(***************************************************************************)
EXTENDS MCExactlyOnceLate
=============================================================================
