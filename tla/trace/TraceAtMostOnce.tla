--------------------------- MODULE TraceAtMostOnce ---------------------------
(***************************************************************************)
(* Trace validation of a Java at-most-once run: every event must be        *)
(* explained by TraceCommon's mapping onto AtMostOnce's actions.  A         *)
(* ProducerRetry can never be explained: the spec has none (retries=0).     *)
(***************************************************************************)
EXTENDS AtMostOnce, TraceCommon

TraceNext ==
    /\ cursor <= Len(TraceLog)
    /\ CommonMatch
    /\ cursor' = cursor + 1
=============================================================================
