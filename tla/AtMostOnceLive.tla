---------------------------- MODULE AtMostOnceLive ----------------------------
(* Liveness of AtMostOnce under the fairness of DeliveryLive: without      *)
(* retries a batch whose request or answer is gone fails at its request   *)
(* timeout (ProducerSendFailed with k = 0, fair when it is no fault).      *)
EXTENDS AtMostOnce, DeliveryLive

FairSpec ==
    /\ Spec /\ BaseFairness
    /\ \A i \in Producers : WF_vars(\E bt \in pInflight[i] : ProducerSendFailed(i, bt, 0) /\ aux' = aux)

SendCompletes == \A r \in Records : Handed(r) ~> Completed(r)
=============================================================================
