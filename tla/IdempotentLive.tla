---------------------------- MODULE IdempotentLive ----------------------------
(* Liveness of Idempotent under the fairness of DeliveryLive, plus the     *)
(* producer's InitProducerId (the answer is fair when it is no fault).     *)
EXTENDS Idempotent, DeliveryLive

FairSpec ==
    /\ Spec /\ BaseFairness /\ RetryFairness /\ IdempotenceFairness
    /\ \A i \in Producers : WF_vars(CoordinatorInitProducerId(i, i) /\ aux' = aux)
    /\ \A i \in Producers : WF_vars(ProducerInitProducerId(i))

SendCompletes == \A r \in Records : Handed(r) ~> Completed(r)
=============================================================================
