---------------------------- MODULE DeliveryLive ----------------------------
(***************************************************************************)
(* Liveness of the delivery specs: the fairness every guarantee shares and *)
(* the temporal properties, stated once.  Each guarantee has a module      *)
(* <Guarantee>Live that EXTENDS the guarantee and this module and defines  *)
(* FairSpec == Spec /\ its fairness.                                       *)
(*                                                                         *)
(* Fairness is weak (WF) and stated per action and per producer instance,  *)
(* broker, partition or channel -- never per batch: it says what Kafka's   *)
(* code does on its own (the sender polls every partition's queue, the     *)
(* broker's request handler takes the next request of each connection,    *)
(* the log flusher runs, a crashed broker is restarted).  Faults get no    *)
(* fairness, and a fault branch of an action is excluded from its fair     *)
(* part by aux' = aux: the fault counters only grow, so a fair action      *)
(* never has to be a fault.  Which batch of a partition is retried is not  *)
(* left to fairness either: Kafka retries in sequence order (InOrderRetry),*)
(* and MCIdempotentLiveUnordered shows the lasso without that rule -- a    *)
(* later batch retried forever while the earlier lost one never is.        *)
(*                                                                         *)
(* Every fair action is a disjunct (or a part of one) of its module's     *)
(* Next, so the fairness is machine closed: it rules out no finite prefix  *)
(* of a behaviour, and the safety models' state spaces are its prefixes.   *)
(***************************************************************************)
EXTENDS DeliveryBase

\* A retry of a batch of partition p that is no fault: after a retriable error,
\* a lost connection or a timeout of a request that is really gone.
HealingRetry(i, p) == \E bt \in pInflight[i] : bt.p = p /\ ProducerRetry(i, bt, NoCorr, FALSE) /\ aux' = aux

\* The steps every guarantee's Next has, weakly fair.
BaseFairness ==
    /\ \A i \in Producers : WF_vars(ProducerSend(i))
    /\ \A i \in Producers, p \in Partitions : WF_vars(\E n \in 1..MaxBatch : ProducerSendBatch(i, p, n, NoCorr))
    /\ \A i \in Producers, b \in Brokers : WF_vars(BrokerAppend(i, b, 1))
    /\ \A b \in Brokers, i \in Producers : WF_vars(\E k \in 1..Len(pending[b]) : BrokerAck(b, i, k))
    /\ \A p \in Partitions : WF_vars(BrokerFlush(p))
    /\ \A i \in Producers, b \in Brokers : WF_vars(ProducerSendAcked(b, i, 1))
    /\ \A i \in Producers, b \in Brokers : WF_vars(NetworkDeliver(b, i, {1}))
    /\ \A b \in Brokers : WF_vars(BrokerRestart(b))

\* Retries (at-least-once, idempotent, exactly-once): the sender serves every
\* partition's queue head.
RetryFairness == \A i \in Producers, p \in Partitions : WF_vars(HealingRetry(i, p))

\* Idempotence: the broker answers a duplicate or refuses a batch; the producer
\* handles a failing answer and bumps its epoch after a gap.
IdempotenceFairness ==
    /\ \A i \in Producers, b \in Brokers : WF_vars(BrokerDuplicate(i, b, 1))
    /\ \A i \in Producers, b \in Brokers : WF_vars(BrokerReject(i, b, 1) /\ aux' = aux)
    /\ \A i \in Producers, b \in Brokers : WF_vars(ProducerBumpEpoch(b, i, BumpGroup(b, i, 1)))
    /\ \A i \in Producers : WF_vars(ProducerBumpEpoch(Coordinator, i, {}))
    /\ \A i \in Producers : WF_vars(\E bt \in pInflight[i] : ProducerSendFailed(i, bt, 1))

-----------------------------------------------------------------------------
(* Properties *)

\* send() was called for r.
Handed(r) == pNext[ProducerOf(r)] >= SendIdx(r)
\* The instance can no longer complete anything itself: fenced, fatal, or a zombie.
Gone(i) == pState[i] = "Fatal" \/ Superseded(i)
\* r's send() completed: its future was acknowledged or failed.
Completed(r) == r \in inv.acked \cup inv.failed

\* Every send() completes (each guarantee module states it, as TLC takes no
\* operator argument inside a temporal formula):
\*   SendCompletes == \A r \in Records : Handed(r) ~> Completed(r)
\* each record handed to send() is eventually acknowledged or reported failed
\* to the application.

\* The system eventually becomes quiescent (and stays so: Terminating).
EventuallyQuiescent == <>Quiescent
=============================================================================
