------------------------------ MODULE ExactlyOnce ------------------------------
(***************************************************************************)
(* Exactly-once: the idempotent producer plus transactional.id (KIP-98,    *)
(* KIP-447, KIP-890): transactions over several partitions, commit/abort   *)
(* markers, read_committed readers and zombie fencing.                     *)
(*                                                                         *)
(* Producer: InitProducerId (fences older instances) -> BeginTxn ->        *)
(* AddPartitionsToTxn before the first write to a partition -> sends ->    *)
(* EndTxn(commit|abort) once nothing is in flight (commit only if every    *)
(* record of the transaction was acknowledged).  A batch may fail by       *)
(* delivery timeout while its request is still on the wire: that request  *)
(* can arrive late, after the transaction was aborted.                     *)
(* Coordinator (one transactional.id): Empty -> Ongoing -> PrepareCommit | *)
(* PrepareAbort (the decision, durable) -> markers to every partition ->   *)
(* CompleteCommit | CompleteAbort.  InitProducerId of a new instance bumps *)
(* the epoch and aborts an ongoing transaction (CoordinatorFence); a       *)
(* transaction older than transaction.timeout.ms is aborted with an epoch  *)
(* bump (CoordinatorTimeoutAbort).  KIP-890: the leader verifies the first *)
(* transactional append of (pid, epoch) to a partition with the            *)
(* coordinator (part 1), and every EndTxn bumps the epoch (part 2), so a   *)
(* late produce of an ended transaction is refused by its old epoch.       *)
(* Reader: read_committed stops at the last stable offset and skips        *)
(* aborted transactions.                                                   *)
(*                                                                         *)
(*   NoDuplicate, NoLoss, AckedDurable, PartitionOrder (in what a          *)
(*   read_committed reader sees), AtomicCommit, ZombieFenced  all hold.    *)
(*                                                                         *)
(* Known-bad variants:                                                     *)
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
EXTENDS DeliveryBase

ASSUME Idempotence /\ Transactional /\ Retries

CoordUp == bUp[Coordinator]
Deciding == coord.state \in {"PrepareCommit", "PrepareAbort"}
\* A coordinator request of instance i carries an epoch the coordinator has fenced.
StaleRpc(i) == FenceEpochs /\ pRpc[i].epoch # coord.epoch

\* ProducerRestart: the newest instance, once initialised, crashes or hangs (it
\* may go on as a zombie) and a new instance with the same transactional.id starts.
ProducerRestart(i, j) ==
    /\ pState[i] \notin {"Down", "Init"}
    /\ pState[j] = "Down"
    /\ j = SetMin({k \in Producers : k > i})
    /\ pState' = [pState EXCEPT ![j] = "Init"]
    /\ pRpc' = [pRpc EXCEPT ![j] = InitRpc]
    /\ UNCHANGED <<pNext, pAccum, pInflight, pRetry, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx,
                   pAdded, net, brokerVars, coord, inv, aux>>

\* CoordinatorFence: InitProducerId while a transaction is ongoing: bump the
\* epoch and abort it; the new instance's InitProducerId is answered once the
\* abort completed.
CoordinatorFence(i) ==
    /\ FenceEpochs
    /\ CoordUp
    /\ pRpc[i].type = "InitProducerId"
    /\ coord.state = "Ongoing"
    /\ coord' = [coord EXCEPT !.state = "PrepareAbort", !.epoch = @ + 1]
    /\ inv' = [inv EXCEPT !.aborted = @ \cup {coord.owner}]
    /\ UNCHANGED <<producerVars, net, brokerVars, aux>>

