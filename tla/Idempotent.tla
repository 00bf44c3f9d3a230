------------------------------ MODULE Idempotent ------------------------------
(***************************************************************************)
(* Idempotent producer: at-least-once plus producer id, epoch and          *)
(* per-partition sequence numbers (KIP-98, KIP-360).                       *)
(*                                                                         *)
(* The producer gets its id from InitProducerId, stamps each batch with    *)
(* (pid, epoch, sequence) when it drains it and keeps them on every retry. *)
(* The broker caches, per producer and partition, the last DedupWindow     *)
(* batches: a retry matching one of them is answered with the original     *)
(* offset and not written (BrokerDuplicate); a sequence that does not      *)
(* follow the last one is refused (OUT_OF_ORDER_SEQUENCE_NUMBER), so a     *)
(* retry can never overtake an earlier batch; an older epoch is refused.   *)
(* The producer-state table survives a crash: BrokerRestart rebuilds it    *)
(* from the log (snapshot + replay).  On an unresolvable gap (an           *)
(* OUT_OF_ORDER answer for the batch right after the last acknowledged     *)
(* one) the producer bumps its epoch and restarts its sequences at 0       *)
(* (ProducerBumpEpoch).                                                    *)
(*                                                                         *)
(*   NoDuplicate, NoLoss, AckedDurable, PartitionOrder  all hold.          *)
(*                                                                         *)
(* Known-bad variants (models that must fail NoDuplicate):                 *)
(*  - RecoverProducerState = FALSE: the broker forgets its producer state  *)
(*    on restart, so a retry of a batch that is already durable is taken  *)
(*    for a new producer's first batch and written again.                  *)
(*  - DedupWindow < MaxInFlight: a retry older than the cached batches    *)
(*    comes back OUT_OF_ORDER; the producer takes it for a gap, bumps its  *)
(*    epoch and sends the batch again under the new epoch -- a duplicate.  *)
(*    This is why Kafka caps max.in.flight at 5 = the window.              *)
(*                                                                         *)
(* NoLoss is an invariant over quiescent states; see AtMostOnce for why.   *)
(* A batch may fail by delivery.timeout.ms (ProducerSendFailed, bounded by *)
(* TimeoutLimit); its sequence is then unresolved until a later sequence  *)
(* is acknowledged or, nothing of its partition in flight any more, the    *)
(* producer bumps its epoch (ProducerBumpEpoch with K = {}).  NoLoss reads*)
(* as Kafka promises it: every record not reported failed is durable.     *)
(***************************************************************************)
EXTENDS MultiBatch

ASSUME Idempotence /\ ~Transactional /\ Retries

\* CoordinatorInitProducerId: a broker assigns a fresh producer id, epoch 0.  A
\* request retried because its answer was lost (a fault, ResponseLossLimit) is
\* answered again, with a new id.
CoordinatorInitProducerId(i, pid) ==
    /\ \/ pRpc[i].type = "InitProducerId" /\ UNCHANGED aux
       \/ /\ pRpc[i].type = "InitResult"
          /\ aux.respLoss < ResponseLossLimit
          /\ aux' = [aux EXCEPT !.respLoss = @ + 1]
    /\ \E b \in Brokers : bUp[b]
    /\ pRpc' = [pRpc EXCEPT ![i] = Rpc("InitResult", {}, FALSE, TRUE, pid, 0)]
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch,
                   pTxnIdx, pAdded, net, brokerVars, coord, inv>>

\* ProducerInitProducerId: the producer learns its id and epoch; sequences start at 0.
ProducerInitProducerId(i) ==
    /\ pRpc[i].type = "InitResult"
    /\ pPid' = [pPid EXCEPT ![i] = pRpc[i].pid]
    /\ pEpoch' = [pEpoch EXCEPT ![i] = pRpc[i].epoch]
    /\ pSeqEpoch' = [pSeqEpoch EXCEPT ![i] = [p \in Partitions |-> pRpc[i].epoch]]
    /\ pState' = [pState EXCEPT ![i] = "Ready"]
    /\ pRpc' = [pRpc EXCEPT ![i] = NoRpc]
    /\ UNCHANGED <<pNext, pAccum, pInflight, pRetry, pLatest, pSeq, pAckedSeq, pTxnIdx, pAdded,
                   net, brokerVars, coord, inv, aux>>

Next ==
    \/ \E i \in Producers : CoordinatorInitProducerId(i, i)
    \/ \E i \in Producers : ProducerInitProducerId(i)
    \/ \E i \in Producers : ProducerSend(i)
    \/ \E i \in Producers, p \in Partitions, n \in 1..MaxBatch : ProducerSendBatch(i, p, n, NoCorr)
    \/ \E i \in Producers : \E bt \in pInflight[i], cut \in BOOLEAN : ProducerRetry(i, bt, NoCorr, cut)
    \/ \E i \in Producers, b \in Brokers : BrokerAppend(i, b, 1)
    \/ \E i \in Producers, b \in Brokers : BrokerDuplicate(i, b, 1)
    \/ \E i \in Producers, b \in Brokers : BrokerReject(i, b, 1)
    \/ \E b \in Brokers, i \in Producers : \E k \in 1..Len(pending[b]) : BrokerAck(b, i, k)
    \/ \E p \in Partitions : BrokerFlush(p)
    \/ \E i \in Producers, b \in Brokers : ProducerSendAcked(b, i, 1)
    \/ \E i \in Producers, k \in 0..1 : \E bt \in pInflight[i] : ProducerSendFailed(i, bt, k)
    \/ \E i \in Producers, b \in Brokers : ProducerBumpEpoch(b, i, BumpGroup(b, i, 1))
    \/ \E i \in Producers : ProducerBumpEpoch(Coordinator, i, {})
    \/ \E i \in Producers, b \in Brokers : NetworkDeliver(b, i, {1})
    \/ \E i \in Producers, b \in Brokers : \E k \in 1..Len(net[<<i, b>>]) : NetworkLoseRequest(i, b, {k})
    \/ \E i \in Producers, b \in Brokers : \E k \in 1..Len(net[<<b, i>>]) : NetworkLoseResponse(b, i, {k})
    \/ \E b \in Brokers : BrokerCrash(b)
    \/ \E b \in Brokers : BrokerRestart(b)
    \* multi-batch requests (MaxBatchesPerRequest > 1, MultiBatch.tla)
    \/ \E i \in Producers, b \in Brokers : \E rn \in MultiRequests(i, b) :
         ProducerSendRequest(i, b, rn[1], rn[2], SetMin(FreeCorrs(i, b)))
    \/ \E i \in Producers, b \in Brokers : BrokerAppendBehind(i, b)
    \/ \E i \in Producers, b \in Brokers : BrokerDuplicateBehind(i, b)
    \/ \E i \in Producers, b \in Brokers : BrokerRejectBehind(i, b)
    \/ \E b \in Brokers, i \in Producers : MultiAckWith(b, i)
    \/ \E b \in Brokers, i \in Producers : ProducerSendAckedBehind(b, i)
    \/ \E b \in Brokers, i \in Producers : ProducerSendFailedBehind(b, i)
    \/ \E b \in Brokers, i \in Producers : ProducerBumpEpochBehind(b, i)
    \/ \E b \in Brokers, i \in Producers : MultiDeliver(b, i)
    \/ Terminating

Spec == Init /\ [][Next]_vars

NoDuplicate == NoDuplicateIn(LogView)
PartitionOrder == PartitionOrderIn(LogView)
AckedDurable == AckedDurableInv
\* As Kafka promises it (issue 14, rule 7): a record not reported failed to the
\* application is durable once the run is quiescent.
NoLoss == Quiescent => SentRecords \ inv.failed \subseteq ViewRecords(DurableView)

\* Test invariant: a retried duplicate was recognised and suppressed.
ReachDuplicateSuppressed == \A b \in Brokers : \A k \in 1..Len(pending[b]) : ~pending[b][k].dup
\* Test invariant: a producer-state table was rebuilt after a crash that lost a tail.
ReachRecoveredAfterLostTail == ~(aux.lostTail > 0 /\ \A b \in Brokers : bUp[b]
                                 /\ \E p \in Partitions : bProducerState[p] # EmptyTable)
\* Test invariant: the answer to the second batch of a multi-batch request was
\* handled before the answer to the first (MultiAt; a request's batches are in
\* partition order): the first's answer, still awaited, leads its channel while
\* nothing else of its request is left anywhere.
ReachSecondAnswerFirst ==
    ~\E b \in Brokers, i \in Producers :
        /\ net[<<b, i>>] # <<>>
        /\ LET m == Head(net[<<b, i>>]) IN
           /\ m.corr # NoCorr /\ ~Stale(i, m)
           /\ m.batch.p = SetMin(Partitions)
           /\ \A k \in 2..Len(net[<<b, i>>]) : net[<<b, i>>][k].corr # m.corr
           /\ \A k \in 1..Len(net[<<i, b>>]) : net[<<i, b>>][k].corr # m.corr
           /\ \A k \in 1..Len(pending[b]) : pending[b][k].dst = i => pending[b][k].corr # m.corr
\* A quiescent state is reachable at all (NoLoss is not vacuous).
ReachQuiescent == ~Quiescent
\* The broker's dedup window slid: the oldest cached batch of a producer is no
\* longer its first (sequence 0), so a retry older than the window is possible.
ReachWindowEvicted == \A p \in Partitions : \A pid \in DOMAIN bProducerState[p] :
                         bProducerState[p][pid].window = <<>> \/ bProducerState[p][pid].window[1].first = 0
=============================================================================
