----------------------------- MODULE TxnProducer -----------------------------
(***************************************************************************)
(* The transactional part of the producer client (Kafka's                  *)
(* TransactionManager with a transactional.id):                            *)
(*   InitProducerId (fences older instances) -> BeginTxn ->                *)
(*   AddPartitionsToTxn before the first write to a partition (not with    *)
(*   TransactionVersion = 2: the partition's leader adds it on the first   *)
(*   transactional produce) -> sends (Producer.tla) -> EndTxn(commit|abort)*)
(*   once nothing is in flight, commit only if every record of the         *)
(*   transaction was acknowledged.                                         *)
(* A restart starts a new instance with the same transactional.id          *)
(* (ProducerRestart); the old one may go on as a zombie until it is        *)
(* fenced (ProducerFenced).                                                *)
(*                                                                         *)
(* Abstracted away: the application's consume-transform-produce loop and   *)
(* sendOffsetsToTransaction (KIP-447), coordinator discovery, and timing:  *)
(* a transaction may end as soon as nothing is in flight.                  *)
(***************************************************************************)
EXTENDS TxnCoordinator, Producer

\* Names a partition's queue for ProducerSendFailed(i, _, -1).
QueueOf(p) == [p |-> p, recs |-> <<>>, pid |-> NoPid, epoch |-> NoEpoch, seq |-> NoSeq, txn |-> TRUE]

\* ProducerRestart: the newest instance crashes or hangs (it may go on as a
\* zombie, even finish its InitProducerId) and a new instance with the same
\* transactional.id starts.
ProducerRestart(i, j) ==
    /\ pState[i] # "Down"
    /\ pState[j] = "Down"
    /\ j = SetMin({k \in Producers : k > i})
    /\ pState' = [pState EXCEPT ![j] = "Init"]
    /\ pRpc' = [pRpc EXCEPT ![j] = InitRpc]
    /\ UNCHANGED <<pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch, pTxnIdx,
                   pAdded, net, brokerVars, coord, inv, aux>>

\* ProducerInitProducerId: the instance learns its id and epoch.  (The instance
\* whose InitProducerId the coordinator handled last owns the transactional.id;
\* every other initialised instance is a zombie.)
ProducerInitProducerId(i) ==
    /\ pRpc[i].type = "InitResult"
    /\ pPid' = [pPid EXCEPT ![i] = pRpc[i].pid]
    /\ pEpoch' = [pEpoch EXCEPT ![i] = pRpc[i].epoch]
    /\ pSeqEpoch' = [pSeqEpoch EXCEPT ![i] = [p \in Partitions |-> pRpc[i].epoch]]
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
    /\ UNCHANGED <<pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch, pRpc,
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
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch,
                   pTxnIdx, pAdded, net, brokerVars, coord, inv, aux>>

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
    /\ UNCHANGED <<pState, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch, pTxnIdx, pAdded,
                   net, brokerVars, coord, aux>>

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
          /\ pSeqEpoch' = [pSeqEpoch EXCEPT ![i] = [p \in Partitions |-> epoch]]
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
    /\ UNCHANGED <<pNext, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch, pTxnIdx, pAdded, brokerVars, coord>>
=============================================================================
