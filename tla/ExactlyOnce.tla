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
EXTENDS DeliveryBase

ASSUME Idempotence /\ Transactional /\ Retries
\* Transactions version 2 is KIP-890 part 2 on top of part 1 (Kafka 4.0).
ASSUME /\ TransactionVersion \in {1, 2}
       /\ TransactionVersion = 2 => VerifyTxnPartitions /\ BumpEpochPerTxn

CoordUp == bUp[Coordinator]
\* Names a partition's queue for ProducerSendFailed(i, _, -1).
QueueOf(p) == [p |-> p, recs |-> <<>>, pid |-> NoPid, epoch |-> NoEpoch, seq |-> NoSeq, txn |-> TRUE]
Deciding == coord.state \in {"PrepareCommit", "PrepareAbort"}
\* A coordinator request of instance i carries an epoch the coordinator has fenced.
StaleRpc(i) == FenceEpochs /\ pRpc[i].epoch # coord.epoch

\* ProducerRestart: the newest instance crashes or hangs (it may go on as a
\* zombie, even finish its InitProducerId) and a new instance with the same
\* transactional.id starts.
ProducerRestart(i, j) ==
    /\ pState[i] # "Down"
    /\ pState[j] = "Down"
    /\ j = SetMin({k \in Producers : k > i})
    /\ pState' = [pState EXCEPT ![j] = "Init"]
    /\ pRpc' = [pRpc EXCEPT ![j] = InitRpc]
    /\ UNCHANGED <<pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx,
                   pAdded, net, brokerVars, coord, inv, aux>>

\* CoordinatorFence: InitProducerId while a transaction is ongoing: bump the
\* epoch and abort it; the new instance's InitProducerId is answered once the
\* abort completed.
CoordinatorFence(i) ==
    /\ FenceEpochs
    /\ CoordUp
    /\ \/ pRpc[i].type = "InitProducerId" /\ UNCHANGED aux
       \* a copy of an InitProducerId already answered, retried after a lost answer
       \/ /\ pRpc[i].type = "InitResult"
          /\ aux.respLoss < ResponseLossLimit
          /\ aux' = [aux EXCEPT !.respLoss = @ + 1]
    /\ coord.state = "Ongoing"
    /\ coord' = [coord EXCEPT !.state = "PrepareAbort", !.epoch = @ + 1]
    /\ inv' = [inv EXCEPT !.aborted = @ \cup {coord.owner}]
    /\ UNCHANGED <<producerVars, net, brokerVars>>

\* CoordinatorInitProducerId: the first instance gets a producer id, later ones
\* the same id with a bumped epoch (CHECK: without the bump nothing fences).  A
\* request retried because its answer was lost (a fault, ResponseLossLimit) is
\* answered again, with another bump.
CoordinatorInitProducerId(i, pid) ==
    /\ CoordUp
    /\ \/ pRpc[i].type = "InitProducerId" /\ UNCHANGED aux
       \/ /\ pRpc[i].type = "InitResult"
          /\ aux.respLoss < ResponseLossLimit
          /\ aux' = [aux EXCEPT !.respLoss = @ + 1]
    /\ FenceEpochs => coord.state \notin {"Ongoing", "PrepareCommit", "PrepareAbort"}
    /\ LET newPid == IF coord.pid = NoPid THEN pid ELSE coord.pid
           newEpoch == IF coord.pid = NoPid THEN 0
                       ELSE IF FenceEpochs THEN coord.epoch + 1 ELSE coord.epoch
       IN /\ coord' = [coord EXCEPT !.pid = newPid, !.epoch = newEpoch,
                                    !.state = IF FenceEpochs THEN "Empty" ELSE @]
          /\ pRpc' = [pRpc EXCEPT ![i] = Rpc("InitResult", {}, FALSE, TRUE, newPid, newEpoch)]
    /\ inv' = [inv EXCEPT !.lastInit = i]
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq,
                   pTxnIdx, pAdded, net, brokerVars>>

\* ProducerInitProducerId: the instance learns its id and epoch.  (The instance
\* whose InitProducerId the coordinator handled last owns the transactional.id;
\* every other initialised instance is a zombie.)
ProducerInitProducerId(i) ==
    /\ pRpc[i].type = "InitResult"
    /\ pPid' = [pPid EXCEPT ![i] = pRpc[i].pid]
    /\ pEpoch' = [pEpoch EXCEPT ![i] = pRpc[i].epoch]
    /\ pState' = [pState EXCEPT ![i] = "Ready"]
    /\ pRpc' = [pRpc EXCEPT ![i] = NoRpc]
    /\ UNCHANGED <<pNext, pAccum, pInflight, pRetry, pLatest, pSeq, pAckedSeq, pTxnIdx, pAdded,
                   net, brokerVars, coord, inv, aux>>