\* CoordinatorInitProducerId: the first instance gets a producer id, later ones
\* the same id with a bumped epoch (CHECK: without the bump nothing fences).
CoordinatorInitProducerId(i, pid) ==
    /\ CoordUp
    /\ pRpc[i].type = "InitProducerId"
    /\ FenceEpochs => coord.state \notin {"Ongoing", "PrepareCommit", "PrepareAbort"}
    /\ LET newPid == IF coord.pid = NoPid THEN pid ELSE coord.pid
           newEpoch == IF coord.pid = NoPid THEN 0
                       ELSE IF FenceEpochs THEN coord.epoch + 1 ELSE coord.epoch
       IN /\ coord' = [coord EXCEPT !.pid = newPid, !.epoch = newEpoch,
                                    !.state = IF FenceEpochs THEN "Empty" ELSE @]
          /\ pRpc' = [pRpc EXCEPT ![i] = Rpc("InitResult", {}, FALSE, TRUE, newPid, newEpoch)]
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pRetry, pPid, pEpoch, pSeq, pAckedSeq,
                   pTxnIdx, pAdded, net, brokerVars, inv, aux>>

\* ProducerInitProducerId: the instance learns its id and epoch; it is now the
\* owner of the transactional.id and every older instance a zombie.
ProducerInitProducerId(i) ==
    /\ pRpc[i].type = "InitResult"
    /\ pPid' = [pPid EXCEPT ![i] = pRpc[i].pid]
    /\ pEpoch' = [pEpoch EXCEPT ![i] = pRpc[i].epoch]
    /\ pState' = [pState EXCEPT ![i] = "Ready"]
    /\ pRpc' = [pRpc EXCEPT ![i] = NoRpc]
    /\ UNCHANGED <<pNext, pAccum, pInflight, pRetry, pSeq, pAckedSeq, pTxnIdx, pAdded,
                   net, brokerVars, coord, inv, aux>>

\* ProducerBeginTxn: beginTransaction() when records of the next transaction remain.
ProducerBeginTxn(i) ==
    /\ pState[i] = "Ready"
    /\ pRpc[i] = NoRpc
    /\ pNext[i] < Len(SendOrder[i])
    /\ TxnOf[SendOrder[i][pNext[i] + 1]] = pTxnIdx[i] + 1
    /\ pState' = [pState EXCEPT ![i] = "InTxn"]
    /\ pTxnIdx' = [pTxnIdx EXCEPT ![i] = @ + 1]
    /\ pAdded' = [pAdded EXCEPT ![i] = {}]
    /\ UNCHANGED <<pNext, pAccum, pInflight, pRetry, pPid, pEpoch, pSeq, pAckedSeq, pRpc,
                   net, brokerVars, coord, inv, aux>>

\* Partitions with records waiting that are not yet in the transaction.
NeedAdd(i) == {p \in Partitions : pAccum[i][p] # <<>> /\ p \notin pAdded[i]}

\* ProducerAddPartitions: AddPartitionsToTxn before the first write to them.
ProducerAddPartitions(i, parts) ==
    /\ pState[i] = "InTxn"
    /\ pRpc[i] = NoRpc
    /\ parts # {}
    /\ parts \subseteq Partitions \ pAdded[i]
    /\ pRpc' = [pRpc EXCEPT ![i] = Rpc("AddPartitions", parts, FALSE, TRUE, pPid[i], pEpoch[i])]
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pRetry, pPid, pEpoch, pSeq, pAckedSeq,
                   pTxnIdx, pAdded, net, brokerVars, coord, inv, aux>>

\* CoordinatorAddPartitions: the partitions join the ongoing transaction (a new
\* one starts if none is ongoing); refused while a decision is being written.
CoordinatorAddPartitions(i) ==
    /\ CoordUp
    /\ pRpc[i].type = "AddPartitions"
    /\ ~StaleRpc(i)
    /\ ~Deciding
    /\ LET fresh == coord.state # "Ongoing" IN
       coord' = [coord EXCEPT !.state = "Ongoing",
                              !.parts = IF fresh THEN pRpc[i].parts ELSE @ \cup pRpc[i].parts,
                              !.written = IF fresh THEN [p \in Partitions |-> 0] ELSE @,
                              !.owner = IF fresh THEN <<i, pTxnIdx[i]>> ELSE @]
    /\ pAdded' = [pAdded EXCEPT ![i] = @ \cup pRpc[i].parts]
    /\ pRpc' = [pRpc EXCEPT ![i] = NoRpc]
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pRetry, pPid, pEpoch, pSeq, pAckedSeq,
                   pTxnIdx, net, brokerVars, inv, aux>>

