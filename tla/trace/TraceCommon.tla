------------------------------ MODULE TraceCommon ------------------------------
(***************************************************************************)
(* Trace validation: the part shared by the four trace specs.              *)
(*                                                                         *)
(* A Java run is exported (TraceExporter) as the definition TraceLog, one  *)
(* record per event with field `event` = the event's name and the event's  *)
(* fields (topicPartition becomes the partition number `partition`, lists  *)
(* become sequences, a list of partitions a set, enums and errors strings, *)
(* a null string "").  The spec's constants (producers, brokers,           *)
(* partitions, records, send order, leaders) are taken from the same run.  *)
(*                                                                         *)
(* A cursor walks the log; every step of TraceNext consumes exactly one    *)
(* event and must be matched by the spec action of the same name, with     *)
(* the event's arguments, or by a stuttering step whose check the event   *)
(* must pass -- so TLC's breadth-first search reaches cursor = Len+1 only  *)
(* if some behaviour of the guarantee spec explains the whole run, and     *)
(* otherwise its depth is the position of the first unexplained event.    *)
(* TraceIncomplete is the property that fails when the trace is consumed   *)
(* to its end: a trace cannot pass vacuously.                              *)
(*                                                                         *)
(* Mapping of Java events (see spec/tla-trace.md):                         *)
(*  ProducerSendBatch / ProducerRetry events of one Java request of        *)
(*    several batches -> ProducerSendRequest at the first, stuttering     *)
(*    checks after (MatchProducerSendRequest).                             *)
(*  ProducerSend, ProducerSendBatch, ProducerRetry, BrokerAppend,          *)
(*  BrokerDuplicate, BrokerReject, BrokerAck, BrokerCrash, BrokerRestart,  *)
(*  ProducerBumpEpoch            -> the spec action of the same name,      *)
(*    with every bump answer of its Java response (BumpGroup).             *)
(*  ProducerSendAcked / ProducerSendFailed (one per record) -> the action  *)
(*    completing the record's batch for its first record, a stuttering    *)
(*    step (the record must be completed and not yet reported) after.      *)
(*  BrokerFlush -> BrokerFlush, or stuttering if nothing is volatile; the   *)
(*    log end offset must match either way.                                *)
(*  NetworkDeliver of a ProduceRequest -> stuttering that marks the first  *)
(*    undelivered request of its connection as delivered (the broker's    *)
(*    handler event consumes it); of a ProduceResponse -> NetworkDeliver   *)
(*    (an answer that completes nothing) or stuttering (the producer's     *)
(*    next event handles it); of any other type -> stuttering: coordinator *)
(*    RPCs are reliable in the spec.                                       *)
(*  NetworkLoseRequest / NetworkLoseResponse of a Produce message -> the   *)
(*    action of the same name, or stuttering if the message already went   *)
(*    with a crash of its broker; of any other type -> stuttering.         *)
(*  Errors: BrokerReject / BrokerAck carry the spec's error (SameError     *)
(*    maps the names the Java code gives differently); ProducerSendFailed's *)
(*    errorCode must name the reason the spec fails the record for.        *)
(*  Fault budgets are the run's own counts (TraceExporter / TraceFaults).  *)
(*  BrokerRecoverPartition, BrokerVerifyPartition, ConsumerFetch ->        *)
(*    stuttering steps that check the log end offset, the coordinator's    *)
(*    verdict and the reader's view against the spec's state.              *)
(***************************************************************************)
EXTENDS DeliveryBase, TraceData
\* TraceData, written next to the checked module by TraceExporter for each run,
\* defines TraceLog (and the values of the spec's constants).  A definition, not
\* a CONSTANT: TLC evaluates it once instead of at every use.

VARIABLES
    cursor,      \* position of the next event to explain
    tDelivered,  \* <<source, destination, corr>> of requests delivered, not yet handled
    tReported    \* records whose completion (acked/failed) event was consumed

traceVars == <<cursor, tDelivered, tReported>>

\* Message types that travel through the spec's lossy network.
SpecMessageTypes == {"ProduceRequest", "ProduceResponse"}

Ev == TraceLog[cursor]
Is(name) == Ev.event = name

\* The instances a coordinator's InitProducerId or fence at this event answers: the
\* sender of the InitProducerId request that broker received last (TR_InitFrom, from the
\* run's NetworkDeliver events; the Java coordinator handles a request on delivery).
\* Without it every waiting instance was a candidate, and a run with many producer
\* restarts branched into every assignment of answers to instances (exactly-once
\* seed 8: 1.29 million states for 164 events).
InitCandidates == IF cursor \in DOMAIN TR_InitFrom THEN {TR_InitFrom[cursor]} ELSE Producers

\* A request lost on its way to a broker that is down is refused, not a fault: the
\* spec may count either, but counting it only wastes budget, and the two successors
\* differ in nothing else -- with hundreds of refused retries in a run (a producer
\* retrying while its leader is down) the counter made hundreds of states per event.
\* Trace validation therefore takes the fault only when the destination is up.
LossCounted(b) == aux'.reqLoss = aux.reqLoss + (IF bUp[b] THEN 1 ELSE 0)

StutterCheck == UNCHANGED vars /\ UNCHANGED <<tDelivered, tReported>>
KeepTrace == UNCHANGED <<tDelivered, tReported>>

Chan(s, d) == <<s, d>>
CorrIndices(c, corr) == {k \in 1..Len(net[c]) : net[c][k].corr = corr}

\* The first message of a connection not yet delivered.
FirstUndelivered(c) ==
    LET ks == {k \in 1..Len(net[c]) : <<c[1], c[2], net[c][k].corr>> \notin tDelivered}
    IN IF ks = {} THEN 0 ELSE SetMin(ks)

\* Batch j of producer i's request to broker b, delivered by Java.  A request may
\* carry several batches (one message each, same corr): it stays delivered
\* until its last batch was handled.
DeliveredAt(i, b, j) ==
    /\ i \in Producers
    /\ FrontRequest(i, b, j)
    /\ <<i, b, RequestAt(i, b, j).corr>> \in tDelivered
HandledAt(i, b, j) ==
    LET c == Chan(i, b)
        corr == net[c][j].corr
    IN tDelivered' = IF \E x \in 1..Len(net[c]) : x # j /\ net[c][x].corr = corr THEN tDelivered
                     ELSE tDelivered \ {<<i, b, corr>>}

\* Error names the spec and the Java code give the same refusal differently (the
\* producer reacts alike): a failed KIP-890 verification of a stale epoch is the
\* spec's INVALID_TXN_STATE and Java's INVALID_PRODUCER_EPOCH (Kafka's coordinator
\* names it so; both fail the batch, the transaction is abortable, KIP-588); a
\* verification that got no answer is the spec's REQUEST_TIMED_OUT and Java's
\* NOT_ENOUGH_REPLICAS (Kafka's answer to a produce whose verification failed;
\* both retriable).  Every other error must be the same.
SameError(spec, java) ==
    \/ spec = java
    \/ spec = "INVALID_TXN_STATE" /\ java = "INVALID_PRODUCER_EPOCH"
    \/ spec = "REQUEST_TIMED_OUT" /\ java = "NOT_ENOUGH_REPLICAS"

\* ProducerSendFailed.errorCode (TraceExporter: a broker error's code, else the
\* exception's class) of a batch failed without an answer -- a request timeout or a
\* broken connection (retries=0), the delivery timeout -- and of queued records failed
\* by abortTransaction() or their delivery timeout.
TimeoutErrors == {"NETWORK_EXCEPTION", "TimeoutException"}
QueuedErrors == {"TransactionAbortedException", "TimeoutException"}

MatchProducerSend ==
    /\ Is("ProducerSend")
    /\ Ev.producer \in Producers
    /\ pNext[Ev.producer] < Len(SendOrder[Ev.producer])
    /\ SendOrder[Ev.producer][pNext[Ev.producer] + 1] = Ev.recordId
    /\ ProducerSend(Ev.producer)
    /\ KeepTrace

\* A Java Produce request of several batches is logged as consecutive
\* ProducerSendBatch / ProducerRetry events with its correlation id (Sender:
\* one event per batch, in drain order).  Its first event takes the spec's
\* ProducerSendRequest with all of them (the action model checking explores
\* with MaxBatchesPerRequest > 1, the MC*MultiBatch* models of every mode); the others check that
\* their batch went with it.  A request of one batch is ProducerSendBatch or
\* ProducerRetry.
SendEv(e) == e.event \in {"ProducerSendBatch", "ProducerRetry"}
SameRequestEv(e1, e2) == SendEv(e1) /\ SendEv(e2) /\ e1.producer = e2.producer
                         /\ e1.correlationId = e2.correlationId
RECURSIVE RequestEnd(_)
RequestEnd(k) == IF k < Len(TraceLog) /\ SameRequestEv(TraceLog[k], TraceLog[k + 1]) THEN RequestEnd(k + 1) ELSE k
InRequest == cursor > 1 /\ SameRequestEv(TraceLog[cursor - 1], Ev)
SingleBatchRequest == ~InRequest /\ RequestEnd(cursor) = cursor
\* No batch joins a request already on its way: the batches of one corr leave in
\* one step (Java correlation ids are never reused by a producer), as in model
\* checking -- otherwise a batch sent later could pass one sent before it.
FreshCorr(i, b) == i \in Producers /\ Chan(i, b) \in Channels /\ CorrIndices(Chan(i, b), Ev.correlationId) = {}

MatchProducerSendBatch ==
    /\ Is("ProducerSendBatch")
    /\ SingleBatchRequest
    /\ LET i == Ev.producer
           p == Ev.partition
           n == Len(Ev.recordIds)
       IN /\ i \in Producers /\ p \in Partitions
          /\ LeaderOf[p] = Ev.broker
          /\ n <= Len(pAccum[i][p])
          /\ SubSeq(pAccum[i][p], 1, n) = Ev.recordIds
          /\ pPid[i] = Ev.producerId
          /\ pEpoch[i] = Ev.producerEpoch
          /\ (IF Idempotence THEN NextSeq(i, p) ELSE NoSeq) = Ev.baseSequence
          /\ FreshCorr(i, Ev.broker)
          /\ ProducerSendBatch(i, p, n, Ev.correlationId)
    /\ KeepTrace

SameBatch(bt, e) ==
    /\ bt.p = e.partition /\ bt.pid = e.producerId /\ bt.epoch = e.producerEpoch /\ bt.seq = e.baseSequence

MatchProducerRetry ==
    /\ Is("ProducerRetry")
    /\ SingleBatchRequest
    /\ Ev.producer \in Producers
    /\ FreshCorr(Ev.producer, Ev.broker)
    /\ \E bt \in pInflight[Ev.producer] :
         /\ SameBatch(bt, Ev) /\ bt.recs = Ev.recordIds
         \* a retry not asked for by an error answer follows a request timeout, which
         \* closes the connection (Java's sender, like Kafka's)
         /\ ProducerRetry(Ev.producer, bt, Ev.correlationId, bt \notin pRetry[Ev.producer])
    /\ KeepTrace

\* The new batches of the request are drained as ProducerSendBatch would (same
\* records, id, epoch, sequence); the retransmitted ones wait for their retry.
MatchProducerSendRequest ==
    /\ SendEv(Ev) /\ ~InRequest /\ RequestEnd(cursor) > cursor
    /\ LET i == Ev.producer
           b == Ev.broker
           evs == {TraceLog[k] : k \in cursor..RequestEnd(cursor)}
           newEvs == {e \in evs : e.event = "ProducerSendBatch"}
           retryEvs == {e \in evs : e.event = "ProducerRetry"}
           S == {e.partition : e \in newEvs}
       IN /\ FreshCorr(i, b)
          /\ Cardinality(S) = Cardinality(newEvs)
          /\ \A e \in newEvs :
               /\ e.partition \in Partitions /\ LeaderOf[e.partition] = b
               /\ Len(e.recordIds) <= Len(pAccum[i][e.partition])
               /\ SubSeq(pAccum[i][e.partition], 1, Len(e.recordIds)) = e.recordIds
               /\ pPid[i] = e.producerId /\ pEpoch[i] = e.producerEpoch
               /\ (IF Idempotence THEN NextSeq(i, e.partition) ELSE NoSeq) = e.baseSequence
          /\ LET R == {bt \in pRetry[i] : \E e \in retryEvs : SameBatch(bt, e) /\ bt.recs = e.recordIds}
             IN /\ Cardinality(R) = Cardinality(retryEvs)
                /\ ProducerSendRequest(i, b, R,
                      [p \in S |-> Len((CHOOSE e \in newEvs : e.partition = p).recordIds)], Ev.correlationId)
    /\ KeepTrace

\* A later batch of a multi-batch request: it went with the request's first event.
MatchProducerSendInRequest ==
    /\ SendEv(Ev) /\ InRequest
    /\ Chan(Ev.producer, Ev.broker) \in Channels
    /\ \E k \in CorrIndices(Chan(Ev.producer, Ev.broker), Ev.correlationId) :
         LET bt == net[Chan(Ev.producer, Ev.broker)][k].batch
         IN SameBatch(bt, Ev) /\ bt.recs = Ev.recordIds
    /\ StutterCheck

\* Answer k to producer i from broker b completes record r.
AnswerCompletes(b, i, k, r) ==
    /\ FrontAnswer(b, i, k)
    /\ r \in UNION {Range(x.recs) : x \in Resolved(i, AnswerAt(b, i, k).batch)}

MatchProducerSendAcked ==
    /\ Is("ProducerSendAcked")
    /\ Ev.producer \in Producers
    /\ Ev.recordId \notin tReported
    /\ \/ Ev.recordId \in inv.acked /\ UNCHANGED vars /\ UNCHANGED tDelivered
       \/ \E b \in Brokers : \E k \in 1..Len(net[Chan(b, Ev.producer)]) :
            /\ AnswerCompletes(b, Ev.producer, k, Ev.recordId)
            /\ ProducerSendAcked(b, Ev.producer, k)
            /\ UNCHANGED tDelivered
    /\ tReported' = tReported \cup {Ev.recordId}

MatchProducerSendFailed ==
    /\ Is("ProducerSendFailed")
    /\ Ev.producer \in Producers
    /\ Ev.recordId \notin tReported
    /\ \/ /\ Ev.recordId \in inv.failed /\ UNCHANGED vars /\ UNCHANGED tDelivered
          \* the records a fenced producer fails: after its ProducerFenced
          /\ Ev.errorCode = "ProducerFencedException" => pState[Ev.producer] = "Fatal"
       \/ \E bt \in pInflight[Ev.producer] :
            /\ Ev.recordId \in Range(bt.recs)
            /\ \/ Ev.errorCode \in TimeoutErrors /\ ProducerSendFailed(Ev.producer, bt, 0)
               \/ \E k \in 1..Len(net[Chan(LeaderOf[bt.p], Ev.producer)]) :
                     /\ SameError(AnswerAt(LeaderOf[bt.p], Ev.producer, k).err, Ev.errorCode)
                     /\ ProducerSendFailed(Ev.producer, bt, k)
            /\ UNCHANGED tDelivered
       \/ /\ Ev.partition \in Partitions
          /\ Ev.errorCode \in QueuedErrors
          /\ Ev.recordId \in Range(pAccum[Ev.producer][Ev.partition])
          /\ ProducerSendFailed(Ev.producer, [p |-> Ev.partition], -1)
          /\ UNCHANGED tDelivered
    /\ tReported' = tReported \cup {Ev.recordId}

MatchProducerBumpEpoch ==
    /\ Is("ProducerBumpEpoch")
    /\ Ev.producer \in Producers
    /\ pEpoch[Ev.producer] + 1 = Ev.producerEpoch
    \* K = {}: the bump without an answer after a delivery timeout (issue 14, rule 7);
    \* else every answer of one Java response that asks for a bump (BumpGroup): the
    \* Java producer handles the response whole and bumps once for all its gaps
    /\ \/ \E b \in Brokers : ProducerBumpEpoch(b, Ev.producer, {})
       \/ \E b \in Brokers : \E k \in 1..Len(net[Chan(b, Ev.producer)]) :
            ProducerBumpEpoch(b, Ev.producer, BumpGroup(b, Ev.producer, k))
    /\ KeepTrace

MatchNetworkDeliver ==
    /\ Is("NetworkDeliver")
    /\ \/ Ev.messageType \notin SpecMessageTypes /\ StutterCheck
       \/ /\ Ev.messageType = "ProduceRequest"
          /\ Chan(Ev.source, Ev.destination) \in Channels
          /\ LET c == Chan(Ev.source, Ev.destination) IN
             \* the request's batches are the first undelivered messages of the connection
             /\ FirstUndelivered(c) # 0
             /\ net[c][FirstUndelivered(c)].corr = Ev.correlationId
             /\ tDelivered' = tDelivered \cup {<<Ev.source, Ev.destination, Ev.correlationId>>}
          /\ UNCHANGED vars /\ UNCHANGED tReported
       \/ /\ Ev.messageType = "ProduceResponse"
          /\ Chan(Ev.source, Ev.destination) \in Channels
          \* a Java response's answers must lead their channel (AnswerGroup)
          /\ LET group == AnswerGroup(Ev.source, Ev.destination, Ev.correlationId)
                 silent == SilentGroup(Ev.source, Ev.destination, Ev.correlationId)
             IN /\ group # {}
                \* answers completing nothing are handled now; the others by the
                \* producer's next events (ProducerSendAcked, ...)
                /\ IF silent = {} THEN StutterCheck
                   ELSE NetworkDeliver(Ev.source, Ev.destination, silent) /\ KeepTrace

MatchNetworkLoseRequest ==
    /\ Is("NetworkLoseRequest")
    /\ \/ Ev.messageType \notin SpecMessageTypes /\ StutterCheck
       \/ /\ Ev.messageType = "ProduceRequest"
          /\ Chan(Ev.source, Ev.destination) \in Channels
          /\ LET c == Chan(Ev.source, Ev.destination) IN
             \/ /\ CorrIndices(c, Ev.correlationId) # {}
                \* requests the Java broker already received survive the broken connection
                /\ NetworkLoseRequestKeeping(Ev.source, Ev.destination, CorrIndices(c, Ev.correlationId),
                       {j \in 1..Len(net[c]) : <<Ev.source, Ev.destination, net[c][j].corr>> \in tDelivered
                                               /\ net[c][j].corr # Ev.correlationId})
                /\ LossCounted(Ev.destination)
                /\ tDelivered' = tDelivered \ {<<Ev.source, Ev.destination, Ev.correlationId>>}
                /\ UNCHANGED tReported
             \* gone already: with its broker's crash, or with the broken connection an
             \* earlier loss on it reported (Java reports each message of a reset connection)
             \/ CorrIndices(c, Ev.correlationId) = {} /\ StutterCheck

MatchNetworkLoseResponse ==
    /\ Is("NetworkLoseResponse")
    /\ \/ Ev.messageType \notin SpecMessageTypes /\ StutterCheck
       \/ /\ Ev.messageType = "ProduceResponse"
          /\ Chan(Ev.source, Ev.destination) \in Channels
          /\ LET c == Chan(Ev.source, Ev.destination) IN
             \/ /\ CorrIndices(c, Ev.correlationId) # {}
                /\ NetworkLoseResponseKeeping(Ev.source, Ev.destination, CorrIndices(c, Ev.correlationId),
                       {j \in 1..Len(net[Chan(Ev.destination, Ev.source)]) :
                           <<Ev.destination, Ev.source, net[Chan(Ev.destination, Ev.source)][j].corr>> \in tDelivered})
                /\ KeepTrace
             \/ CorrIndices(c, Ev.correlationId) = {} /\ StutterCheck

MatchBrokerAppend ==
    /\ Is("BrokerAppend")
    /\ \E i \in Producers : \E j \in 1..Len(net[Chan(i, Ev.broker)]) :
         /\ DeliveredAt(i, Ev.broker, j)
         /\ LET bt == RequestAt(i, Ev.broker, j).batch IN
            /\ SameBatch(bt, Ev) /\ bt.recs = Ev.recordIds /\ bt.txn = Ev.transactional
            /\ EndOffset(log[bt.p]) = Ev.baseOffset
         /\ BrokerAppend(i, Ev.broker, j)
         /\ HandledAt(i, Ev.broker, j)
    /\ UNCHANGED tReported

MatchBrokerDuplicate ==
    /\ Is("BrokerDuplicate")
    /\ \E i \in Producers : \E j \in 1..Len(net[Chan(i, Ev.broker)]) :
         /\ DeliveredAt(i, Ev.broker, j)
         /\ LET bt == RequestAt(i, Ev.broker, j).batch IN
            /\ SameBatch(bt, Ev)
            /\ OffsetBefore(log[bt.p], PostVerify(bt).idx) = Ev.originalOffset
         /\ BrokerDuplicate(i, Ev.broker, j)
         /\ HandledAt(i, Ev.broker, j)
    /\ UNCHANGED tReported

MatchBrokerReject ==
    /\ Is("BrokerReject")
    /\ \E i \in Producers : \E j \in 1..Len(net[Chan(i, Ev.broker)]) :
         /\ DeliveredAt(i, Ev.broker, j)
         /\ SameBatch(RequestAt(i, Ev.broker, j).batch, Ev)
         /\ BrokerReject(i, Ev.broker, j)
         \* the refusal's error (a stale epoch's failed verification: older than the coordinator's)
         /\ LET err == pending'[Ev.broker][Len(pending'[Ev.broker])].err IN
            /\ SameError(err, Ev.error)
            /\ (err = "INVALID_TXN_STATE" /\ Ev.error = "INVALID_PRODUCER_EPOCH") => Ev.producerEpoch < coord.epoch
         /\ HandledAt(i, Ev.broker, j)
    /\ UNCHANGED tReported

MatchBrokerAck ==
    /\ Is("BrokerAck")
    /\ Ev.broker \in Brokers /\ Ev.destination \in Producers
    /\ \E k \in 1..Len(pending[Ev.broker]) :
         LET pd == pending[Ev.broker][k] IN
         /\ pd.corr = Ev.correlationId
         /\ pd.batch.p = Ev.partition
         /\ SameError(pd.err, Ev.error)
         /\ pd.ok => OffsetBefore(log[pd.batch.p], pd.idx) = Ev.baseOffset
         \* the other answers of the same response go out with it, in any order
         /\ BrokerAckWith(Ev.broker, Ev.destination, k, CorrPeers(Ev.broker, Ev.destination, k))
    /\ KeepTrace

MatchBrokerFlush ==
    /\ Is("BrokerFlush")
    /\ Ev.partition \in Partitions
    /\ LeaderOf[Ev.partition] = Ev.broker
    /\ EndOffset(log[Ev.partition]) = Ev.logEndOffset
    /\ \/ BrokerFlush(Ev.partition) /\ KeepTrace
       \/ durable[Ev.partition] = Len(log[Ev.partition]) /\ StutterCheck

MatchBrokerCrash ==
    /\ Is("BrokerCrash")
    /\ BrokerCrash(Ev.broker)
    /\ tDelivered' = {d \in tDelivered : d[1] # Ev.broker /\ d[2] # Ev.broker}
    /\ UNCHANGED tReported

MatchBrokerRestart ==
    /\ Is("BrokerRestart")
    /\ BrokerRestart(Ev.broker)
    /\ KeepTrace

MatchBrokerRecoverPartition ==
    /\ Is("BrokerRecoverPartition")
    /\ Ev.partition \in Partitions
    /\ bUp[Ev.broker]
    /\ EndOffset(log[Ev.partition]) = Ev.logEndOffset
    /\ StutterCheck

MatchBrokerVerifyPartition ==
    /\ Is("BrokerVerifyPartition")
    /\ LET bt == [p |-> Ev.partition, pid |-> Ev.producerId, epoch |-> Ev.producerEpoch] IN
       IF Ev.verified THEN VerifiedByCoordinator(bt) \/ Guarded(bt) ELSE ~VerifiedByCoordinator(bt)
    /\ StutterCheck

MatchConsumerFetch ==
    /\ Is("ConsumerFetch")
    /\ Ev.partition \in Partitions
    /\ Ev.recordIds = IF Ev.isolation = "READ_COMMITTED" THEN CommittedView(Ev.partition)
                      ELSE DurableView(Ev.partition)
    /\ StutterCheck

CommonMatch ==
    \/ MatchProducerSend
    \/ MatchProducerSendBatch
    \/ MatchProducerRetry
    \/ MatchProducerSendRequest
    \/ MatchProducerSendInRequest
    \/ MatchProducerSendAcked
    \/ MatchProducerSendFailed
    \/ MatchProducerBumpEpoch
    \/ MatchNetworkDeliver
    \/ MatchNetworkLoseRequest
    \/ MatchNetworkLoseResponse
    \/ MatchBrokerAppend
    \/ MatchBrokerDuplicate
    \/ MatchBrokerReject
    \/ MatchBrokerAck
    \/ MatchBrokerFlush
    \/ MatchBrokerCrash
    \/ MatchBrokerRestart
    \/ MatchBrokerRecoverPartition
    \/ MatchBrokerVerifyPartition
    \/ MatchConsumerFetch

TraceInit == Init /\ cursor = 1 /\ tDelivered = {} /\ tReported = {}

\* Violated exactly when the whole trace has been explained.
TraceIncomplete == cursor <= Len(TraceLog)
=============================================================================