\* ProducerBeginTxn: beginTransaction(), at most TxnLimit times; a transaction may
\* stay empty, but none is skipped over unsent records.
ProducerBeginTxn(i) ==
    /\ pState[i] = "Ready"
    /\ pRpc[i] = NoRpc
    /\ pTxnIdx[i] + 1 < TxnLimit
    /\ pNext[i] < Len(SendOrder[i]) => TxnOf[SendOrder[i][pNext[i] + 1]] > pTxnIdx[i]
    /\ pState' = [pState EXCEPT ![i] = "InTxn"]
    /\ pTxnIdx' = [pTxnIdx EXCEPT ![i] = @ + 1]
    /\ pAdded' = [pAdded EXCEPT ![i] = {}]
    /\ UNCHANGED <<pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pRpc,
                   net, brokerVars, coord, inv, aux>>

\* Partitions with records waiting that are not yet in the transaction.
NeedAdd(i) == {p \in Partitions : pAccum[i][p] # <<>> /\ p \notin pAdded[i]}

\* ProducerAddPartitions: AddPartitionsToTxn before the first write to them
\* (transactions version 1 only).
ProducerAddPartitions(i, parts) ==
    /\ TransactionVersion = 1
    /\ pState[i] = "InTxn"
    /\ pRpc[i] = NoRpc
    /\ parts # {}
    /\ parts \subseteq Partitions \ pAdded[i]
    /\ pRpc' = [pRpc EXCEPT ![i] = Rpc("AddPartitions", parts, FALSE, TRUE, pPid[i], pEpoch[i])]
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq,
                   pTxnIdx, pAdded, net, brokerVars, coord, inv, aux>>

\* Transactions version 2: partition p of a transactional batch of instance i
\* that p's leader holds for its KIP-890 check, while the coordinator has the
\* batch's producer id and epoch and p is not yet in an ongoing transaction:
\* the leader's AddPartitionsToTxn (not verify-only) adds it.
LeaderAddsPartition(i, p) ==
    /\ TransactionVersion = 2
    /\ \E b \in Brokers : \E j \in 1..Len(net[<<i, b>>]) :
         /\ FrontRequest(i, b, j)
         /\ LET bt == RequestAt(i, b, j).batch IN
            /\ bt.txn /\ bt.p = p /\ NeedsVerify(bt)
            /\ bt.pid = coord.pid /\ bt.epoch = coord.epoch
    /\ coord.state = "Ongoing" => p \notin coord.parts

\* The coordinator's transaction with partitions parts added for instance i.
AddToTxn(i, parts) ==
    LET fresh == coord.state # "Ongoing" IN
    coord' = [coord EXCEPT !.state = "Ongoing",
                           !.parts = IF fresh THEN parts ELSE @ \cup parts,
                           !.written = IF fresh THEN [p \in Partitions |-> 0] ELSE @,
                           !.owner = IF fresh THEN <<i, pTxnIdx[i]>> ELSE @,
                           !.guard = [p \in Partitions |-> IF p \in parts THEN coord.epoch ELSE @[p]]]

\* CoordinatorAddPartitions: the partitions join the ongoing transaction (a new
\* one starts if none is ongoing); refused while a decision is being written.
\* Version 1: the producer's AddPartitionsToTxn; version 2: the leader's.
CoordinatorAddPartitions(i) ==
    /\ CoordUp
    /\ ~Deciding
    /\ \/ /\ pRpc[i].type = "AddPartitions"
          /\ ~StaleRpc(i)
          /\ AddToTxn(i, pRpc[i].parts)
          /\ pAdded' = [pAdded EXCEPT ![i] = @ \cup pRpc[i].parts]
          /\ pRpc' = [pRpc EXCEPT ![i] = NoRpc]
       \/ /\ \E p \in Partitions : LeaderAddsPartition(i, p) /\ AddToTxn(i, {p})
          /\ UNCHANGED <<pAdded, pRpc>>
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq,
                   pTxnIdx, net, brokerVars, inv, aux>>

\* Position after the last record of transaction k in i's send order.
TxnEnd(i, k) == LET ks == {n \in 1..Len(SendOrder[i]) : TxnOf[SendOrder[i][n]] <= k}
                IN IF ks = {} THEN 0 ELSE CHOOSE n \in ks : \A m \in ks : m <= n

