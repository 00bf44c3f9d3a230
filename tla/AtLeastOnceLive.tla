---------------------------- MODULE AtLeastOnceLive ----------------------------
(* Liveness of AtLeastOnce under the fairness of DeliveryLive.            *)
EXTENDS AtLeastOnce, DeliveryLive

FairSpec == Spec /\ BaseFairness /\ RetryFairness

SendCompletes == \A r \in Records : Handed(r) ~> Completed(r)
=============================================================================