\* Position after the last record of transaction k in i's send order.
TxnEnd(i, k) == LET ks == {n \in 1..Len(SendOrder[i]) : TxnOf[SendOrder[i][n]] <= k}
                IN IF ks = {} THEN 0 ELSE CHOOSE n \in ks : \A m \in ks : m <= n

\* ProducerEndTxn: commitTransaction() -- every record of the transaction was
\* sent and acknowledged -- or abortTransaction(), which drops what is still
\* queued.  Either waits until nothing is in flight.
ProducerEndTxn(i, commit) ==
    /\ pState[i] = "InTxn"
    /\ pRpc[i] = NoRpc
    /\ pInflight[i] = {}
    /\ IF commit THEN TxnRecords(<<i, pTxnIdx[i]>>) \subseteq inv.acked ELSE TRUE
    /\ LET queued == UNION {Range(pAccum[i][p]) : p \in Partitions} IN
       /\ pAccum' = [pAccum EXCEPT ![i] = [p \in Partitions |-> <<>>]]
       /\ inv' = [inv EXCEPT !.failed = @ \cup queued]
    /\ pNext' = [pNext EXCEPT ![i] = Max(@, TxnEnd(i, pTxnIdx[i]))]
    /\ pRpc' = [pRpc EXCEPT ![i] =
                  IF pAdded[i] = {} THEN Rpc("EndTxnResult", {}, commit, TRUE, pPid[i], pEpoch[i])
                  ELSE Rpc("EndTxn", {}, commit, TRUE, pPid[i], pEpoch[i])]
    /\ UNCHANGED <<pState, pInflight, pRetry, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx, pAdded,
                   net, brokerVars, coord, aux>>

\* CoordinatorPrepare: EndTxn writes PrepareCommit/PrepareAbort -- the decision.
\* KIP-890 part 2 bumps the epoch; the markers carry the new epoch.
CoordinatorPrepare(i) ==
    /\ CoordUp
    /\ pRpc[i].type = "EndTxn"
    /\ ~StaleRpc(i)
    /\ coord.state = "Ongoing"
    /\ coord.pid = pRpc[i].pid
    /\ LET commit == pRpc[i].commit
           newEpoch == IF BumpEpochPerTxn THEN coord.epoch + 1 ELSE coord.epoch
       IN /\ coord' = [coord EXCEPT !.state = IF commit THEN "PrepareCommit" ELSE "PrepareAbort",
                                    !.epoch = newEpoch]
          /\ inv' = [inv EXCEPT !.committed = IF commit THEN @ \cup {coord.owner} ELSE @,
                                !.aborted = IF commit THEN @ ELSE @ \cup {coord.owner},
                                !.zombie = @ \/ (commit /\ Superseded(i))]
          /\ pRpc' = [pRpc EXCEPT ![i] = Rpc("EndTxnResult", {}, commit, TRUE, coord.pid, newEpoch)]
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pRetry, pPid, pEpoch, pSeq, pAckedSeq,
                   pTxnIdx, pAdded, net, brokerVars, aux>>