\* commitTransaction() -- every record of the transaction was sent and
\* acknowledged -- or abortTransaction(), which drops what is still queued.
\* Either waits until nothing is in flight.
CanEndTxn(i, commit) ==
    /\ pState[i] = "InTxn"
    /\ pRpc[i] = NoRpc
    /\ pInflight[i] = {}
    /\ IF commit THEN TxnRecords(<<i, pTxnIdx[i]>>) \subseteq inv.acked ELSE TRUE
\* ProducerEndTxn: EndTxn goes to the coordinator (a transaction that added no
\* partition ends locally: ProducerEndTxnResult).
ProducerEndTxn(i, commit) ==
    /\ CanEndTxn(i, commit)
    /\ pAdded[i] # {}
    /\ pAccum' = [pAccum EXCEPT ![i] = [p \in Partitions |-> <<>>]]
    /\ pNext' = [pNext EXCEPT ![i] = Max(@, TxnEnd(i, pTxnIdx[i]))]
    /\ inv' = [inv EXCEPT !.failed = @ \cup UNION {Range(pAccum[i][p]) : p \in Partitions}]
    /\ pRpc' = [pRpc EXCEPT ![i] = Rpc("EndTxn", {}, commit, TRUE, pPid[i], pEpoch[i])]
    /\ UNCHANGED <<pState, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx, pAdded,
                   net, brokerVars, coord, aux>>

\* CoordinatorPrepare: EndTxn writes PrepareCommit/PrepareAbort -- the decision.
\* KIP-890 part 2 bumps the epoch; the markers carry the new epoch.
CoordinatorPrepare(i) ==
    /\ CoordUp
    /\ pRpc[i].type = "EndTxn"
    /\ ~StaleRpc(i)
    /\ \/ coord.state = "Ongoing"
       \* transactions version 2: the abort of a transaction no leader added a
       \* partition to yet (its batches never arrived) bumps the epoch too, so such
       \* a batch arriving late is refused; there are no markers to write
       \/ /\ TransactionVersion = 2 /\ ~pRpc[i].commit
          /\ coord.state \in {"Empty", "CompleteCommit", "CompleteAbort"}
    /\ coord.pid = pRpc[i].pid
    /\ LET commit == pRpc[i].commit
           newEpoch == IF BumpEpochPerTxn THEN coord.epoch + 1 ELSE coord.epoch
           idle == coord.state # "Ongoing"
           owner == IF idle THEN <<i, pTxnIdx[i]>> ELSE coord.owner
       IN /\ coord' = [coord EXCEPT !.state = IF commit THEN "PrepareCommit" ELSE "PrepareAbort",
                                    !.epoch = newEpoch, !.owner = owner,
                                    !.parts = IF idle THEN {} ELSE @]
          /\ inv' = [inv EXCEPT !.committed = IF commit THEN @ \cup {owner} ELSE @,
                                !.aborted = IF commit THEN @ ELSE @ \cup {owner},
                                !.zombie = @ \/ (commit /\ Superseded(i))]
          /\ pRpc' = [pRpc EXCEPT ![i] = Rpc("EndTxnResult", {}, commit, TRUE, coord.pid, newEpoch)]
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq,
                   pTxnIdx, pAdded, net, brokerVars, aux>>

\* ProducerEndTxnResult: the caller learns the outcome.  An EndTxn that finds no
\* ongoing transaction (it was aborted by a timeout) succeeds for an abort and
\* fails for a commit (INVALID_TXN_STATE); with transactions version 2 such an
\* abort goes through CoordinatorPrepare instead.  A transaction that added no
\* partition ends here without a request.  A bumped epoch restarts sequences.
EndTxnLocal(i, commit) == CanEndTxn(i, commit) /\ pAdded[i] = {}
EndTxnOk(i) == pRpc[i].type = "EndTxnResult" \/ ~pRpc[i].commit
ProducerEndTxnResult(i, commit) ==
    /\ \/ /\ pRpc[i].type = "EndTxnResult"
          /\ pRpc[i].commit = commit
       \/ /\ pRpc[i].type = "EndTxn"
          /\ pRpc[i].commit = commit
          /\ TransactionVersion = 2 => commit
          /\ CoordUp
          /\ ~StaleRpc(i)
          /\ coord.state \in {"Empty", "CompleteCommit", "CompleteAbort"}
       \/ EndTxnLocal(i, commit)
    /\ LET r == pRpc[i]
           ok == EndTxnLocal(i, commit) \/ EndTxnOk(i)
           epoch == IF r.type = "EndTxnResult" THEN r.epoch ELSE pEpoch[i]
           queued == UNION {Range(pAccum[i][p]) : p \in Partitions}
       IN /\ inv' = [inv EXCEPT !.commitOk = IF ok /\ commit THEN @ \cup {<<i, pTxnIdx[i]>>} ELSE @,
                                !.failed = @ \cup queued]
          /\ pEpoch' = [pEpoch EXCEPT ![i] = epoch]
          /\ pSeq' = IF epoch # pEpoch[i] THEN [pSeq EXCEPT ![i] = [p \in Partitions |-> 0]] ELSE pSeq
          /\ pAckedSeq' = IF epoch # pEpoch[i]
                          THEN [pAckedSeq EXCEPT ![i] = [p \in Partitions |-> NoSeq]] ELSE pAckedSeq
    /\ pAccum' = [pAccum EXCEPT ![i] = [p \in Partitions |-> <<>>]]
    /\ pNext' = [pNext EXCEPT ![i] = Max(@, TxnEnd(i, pTxnIdx[i]))]
    /\ pState' = [pState EXCEPT ![i] = "Ready"]
    /\ pAdded' = [pAdded EXCEPT ![i] = {}]
    /\ pRpc' = [pRpc EXCEPT ![i] = NoRpc]
    /\ UNCHANGED <<pInflight, pRetry, pLatest, pPid, pTxnIdx, net, brokerVars, coord, aux>>

