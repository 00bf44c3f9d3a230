------------------------------ MODULE ExactlyOnce ------------------------------
(***************************************************************************)
(* Exactly-once: the idempotent producer plus transactional.id (KIP-98,    *)
(* KIP-447, KIP-890): transactions over several partitions, commit/abort   *)
(* markers, read_committed readers and zombie fencing.                     *)
(*                                                                         *)
(* Producer: InitProducerId (fences older instances) -> BeginTxn ->        *)
(* AddPartitionsToTxn before the first write to a partition -> sends ->    *)
(* (with TransactionVersion = 2 no AddPartitionsToTxn: the partition's     *)
(* leader adds it on the first transactional produce) ->                   *)
(* EndTxn(commit|abort) once nothing is in flight (commit only if every    *)
(* record of the transaction was acknowledged).  A batch may fail by       *)
(* delivery timeout while its request is still on the wire: that request  *)
(* can arrive late, after the transaction was aborted.                     *)
(* Coordinator (one transactional.id): Empty -> Ongoing -> PrepareCommit | *)
(* PrepareAbort (the decision, durable) -> markers to every partition ->   *)
(* CompleteCommit | CompleteAbort.  Markers (WriteTxnMarkers) travel like  *)
(* Produce requests: delayed, lost, dropped by a leader crash; a restart   *)
(* of the coordinator's broker is a failover with a new coordinator epoch, *)
(* so a marker of the old coordinator may arrive late; the leader refuses  *)
(* it (FenceStaleMarkers).  InitProducerId of a new instance bumps         *)
(* the epoch and aborts an ongoing transaction (CoordinatorFence); a       *)
(* transaction older than transaction.timeout.ms is aborted with an epoch  *)
(* bump (CoordinatorTimeoutAbort).  KIP-890: the leader verifies the first *)
(* transactional append of (pid, epoch) to a partition with the            *)
(* coordinator (part 1), and every EndTxn bumps the epoch (part 2), so a   *)
(* late produce of an ended transaction is refused by its old epoch.       *)
(* Reader: read_committed stops at the last stable offset and skips        *)
(* aborted transactions.                                                   *)
(* The producer's transactional steps are in TxnProducer.tla, the          *)
(* coordinator's in TxnCoordinator.tla; this module picks the actions of   *)
(* exactly-once (Next) and states its invariants.                          *)
(*                                                                         *)
(*   NoDuplicate, NoLoss, AckedDurable, PartitionOrder (in what a          *)
(*   read_committed reader sees), AtomicCommit, ZombieFenced  all hold.    *)
(*                                                                         *)
(* Known-bad variants:                                                     *)
(*  - FenceStaleMarkers = FALSE: a delayed marker of the old coordinator   *)
(*    commits the next transaction's data (violates AtomicCommit).         *)
(*  - FenceEpochs = FALSE: InitProducerId hands the new instance the old   *)
(*    epoch and leaves the old transaction alone -- the zombie can still   *)
(*    append and commit (violates ZombieFenced).                           *)
(*  - VerifyTxnPartitions = BumpEpochPerTxn = FALSE (no KIP-890): a produce *)
(*    request that arrives after its transaction was aborted is appended   *)
(*    into the producer's next transaction and committed with it -- the    *)
(*    Jepsen/Bufstream anomaly (violates AtomicCommit).                    *)
(*                                                                         *)
(* NoLoss is an invariant over quiescent states; see AtMostOnce for why.   *)
(***************************************************************************)
EXTENDS MultiBatch, TxnCoordinator, TxnProducer

ASSUME Idempotence /\ Transactional /\ Retries
\* Transactions version 2 is KIP-890 part 2 on top of part 1 (Kafka 4.0).
ASSUME /\ TransactionVersion \in {1, 2}
       /\ TransactionVersion = 2 => VerifyTxnPartitions /\ BumpEpochPerTxn

Next ==
    \/ \E i \in Producers : CoordinatorInitProducerId(i, i)
    \/ \E i \in Producers : CoordinatorFence(i)
    \/ \E i \in Producers : ProducerInitProducerId(i)
    \/ \E i, j \in Producers : ProducerRestart(i, j)
    \/ \E i \in Producers : ProducerBeginTxn(i)
    \/ \E i \in Producers : ProducerSend(i)
    \/ \E i \in Producers : NeedAdd(i) # {} /\ ProducerAddPartitions(i, NeedAdd(i))
    \/ \E i \in Producers : CoordinatorAddPartitions(i)
    \/ \E i \in Producers, p \in Partitions, n \in 1..MaxBatch : ProducerSendBatch(i, p, n, NoCorr)
    \/ \E i \in Producers : \E bt \in pInflight[i], cut \in BOOLEAN : ProducerRetry(i, bt, NoCorr, cut)
    \/ \E i \in Producers, b \in Brokers : BrokerAppend(i, b, 1)
    \/ \E i \in Producers, b \in Brokers : BrokerDuplicate(i, b, 1)
    \/ \E i \in Producers, b \in Brokers : BrokerReject(i, b, 1)
    \/ \E b \in Brokers, i \in Producers : \E k \in 1..Len(pending[b]) : BrokerAck(b, i, k)
    \/ \E p \in Partitions : BrokerFlush(p)
    \/ \E i \in Producers, b \in Brokers : ProducerSendAcked(b, i, 1)
    \/ \E i \in Producers, k \in 0..1 : \E bt \in pInflight[i] : ProducerSendFailed(i, bt, k)
    \/ \E i \in Producers, p \in Partitions : ProducerSendFailed(i, QueueOf(p), -1)
    \/ \E i \in Producers, b \in Brokers : NetworkDeliver(b, i, {1})
    \/ \E i \in Producers, b \in Brokers, k \in 0..1 : ProducerFenced(i, b, k)
    \/ \E i \in Producers, commit \in BOOLEAN : ProducerEndTxn(i, commit)
    \/ \E i \in Producers : CoordinatorPrepare(i)
    \/ \E p \in Partitions : CoordinatorSendMarker(p)
    \/ \E m \in coord.markers : CoordinatorWriteMarker(m)
    \/ \E m \in coord.markers : BrokerRejectMarker(m)
    \/ \E m \in coord.markers : NetworkLoseMarker(m)
    \/ CoordinatorComplete
    \/ CoordinatorTimeoutAbort
    \/ \E i \in Producers, commit \in BOOLEAN : ProducerEndTxnResult(i, commit)
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
    \/ \E b \in Brokers, i \in Producers : MultiDeliver(b, i)
    \/ Terminating

Spec == Init /\ [][Next]_vars

\* Exactly-once is judged by what a read_committed reader sees.
NoDuplicate == NoDuplicateIn(CommittedView)
PartitionOrder == PartitionOrderIn(CommittedView)
AckedDurable == AckedDurableInv
\* Every record of a transaction whose commit was reported successful is visible.
NoLoss == Quiescent =>
            UNION {TxnRecords(t) : t \in inv.commitOk} \subseteq ViewRecords(CommittedView)
\* read_committed sees no record of a transaction that was not committed, and
\* all records of a committed transaction once its markers are complete.
AtomicCommit ==
    /\ \A r \in ViewRecords(CommittedView) : TxnId(r) \in inv.committed
    /\ \A t \in inv.completed : TxnRecords(t) \subseteq ViewRecords(CommittedView)
\* Once a newer instance initialised, no append or commit of an older one succeeded.
ZombieFenced == ~inv.zombie

\* Test invariants (must be violated): a zombie learnt it was fenced; a
\* transaction was aborted and its markers written; a committed producer's
\* EndTxn retry was fenced; a late produce was refused.
ReachZombieFenced == ~\E i \in Producers : pState[i] = "Fatal" /\ Superseded(i)
ReachAbortComplete == coord.state # "CompleteAbort"
\* A producer was fenced although its transaction was committed: the answer to
\* its EndTxn was lost, and its retry came after a new instance initialised.
ReachEndTxnRetryFenced ==
    ~\E i \in Producers : pState[i] = "Fatal" /\ <<i, pTxnIdx[i]>> \in inv.committed
ReachStaleProduceRefused ==
    ~\E b \in Brokers : \E k \in 1..Len(pending[b]) :
        pending[b][k].err \in {"PRODUCER_FENCED", "INVALID_TXN_STATE"}
\* A quiescent state is reachable at all (NoLoss is not vacuous).
ReachQuiescent == ~Quiescent
\* A stale marker is in flight that its leader would refuse (the old
\* coordinator's, once the new coordinator wrote its copy after a failover).
ReachStaleMarkerFenced == ~\E m \in coord.markers : ~MarkerAccepted(m)
\* A leader owes a REQUEST_TIMED_OUT refusal while the coordinator is down: the
\* KIP-890 verification of a transactional batch got no answer (needs the
\* coordinator on a broker of its own, MCExactlyOnceCoordinator).
ReachVerifyTimedOut ==
    ~(~CoordUp /\ \E b \in Brokers : \E k \in 1..Len(pending[b]) : pending[b][k].err = "REQUEST_TIMED_OUT")
=============================================================================
