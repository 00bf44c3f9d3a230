------------------------------ MODULE AtLeastOnce ------------------------------
(***************************************************************************)
(* At-least-once: acks=all, retries on, idempotence off, max.in.flight up  *)
(* to 5 (DESIGN.md).                                                       *)
(*                                                                         *)
(* A batch is retransmitted until acknowledged, so nothing handed to       *)
(* send() is lost -- but a lost ACK makes the broker append the retry a    *)
(* second time, and a retry that overtakes a later batch on the wire       *)
(* reorders the partition:                                                  *)
(*   NoLoss, AckedDurable         hold, and                                *)
(*   NoDuplicate, PartitionOrder  are violated.                            *)
(*                                                                         *)
(* NoLoss is an invariant over quiescent states; see AtMostOnce for why.   *)
(* A batch may fail by delivery.timeout.ms (ProducerSendFailed, bounded by *)
(* TimeoutLimit), so NoLoss reads as Kafka promises it: every record not   *)
(* reported failed to the application is durable.                         *)
(***************************************************************************)
EXTENDS MultiBatch

ASSUME ~Idempotence /\ ~Transactional /\ Retries

Next ==
    \/ \E i \in Producers : ProducerSend(i)
    \/ \E i \in Producers, p \in Partitions, n \in 1..MaxBatch : ProducerSendBatch(i, p, n, NoCorr)
    \/ \E i \in Producers : \E bt \in pInflight[i], cut \in BOOLEAN : ProducerRetry(i, bt, NoCorr, cut)
    \/ \E i \in Producers, b \in Brokers : BrokerAppend(i, b, 1)
    \/ \E b \in Brokers, i \in Producers : \E k \in 1..Len(pending[b]) : BrokerAck(b, i, k)
    \/ \E p \in Partitions : BrokerFlush(p)
    \/ \E i \in Producers, b \in Brokers : ProducerSendAcked(b, i, 1)
    \/ \E i \in Producers : \E bt \in pInflight[i] : ProducerSendFailed(i, bt, 0)
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
\* As Kafka promises it (issue 14, rule 7): a record not reported failed to the
\* application is durable once the run is quiescent.
NoLoss == Quiescent => SentRecords \ inv.failed \subseteq ViewRecords(DurableView)

\* Test invariant: a crash threw away an appended but unflushed tail.
ReachCrashLostTail == aux.lostTail = 0
\* A quiescent state is reachable at all (NoLoss is not vacuous).
ReachQuiescent == ~Quiescent
=============================================================================
