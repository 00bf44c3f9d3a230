--------------------- MODULE MCAtLeastOnceAckBeforeFlush ---------------------
(***************************************************************************)
(* Known-bad variant: the broker acknowledges a batch before it is durable *)
(* (AckAfterFlush = FALSE).  The real bug: acks=1 on a leader that answers *)
(* from the page cache -- a crash before the flush takes back a record the *)
(* producer was told is stored.  Expected: AckedDurable is violated.  The  *)
(* model is MCAtLeastOnce with the rule switched off.                      *)
(***************************************************************************)
EXTENDS MCAtLeastOnce

MC_AckBeforeFlush == FALSE
=============================================================================