\* ProducerEndTxnResult: the caller learns the outcome.  An EndTxn that finds no
\* ongoing transaction (it was aborted by a timeout) succeeds for an abort and
\* fails for a commit (INVALID_TXN_STATE).  A bumped epoch restarts sequences.
ProducerEndTxnResult(i) ==
    /\ \/ pRpc[i].type = "EndTxnResult"
       \/ /\ pRpc[i].type = "EndTxn"
          /\ CoordUp
          /\ ~StaleRpc(i)
          /\ coord.state \in {"Empty", "CompleteCommit", "CompleteAbort"}
    /\ LET r == pRpc[i]
           ok == r.type = "EndTxnResult" \/ ~r.commit
           epoch == IF r.type = "EndTxnResult" THEN r.epoch ELSE pEpoch[i]
       IN /\ inv' = [inv EXCEPT !.commitOk = IF ok /\ r.commit THEN @ \cup {<<i, pTxnIdx[i]>>} ELSE @]
          /\ pEpoch' = [pEpoch EXCEPT ![i] = epoch]
          /\ pSeq' = IF epoch # pEpoch[i] THEN [pSeq EXCEPT ![i] = [p \in Partitions |-> 0]] ELSE pSeq
          /\ pAckedSeq' = IF epoch # pEpoch[i]
                          THEN [pAckedSeq EXCEPT ![i] = [p \in Partitions |-> NoSeq]] ELSE pAckedSeq
    /\ pState' = [pState EXCEPT ![i] = "Ready"]
    /\ pAdded' = [pAdded EXCEPT ![i] = {}]
    /\ pRpc' = [pRpc EXCEPT ![i] = NoRpc]
    /\ UNCHANGED <<pNext, pAccum, pInflight, pRetry, pPid, pTxnIdx, net, brokerVars, coord, aux>>

\* ProducerFenced: a coordinator request or a produce answer says a newer epoch
\* exists -- a fatal error; everything outstanding fails.
ProducerFenced(i) ==
    /\ pState[i] \in {"Ready", "InTxn"}
    /\ \/ /\ pRpc[i].type \in {"AddPartitions", "EndTxn"}
          /\ CoordUp
          /\ StaleRpc(i)
          /\ UNCHANGED net
       \/ \E b \in Brokers :
            /\ HasAnswer(b, i)
            /\ HeadAnswer(b, i).batch \in pInflight[i]
            /\ AnswerAction(i, HeadAnswer(b, i)) = "fenced"
            /\ net' = Consume(b, i)
    /\ LET lost == UNION {Range(bt.recs) : bt \in pInflight[i]}
                   \cup UNION {Range(pAccum[i][p]) : p \in Partitions}
       IN inv' = [inv EXCEPT !.failed = @ \cup lost]
    /\ pState' = [pState EXCEPT ![i] = "Fatal"]
    /\ pInflight' = [pInflight EXCEPT ![i] = {}]
    /\ pRetry' = [pRetry EXCEPT ![i] = {}]
    /\ pAccum' = [pAccum EXCEPT ![i] = [p \in Partitions |-> <<>>]]
    /\ pRpc' = [pRpc EXCEPT ![i] = NoRpc]
    /\ UNCHANGED <<pNext, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx, pAdded, brokerVars, coord, aux>>

\* CoordinatorWriteMarker: the leader of a partition of the deciding transaction
\* appends its COMMIT/ABORT marker (volatile until flushed, like any append;
\* rewritten if a crash takes it back).
CoordinatorWriteMarker(p) ==
    /\ CoordUp
    /\ Deciding
    /\ p \in coord.parts
    /\ coord.written[p] = 0
    /\ bUp[LeaderOf[p]]
    /\ LET e == MarkerEntry(coord.pid, coord.epoch, coord.state = "PrepareCommit")
           k == Len(log[p]) + 1
       IN /\ log' = [log EXCEPT ![p] = Append(@, e)]
          /\ pstate' = [pstate EXCEPT ![p] = ApplyEntry(@, e, k)]
          /\ coord' = [coord EXCEPT !.written[p] = k]
    /\ UNCHANGED <<producerVars, net, bUp, durable, pending, inv, aux>>

