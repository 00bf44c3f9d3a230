---------------------------- MODULE TxnCoordinator ----------------------------
(***************************************************************************)
(* The transaction coordinator of one transactional.id (Kafka's            *)
(* TransactionCoordinator and TransactionMarkerChannelManager), and the    *)
(* partition leader's handling of its markers.                             *)
(*  - InitProducerId: the first instance gets a producer id, later ones    *)
(*    the same id with a bumped epoch; an ongoing transaction is aborted   *)
(*    first (CoordinatorFence).                                            *)
(*  - Empty -> Ongoing (CoordinatorAddPartitions: the producer's           *)
(*    AddPartitionsToTxn, or with TransactionVersion = 2 the leader's) ->  *)
(*    PrepareCommit | PrepareAbort (CoordinatorPrepare: the decision,      *)
(*    durable; KIP-890 part 2 bumps the epoch) -> markers to every         *)
(*    partition -> CompleteCommit | CompleteAbort (CoordinatorComplete).   *)
(*  - Markers (WriteTxnMarkers) travel like Produce requests: delayed      *)
(*    (coord.markers, in flight), lost (NetworkLoseMarker), dropped by a   *)
(*    leader crash; each carries the coordinator epoch, and after a        *)
(*    failover (BrokerRestart of the coordinator's broker) a leader refuses*)
(*    a stale one (BrokerRejectMarker, FenceStaleMarkers).                 *)
(*  - transaction.timeout.ms aborts with an epoch bump                     *)
(*    (CoordinatorTimeoutAbort).                                           *)
(*                                                                         *)
(* Abstracted away: the transaction log is durable on every write and a    *)
(* failover loses nothing of it; one transactional.id, so no coordinator   *)
(* partitioning; the coordinator's RPCs with producers are reliable        *)
(* (Network.tla).                                                          *)
(***************************************************************************)
EXTENDS Broker

CoordUp == bUp[Coordinator]

Deciding == coord.state \in {"PrepareCommit", "PrepareAbort"}
\* A coordinator request of instance i carries an epoch the coordinator has fenced.
StaleRpc(i) == FenceEpochs /\ pRpc[i].epoch # coord.epoch

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
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch,
                   pTxnIdx, pAdded, net, brokerVars>>

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
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch,
                   pTxnIdx, net, brokerVars, inv, aux>>

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
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch,
                   pTxnIdx, pAdded, net, brokerVars, aux>>

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
=============================================================================
