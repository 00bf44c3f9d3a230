------------------------- MODULE MCExactlyOnceNoFencing -------------------------
(***************************************************************************)
(* Known-bad variant: transactions without epoch fencing.  The real bug:   *)
(* the "zombie producer" problem KIP-98 introduced epochs for -- an        *)
(* instance that paused (GC, network partition) and was replaced keeps     *)
(* writing and commits after the new instance with the same               *)
(* transactional.id took over, because InitProducerId neither bumped the   *)
(* epoch nor aborted the old transaction.                                   *)
(* Expected: ZombieFenced is violated.  The model is MCExactlyOnceZombie   *)
(* with FenceEpochs = FALSE.                                               *)
(***************************************************************************)
EXTENDS MCExactlyOnceZombie
=============================================================================