\* CoordinatorComplete: every marker is durable -- CompleteCommit/CompleteAbort.
CoordinatorComplete ==
    /\ CoordUp
    /\ Deciding
    /\ \A p \in coord.parts : coord.written[p] # 0 /\ coord.written[p] <= durable[p]
    /\ coord' = [coord EXCEPT !.state = IF @ = "PrepareCommit" THEN "CompleteCommit" ELSE "CompleteAbort"]
    /\ inv' = IF coord.state = "PrepareCommit" THEN [inv EXCEPT !.completed = @ \cup {coord.owner}] ELSE inv
    /\ UNCHANGED <<producerVars, net, brokerVars, aux>>

\* The owner of the ongoing transaction can no longer end it itself.
OwnerGone == LET i == coord.owner[1] IN pState[i] = "Fatal" \/ Superseded(i)

\* CoordinatorTimeoutAbort: transaction.timeout.ms expired: abort with an epoch
\* bump.  Aborting a live producer's transaction is a fault (bounded); aborting
\* an abandoned one is how the system heals (unbounded).
CoordinatorTimeoutAbort ==
    /\ CoordUp
    /\ coord.state = "Ongoing"
    /\ \/ OwnerGone /\ aux' = aux
       \/ ~OwnerGone /\ aux.txnTimeout < TxnTimeoutLimit /\ aux' = [aux EXCEPT !.txnTimeout = @ + 1]
    /\ coord' = [coord EXCEPT !.state = "PrepareAbort", !.epoch = IF FenceEpochs THEN @ + 1 ELSE @]
    /\ inv' = [inv EXCEPT !.aborted = @ \cup {coord.owner}]
    /\ UNCHANGED <<producerVars, net, brokerVars>>

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
    \/ \E i \in Producers : \E bt \in pInflight[i] : ProducerRetry(i, bt, NoCorr)
    \/ \E i \in Producers, b \in Brokers : BrokerAppend(i, b)
    \/ \E i \in Producers, b \in Brokers : BrokerDuplicate(i, b)
    \/ \E i \in Producers, b \in Brokers : BrokerReject(i, b)
    \/ \E b \in Brokers, i \in Producers : BrokerAck(b, i)
    \/ \E p \in Partitions : BrokerFlush(p)
    \/ \E i \in Producers, b \in Brokers : ProducerSendAcked(b, i)
    \/ \E i \in Producers : \E bt \in pInflight[i] : ProducerSendFailed(i, bt)
    \/ \E i \in Producers, b \in Brokers : NetworkDeliver(b, i)
    \/ \E i \in Producers : ProducerFenced(i)
    \/ \E i \in Producers, commit \in BOOLEAN : ProducerEndTxn(i, commit)
    \/ \E i \in Producers : CoordinatorPrepare(i)
    \/ \E p \in Partitions : CoordinatorWriteMarker(p)
    \/ CoordinatorComplete
    \/ CoordinatorTimeoutAbort
    \/ \E i \in Producers : ProducerEndTxnResult(i)
    \/ \E i \in Producers, b \in Brokers : \E k \in 1..Len(net[<<i, b>>]) : NetworkLoseRequest(i, b, k)
    \/ \E i \in Producers, b \in Brokers : \E k \in 1..Len(net[<<b, i>>]) : NetworkLoseResponse(b, i, k)
    \/ \E b \in Brokers : BrokerCrash(b)
    \/ \E b \in Brokers : BrokerRestart(b)
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
\* transaction was aborted and its markers written; a late produce was refused.
ReachZombieFenced == ~\E i \in Producers : pState[i] = "Fatal" /\ Superseded(i)
ReachAbortComplete == coord.state # "CompleteAbort"
ReachStaleProduceRefused ==
    ~\E b \in Brokers : \E k \in 1..Len(pending[b]) :
        pending[b][k].err \in {"PRODUCER_FENCED", "INVALID_TXN_STATE"}
=============================================================================
