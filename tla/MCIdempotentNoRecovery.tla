------------------------ MODULE MCIdempotentNoRecovery ------------------------
(***************************************************************************)
(* Known-bad variant: idempotence without producer-state recovery after a  *)
(* crash.  The real bug: a broker that loses its producer-state table on   *)
(* restart (no snapshot, no replay of the log -- cf. KAFKA-5793 and the    *)
(* producer-state snapshot work of KIP-98 / KIP-360) takes the retry of a  *)
(* batch whose ACK was lost in the crash for the first batch of an unknown *)
(* producer (sequence 0) and writes it a second time.                      *)
(* Expected: NoDuplicate is violated.  The model is MCIdempotent with      *)
(* RecoverProducerState = FALSE.                                           *)
(***************************************************************************)
EXTENDS MCIdempotent
=============================================================================