\* ProducerFenced: a coordinator request or a produce answer says a newer epoch
\* exists -- a fatal error; everything outstanding fails.
\* k = 0: the coordinator refused a request -- the outstanding one, or one the
\* producer sent again inside its transaction (AddPartitionsToTxn after a lost
\* answer), or an EndTxn sent again after the answer to the first copy was lost
\* (a fault, ResponseLossLimit): the coordinator answers such a retry as the first
\* copy only while the decision's epoch is current; once a new instance's
\* InitProducerId moved it on, the retry is fenced; k >= 1: the answer at
\* position k from broker b.
ProducerFenced(i, b, k) ==
    /\ pState[i] \in {"Ready", "InTxn"}
    /\ \/ /\ k = 0
          /\ CoordUp
          /\ \/ /\ \/ pRpc[i].type \in {"AddPartitions", "EndTxn"} /\ StaleRpc(i)
                   \/ /\ pRpc[i] = NoRpc /\ pState[i] = "InTxn"
                      /\ FenceEpochs /\ pEpoch[i] < coord.epoch
                /\ UNCHANGED aux
             \/ /\ pRpc[i].type = "EndTxnResult" /\ StaleRpc(i)
                /\ aux.respLoss < ResponseLossLimit
                /\ aux' = [aux EXCEPT !.respLoss = @ + 1]
          /\ UNCHANGED net
       \/ /\ FrontAnswer(b, i, k)
          /\ ~Stale(i, AnswerAt(b, i, k))
          /\ AnswerAction(i, AnswerAt(b, i, k)) = "fenced"
          /\ net' = ConsumeAt(b, i, k)
          /\ UNCHANGED aux
    /\ LET lost == UNION {Range(bt.recs) : bt \in pInflight[i]}
                   \cup UNION {Range(pAccum[i][p]) : p \in Partitions}
       IN inv' = [inv EXCEPT !.failed = @ \cup lost]
    /\ pState' = [pState EXCEPT ![i] = "Fatal"]
    /\ pInflight' = [pInflight EXCEPT ![i] = {}]
    /\ pRetry' = [pRetry EXCEPT ![i] = {}]
    /\ pLatest' = [pLatest EXCEPT ![i] = {}]
    /\ pAccum' = [pAccum EXCEPT ![i] = [p \in Partitions |-> <<>>]]
    /\ pRpc' = [pRpc EXCEPT ![i] = NoRpc]
    /\ UNCHANGED <<pNext, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx, pAdded, brokerVars, coord>>

\* Markers travel like Produce requests: WriteTxnMarkers is a request from the
\* coordinator to the partition's leader, which may be delayed (coord.markers is
\* the set in flight; a set, as the coordinator opens a connection per leader
\* and markers of different partitions are independent), lost (NetworkLoseMarker,
\* RequestLossLimit) or dropped by a crash of the leader.  Each carries the
\* coordinator epoch it was sent in: after a coordinator failover (BrokerRestart
\* of the coordinator) a marker of the old coordinator may still arrive.
MarkerOf(p) == [p |-> p, pid |-> coord.pid, epoch |-> coord.epoch,
                commit |-> coord.state = "PrepareCommit", cepoch |-> coord.cepoch]

