------------------------------ MODULE AtMostOnce ------------------------------
(***************************************************************************)
(* At-most-once: retries=0, acks=1, idempotence off (DESIGN.md).           *)
(*                                                                         *)
(* The producer sends each batch once.  A lost request loses its records   *)
(* (reported to the caller as failed); a lost ACK leaves them stored but   *)
(* reported as failed.  Nothing is ever sent twice, and requests of one    *)
(* connection reach the broker in order, so                                *)
(*   NoDuplicate, AckedDurable, PartitionOrder  hold, and                  *)
(*   NoLoss                                     is violated.               *)
(*                                                                         *)
(* NoLoss is an invariant over quiescent states (see DeliveryBase):        *)
(* faults are bounded by their ...Limit constants, every healing step      *)
(* (delivery, flush, restart) is unbounded, and TLC's deadlock check shows *)
(* every non-quiescent state has a successor; a quiescent state is where   *)
(* "faults stopped and the producer flushed" -- the premise of NoLoss.     *)
(* A liveness formulation (<>[] under weak fairness) would say the same    *)
(* but costs TLC's liveness checker, which does not scale with workers.    *)
(***************************************************************************)
EXTENDS MultiBatch

ASSUME ~Idempotence /\ ~Transactional /\ ~Retries

Next ==
    \/ \E i \in Producers : ProducerSend(i)
    \/ \E i \in Producers, p \in Partitions, n \in 1..MaxBatch : ProducerSendBatch(i, p, n, NoCorr)
    \/ \E i \in Producers, b \in Brokers : BrokerAppend(i, b, 1)
    \/ \E b \in Brokers, i \in Producers : \E k \in 1..Len(pending[b]) : BrokerAck(b, i, k)
    \/ \E p \in Partitions : BrokerFlush(p)
    \/ \E i \in Producers, b \in Brokers : ProducerSendAcked(b, i, 1)
    \/ \E i \in Producers, k \in 0..1 : \E bt \in pInflight[i] : ProducerSendFailed(i, bt, k)
    \/ \E i \in Producers, b \in Brokers : NetworkDeliver(b, i, {1})
    \/ \E i \in Producers, b \in Brokers : \E k \in 1..Len(net[<<i, b>>]) : NetworkLoseRequest(i, b, {k})
    \/ \E i \in Producers, b \in Brokers : \E k \in 1..Len(net[<<b, i>>]) : NetworkLoseResponse(b, i, {k})
    \/ \E b \in Brokers : BrokerCrash(b)
    \/ \E b \in Brokers : BrokerRestart(b)
    \* multi-batch requests (MaxBatchesPerRequest > 1, MultiBatch.tla)
    \/ \E i \in Producers, b \in Brokers : \E rn \in MultiRequests(i, b) :
         ProducerSendRequest(i, b, rn[1], rn[2], SetMin(FreeCorrs(i, b)))
    \/ \E i \in Producers, b \in Brokers : BrokerAppendBehind(i, b)
    \/ \E b \in Brokers, i \in Producers : MultiAckWith(b, i)
    \/ \E b \in Brokers, i \in Producers : ProducerSendAckedBehind(b, i)
    \/ \E b \in Brokers, i \in Producers : MultiDeliver(b, i)
    \/ Terminating

Spec == Init /\ [][Next]_vars

NoDuplicate == NoDuplicateIn(LogView)
PartitionOrder == PartitionOrderIn(LogView)
AckedDurable == AckedDurableInv
NoLoss == Quiescent => SentRecords \subseteq ViewRecords(DurableView)

\* Test invariants: must be violated, proving the interesting states are reachable.
\* A record reported failed is nevertheless in the log (lost ACK).
ReachFailedButStored == inv.failed \cap ViewRecords(LogView) = {}
\* A quiescent state is reachable at all (NoLoss is not vacuous).
ReachQuiescent == ~Quiescent
=============================================================================
