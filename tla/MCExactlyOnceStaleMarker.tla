----------------------- MODULE MCExactlyOnceStaleMarker -----------------------
(***************************************************************************)
(* Two transactions of one producer instance, one record each, on one     *)
(* partition led by broker 0; broker 1 coordinates and may crash once.    *)
(* The coordinator's COMMIT marker of the first transaction can be        *)
(* delayed; after a failover the new coordinator sends it again, completes *)
(* and the producer starts the second transaction -- then the old marker  *)
(* arrives (KIP-890's second motivating case; the stale-marker bug trace   *)
(* validation found in the Java coordinator).  MCExactlyOnceStaleMarker   *)
(* checks that the leader's guard (coordinator epoch, and a marker epoch   *)
(* above the open transaction's) refuses it; the known-bad                 *)
(* MCExactlyOnceStaleMarkerUnguarded switches the guard off                *)
(* (FenceStaleMarkers <- FALSE): the stale COMMIT closes the second        *)
(* transaction's data, which read_committed then shows although that       *)
(* transaction was never committed.                                        *)
(***************************************************************************)
EXTENDS ExactlyOnce

MC_SendOrder == [i \in {100} |-> <<1, 2>>]
MC_PartitionOf == [r \in 1..2 |-> 0]
MC_TxnOf == [r \in 1..2 |-> r - 1]
MC_LeaderOf == [p \in {0} |-> 0]
MC_Unguarded == FALSE
=============================================================================