\* The coordinator may send partition p's marker of the deciding transaction:
\* while it is unwritten, or again while the decision is being written (a copy
\* whose answer is late or was lost: a fault like a premature timeout,
\* TimeoutLimit); once it completed, never.
MarkerSendable(p) ==
    /\ CoordUp
    /\ Deciding
    /\ p \in coord.parts
    /\ \/ coord.written[p] = 0 /\ UNCHANGED aux
       \/ /\ coord.written[p] # 0
          /\ aux.timeout < TimeoutLimit
          /\ aux' = [aux EXCEPT !.timeout = @ + 1]

\* Protocol rule, TRUE in Kafka (CHECK): the leader refuses a marker of an older
\* coordinator epoch than a marker it already wrote for the producer, and (with
\* KIP-890 part 2, where a marker carries the epoch its transaction's data is
\* written below) a marker whose epoch does not exceed the epoch of the open
\* transaction's data -- the data of the next transaction.  A definition, not a
\* CONSTANT, so that only MCExactlyOnceStaleMarker overrides it.
FenceStaleMarkers == TRUE
MarkerAccepted(m) ==
    LET known == m.pid \in DOMAIN bProducerState[m.p]
        st == IF known THEN bProducerState[m.p][m.pid] ELSE NoProducerStateEntry
    IN \/ ~FenceStaleMarkers
       \/ ~known
       \/ /\ m.cepoch >= st.cepoch
          /\ IF BumpEpochPerTxn THEN m.epoch > st.epoch \/ (m.epoch = st.epoch /\ ~st.open)
             ELSE m.epoch >= st.epoch

\* The leader appends marker m (volatile until flushed, like any append; written
\* again if a crash takes it back).  The first marker of the current decision
\* decides the partition; a copy changes nothing but the leader's verification
\* guard, which any marker clears.  inFlight: the markers still in flight after.
WriteMarker(m, inFlight) ==
    /\ bUp[LeaderOf[m.p]]
    /\ MarkerAccepted(m)
    /\ LET e == MarkerEntry(m.pid, m.epoch, m.commit, m.cepoch)
           k == Len(log[m.p]) + 1
           current == Deciding /\ m.pid = coord.pid /\ m.epoch = coord.epoch
                      /\ m.commit = (coord.state = "PrepareCommit")
       IN /\ log' = [log EXCEPT ![m.p] = Append(@, e)]
          /\ bProducerState' = [bProducerState EXCEPT ![m.p] = ApplyEntry(@, e, k)]
          /\ coord' = [coord EXCEPT !.written[m.p] = IF current /\ @ = 0 THEN k ELSE @,
                                    !.guard[m.p] = NoEpoch, !.markers = inFlight]

\* CoordinatorSendMarker: the coordinator sends partition p's COMMIT/ABORT marker.
CoordinatorSendMarker(p) ==
    /\ MarkerSendable(p)
    /\ MarkerOf(p) \notin coord.markers
    /\ coord' = [coord EXCEPT !.markers = @ \cup {MarkerOf(p)}]
    /\ UNCHANGED <<producerVars, net, brokerVars, inv>>

\* CoordinatorWriteMarker: the leader of the marker's partition appends it.
CoordinatorWriteMarker(m) ==
    /\ m \in coord.markers
    /\ WriteMarker(m, coord.markers \ {m})
    /\ UNCHANGED <<producerVars, net, bUp, durable, pending, inv, aux>>

\* BrokerRejectMarker: the leader refuses a stale marker (the old coordinator's,
\* or one of an ended transaction); the coordinator that sent it has moved on.
BrokerRejectMarker(m) ==
    /\ m \in coord.markers
    /\ bUp[LeaderOf[m.p]]
    /\ ~MarkerAccepted(m)
    /\ coord' = [coord EXCEPT !.markers = @ \ {m}]
    /\ UNCHANGED <<producerVars, net, brokerVars, inv, aux>>

\* NetworkLoseMarker: a WriteTxnMarkers request vanishes (bounded by
\* RequestLossLimit, like a Produce request); the coordinator sends it again.
NetworkLoseMarker(m) ==
    /\ m \in coord.markers
    /\ aux.reqLoss < RequestLossLimit
    /\ aux' = [aux EXCEPT !.reqLoss = @ + 1]
    /\ coord' = [coord EXCEPT !.markers = @ \ {m}]
    /\ UNCHANGED <<producerVars, net, brokerVars, inv>>

\* Trace validation: Java logs CoordinatorWriteMarker when the leader appends; a
\* marker sent and delivered at once is CoordinatorSendMarker followed at once by
\* CoordinatorWriteMarker, one of the behaviours model checking explores.
CoordinatorSendWriteMarker(p) ==
    /\ MarkerSendable(p)
    /\ WriteMarker(MarkerOf(p), coord.markers)
    /\ UNCHANGED <<producerVars, net, bUp, durable, pending, inv>>

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
