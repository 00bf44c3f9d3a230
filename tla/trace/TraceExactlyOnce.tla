--------------------------- MODULE TraceExactlyOnce ---------------------------
(***************************************************************************)
(* Trace validation of a Java exactly-once run: TraceCommon's mapping plus *)
(* the transactional events.                                                *)
(*  CoordinatorInitProducerId, ProducerInitProducerId, ProducerRestart,    *)
(*  ProducerBeginTxn, CoordinatorAddPartitions, ProducerEndTxn,            *)
(*  CoordinatorWriteMarker, CoordinatorComplete, CoordinatorTimeoutAbort,  *)
(*  ProducerEndTxnResult, ProducerFenced -> the action of the same name.   *)
(*  ProducerEndTxn -> the action, or stuttering for a re-sent EndTxn.      *)
(*  ProducerAddPartitions -> the action, or stuttering when the same       *)
(*    request is already outstanding or its partitions already added (a    *)
(*    retry).                                                              *)
(*  ProducerEndTxnResult -> the action, with the producer id and the epoch *)
(*    it continues with (bumped by EndTxn with BumpEpochPerTxn); for a     *)
(*    transaction that added no partition it is the whole local end (Java  *)
(*    sends no EndTxn then); an error result after ProducerFenced ->       *)
(*    stuttering.                                                          *)
(*  CoordinatorFence -> the action while a transaction is ongoing (bump +  *)
(*    abort); otherwise stuttering: the bump is CoordinatorInitProducerId's.*)
(*  CoordinatorPrepare -> the action for an EndTxn, or stuttering when the *)
(*    same decision was already taken by CoordinatorFence or               *)
(*    CoordinatorTimeoutAbort (the Java coordinator logs it separately).   *)
(***************************************************************************)
EXTENDS ExactlyOnce, TraceCommon

MatchCoordinatorInitProducerId ==
    /\ Is("CoordinatorInitProducerId")
    /\ \E i \in InitCandidates :
         /\ CoordinatorInitProducerId(i, Ev.producerId)
         /\ pRpc'[i].pid = Ev.producerId
         /\ pRpc'[i].epoch = Ev.producerEpoch
    /\ KeepTrace

MatchProducerInitProducerId ==
    /\ Is("ProducerInitProducerId")
    /\ Ev.producer \in Producers
    /\ pRpc[Ev.producer].type = "InitResult"
    /\ pRpc[Ev.producer].pid = Ev.producerId
    /\ pRpc[Ev.producer].epoch = Ev.producerEpoch
    /\ ProducerInitProducerId(Ev.producer)
    /\ KeepTrace

MatchProducerRestart ==
    /\ Is("ProducerRestart")
    /\ Ev.oldProducer \in Producers /\ Ev.newProducer \in Producers
    /\ ProducerRestart(Ev.oldProducer, Ev.newProducer)
    /\ KeepTrace

MatchCoordinatorFence ==
    /\ Is("CoordinatorFence")
    /\ coord.epoch = Ev.oldEpoch
    /\ \/ \E i \in InitCandidates : CoordinatorFence(i) /\ coord'.epoch = Ev.newEpoch /\ KeepTrace
       \/ coord.state # "Ongoing" /\ StutterCheck

MatchProducerBeginTxn ==
    /\ Is("ProducerBeginTxn")
    /\ Ev.producer \in Producers
    /\ pTxnIdx[Ev.producer] + 1 = Ev.transactionIndex
    /\ ProducerBeginTxn(Ev.producer)
    /\ KeepTrace

MatchProducerAddPartitions ==
    /\ Is("ProducerAddPartitions")
    /\ Ev.producer \in Producers
    /\ \/ ProducerAddPartitions(Ev.producer, Ev.partitions) /\ KeepTrace
       \/ /\ pRpc[Ev.producer].type = "AddPartitions"
          /\ pRpc[Ev.producer].parts = Ev.partitions
          /\ StutterCheck
       \* a request sent again after an earlier copy already added the partitions
       \/ Ev.partitions \subseteq pAdded[Ev.producer] /\ StutterCheck

MatchCoordinatorAddPartitions ==
    /\ Is("CoordinatorAddPartitions")
    /\ \E i \in Producers :
         \/ /\ pRpc[i].type = "AddPartitions"
            /\ pRpc[i].parts = Ev.partitions
            /\ pRpc[i].epoch = Ev.producerEpoch
            /\ CoordinatorAddPartitions(i)
         \* transactions version 2: a leader's request for a batch of i it holds
         \/ /\ TransactionVersion = 2
            /\ coord.epoch = Ev.producerEpoch
            /\ \E p \in Ev.partitions : LeaderAddsPartition(i, p) /\ AddToTxn(i, {p})
            /\ UNCHANGED <<producerVars, net, brokerVars, inv, aux>>
    /\ KeepTrace

MatchProducerEndTxn ==
    /\ Is("ProducerEndTxn")
    /\ Ev.producer \in Producers
    /\ pTxnIdx[Ev.producer] = Ev.transactionIndex
    /\ \/ ProducerEndTxn(Ev.producer, Ev.commit) /\ KeepTrace
       \* EndTxn sent again while the first one is unanswered
       \/ /\ pRpc[Ev.producer].type \in {"EndTxn", "EndTxnResult"}
          /\ pRpc[Ev.producer].commit = Ev.commit
          /\ StutterCheck

MatchCoordinatorPrepare ==
    /\ Is("CoordinatorPrepare")
    /\ \/ \E i \in Producers :
            /\ pRpc[i].type = "EndTxn"
            /\ pRpc[i].commit = Ev.commit
            /\ CoordinatorPrepare(i)
            /\ coord'.epoch = Ev.producerEpoch
            /\ KeepTrace
       \/ /\ coord.state = IF Ev.commit THEN "PrepareCommit" ELSE "PrepareAbort"
          /\ coord.epoch = Ev.producerEpoch
          /\ StutterCheck

MatchCoordinatorWriteMarker ==
    /\ Is("CoordinatorWriteMarker")
    /\ Ev.partition \in Partitions
    /\ LeaderOf[Ev.partition] = Ev.broker
    /\ coord.epoch = Ev.producerEpoch
    /\ coord.pid = Ev.producerId
    /\ (Ev.type = "COMMIT") = (coord.state = "PrepareCommit")
    /\ EndOffset(log[Ev.partition]) = Ev.offset
    \* sent and appended at once (the Java network's delivery of the request stutters)
    /\ CoordinatorSendWriteMarker(Ev.partition)
    /\ KeepTrace

MatchCoordinatorComplete ==
    /\ Is("CoordinatorComplete")
    /\ (coord.state = "PrepareCommit") = Ev.commit
    \* the id and epoch the decision was written with
    /\ coord.pid = Ev.producerId /\ coord.epoch = Ev.producerEpoch
    /\ CoordinatorComplete
    /\ KeepTrace

MatchCoordinatorTimeoutAbort ==
    /\ Is("CoordinatorTimeoutAbort")
    \* the transaction's producer id and epoch before the abort's bump
    /\ coord.pid = Ev.producerId /\ coord.epoch = Ev.producerEpoch
    /\ CoordinatorTimeoutAbort
    /\ KeepTrace

MatchProducerEndTxnResult ==
    /\ Is("ProducerEndTxnResult")
    /\ Ev.producer \in Producers
    /\ pTxnIdx[Ev.producer] = Ev.transactionIndex
    /\ \/ /\ (Ev.error = "") = (EndTxnLocal(Ev.producer, Ev.commit) \/ EndTxnOk(Ev.producer))
          /\ ProducerEndTxnResult(Ev.producer, Ev.commit)
          \* the id and epoch the producer continues with (KIP-890 part 2: bumped by EndTxn)
          /\ pPid[Ev.producer] = Ev.producerId
          /\ pEpoch'[Ev.producer] = Ev.producerEpoch
          /\ KeepTrace
       \* the caller's commit/abort fails because the producer was fenced meanwhile
       \/ pState[Ev.producer] = "Fatal" /\ Ev.error # "" /\ StutterCheck
       \* a commit under way fails at once on an abortable error (a batch of the transaction
       \* failed, KIP-588: logged just before that batch's ProducerSendFailed); the caller
       \* aborts next.  The spec's producer has not asked the coordinator yet.
       \/ /\ Ev.commit /\ Ev.error # ""
          \* in its transaction (the one state not listed)
          /\ pState[Ev.producer] \notin {"Down", "Init", "Ready", "Fatal"}
          /\ pRpc[Ev.producer].type # "EndTxn"
          /\ StutterCheck

MatchProducerFenced ==
    /\ Is("ProducerFenced")
    /\ Ev.producer \in Producers
    \* the id and epoch the fenced instance holds
    /\ pPid[Ev.producer] = Ev.producerId /\ pEpoch[Ev.producer] = Ev.producerEpoch
    /\ \E b \in Brokers : \E k \in 0..Len(net[Chan(b, Ev.producer)]) : ProducerFenced(Ev.producer, b, k)
    /\ KeepTrace

TraceNext ==
    /\ cursor <= Len(TraceLog)
    /\ \/ CommonMatch
       \/ MatchCoordinatorInitProducerId
       \/ MatchProducerInitProducerId
       \/ MatchProducerRestart
       \/ MatchCoordinatorFence
       \/ MatchProducerBeginTxn
       \/ MatchProducerAddPartitions
       \/ MatchCoordinatorAddPartitions
       \/ MatchProducerEndTxn
       \/ MatchCoordinatorPrepare
       \/ MatchCoordinatorWriteMarker
       \/ MatchCoordinatorComplete
       \/ MatchCoordinatorTimeoutAbort
       \/ MatchProducerEndTxnResult
       \/ MatchProducerFenced
    /\ cursor' = cursor + 1
=============================================================================
