---------------------------- MODULE ExactlyOnceLive ----------------------------
(* Liveness of ExactlyOnce under the fairness of DeliveryLive plus the     *)
(* transaction steps: the producer begins, adds partitions, ends each      *)
(* transaction (commit or abort, its choice) and learns the result; the    *)
(* coordinator answers, writes the decision and its markers, completes,    *)
(* and aborts a transaction whose owner is gone (transaction.timeout.ms,   *)
(* fair only then: aborting a live owner's transaction is a fault).        *)
EXTENDS ExactlyOnce, DeliveryLive

FirstBroker == SetMin(Brokers)

TxnFairness ==
    /\ \A i \in Producers : WF_vars(CoordinatorInitProducerId(i, i) /\ aux' = aux)
    /\ \A i \in Producers : WF_vars(CoordinatorFence(i) /\ aux' = aux)
    /\ \A i \in Producers : WF_vars(ProducerInitProducerId(i))
    /\ \A i \in Producers : WF_vars(ProducerBeginTxn(i))
    /\ \A i \in Producers : WF_vars(NeedAdd(i) # {} /\ ProducerAddPartitions(i, NeedAdd(i)))
    /\ \A i \in Producers : WF_vars(CoordinatorAddPartitions(i))
    /\ \A i \in Producers : WF_vars(\E commit \in BOOLEAN : ProducerEndTxn(i, commit))
    /\ \A i \in Producers : WF_vars(CoordinatorPrepare(i))
    /\ \A i \in Producers : WF_vars(\E commit \in BOOLEAN : ProducerEndTxnResult(i, commit))
    /\ \A i \in Producers, b \in Brokers : WF_vars(ProducerFenced(i, b, 1) /\ aux' = aux)
    /\ \A i \in Producers : WF_vars(ProducerFenced(i, FirstBroker, 0) /\ aux' = aux)
    /\ \A p \in Partitions : WF_vars(CoordinatorSendMarker(p) /\ aux' = aux)
    /\ WF_vars(\E m \in coord.markers : CoordinatorWriteMarker(m))
    /\ WF_vars(\E m \in coord.markers : BrokerRejectMarker(m))
    /\ WF_vars(CoordinatorComplete)
    /\ WF_vars(CoordinatorTimeoutAbort /\ aux' = aux)

FairSpec == Spec /\ BaseFairness /\ RetryFairness /\ IdempotenceFairness /\ TxnFairness

\* A record's send() completes -- or its transaction ended before send() was
\* called for it (the instance skips the rest of an aborted transaction), or
\* its instance is gone (fenced, fatal, or replaced: a zombie).
TxnEnded(r) == LET i == ProducerOf(r) IN
               pTxnIdx[i] > TxnOf[r] \/ (pTxnIdx[i] = TxnOf[r] /\ pState[i] = "Ready")
SendCompletes == \A r \in Records : Handed(r) ~> (Completed(r) \/ TxnEnded(r) \/ Gone(ProducerOf(r)))

\* Every begun transaction ends: an ongoing transaction is eventually decided
\* and its markers written (Ongoing ~> Complete*).
TxnEnds == coord.state = "Ongoing" ~> coord.state \in {"CompleteCommit", "CompleteAbort"}
=============================================================================
