--------------------------- MODULE TraceAtLeastOnce ---------------------------
(***************************************************************************)
(* Trace validation of a Java at-least-once run: every event must be       *)
(* explained by TraceCommon's mapping onto AtLeastOnce's actions.           *)
(***************************************************************************)
EXTENDS AtLeastOnce, TraceCommon

TraceNext ==
    /\ cursor <= Len(TraceLog)
    /\ CommonMatch
    /\ cursor' = cursor + 1
=============================================================================
