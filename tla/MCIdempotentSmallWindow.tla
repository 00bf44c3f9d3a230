------------------------ MODULE MCIdempotentSmallWindow ------------------------
(***************************************************************************)
(* Known-bad variant: a dedup window smaller than max.in.flight.  The real *)
(* bug: brokers before KAFKA-5494 cached only the last batch per producer, *)
(* so idempotence required max.in.flight=1; with more batches in flight a  *)
(* retry older than the cache comes back OUT_OF_ORDER_SEQUENCE_NUMBER      *)
(* although it is in the log, the producer (KIP-360) takes it for a gap,   *)
(* bumps its epoch and sends the batch again under the new epoch -- a       *)
(* duplicate.  Kafka therefore caps max.in.flight at 5, the window size.   *)
(* Expected: NoDuplicate is violated.  The model is MCIdempotent with      *)
(* DedupWindow = 1 and MaxInFlight = 2.                                    *)
(***************************************************************************)
EXTENDS MCIdempotent
=============================================================================
