-------------------------------- MODULE Producer --------------------------------
(***************************************************************************)
(* The producer client's send path (Kafka's KafkaProducer,                 *)
(* RecordAccumulator, Sender and the idempotence part of                   *)
(* TransactionManager), for any number of instances (a restarted           *)
(* instance is a new one; the old may live on as a zombie).                *)
(*  - send() hands the instance's records in SendOrder to per-partition    *)
(*    queues (ProducerSend).                                               *)
(*  - The sender drains batches of 1..MaxBatch records, oldest first,      *)
(*    stamped with producer id, epoch and sequence; at most MaxInFlight    *)
(*    batches per instance and leader await an answer (ProducerSendBatch). *)
(*  - Answers complete batches (ProducerSendAcked, ProducerSendFailed),    *)
(*    are ignored when stale, or mark a batch for retransmission with its  *)
(*    original id, epoch and sequence (NetworkDeliver, ProducerRetry), in  *)
(*    sequence order.                                                      *)
(*  - Idempotence: unresolved sequences after a delivery timeout and the   *)
(*    epoch bump of KIP-360 after an unresolvable gap (ProducerBumpEpoch). *)
(* The transactional part of the client (InitProducerId, transactions,     *)
(* fencing) is in TxnProducer.tla.                                         *)
(*                                                                         *)
(* Abstracted away: time -- a request timeout is a step that may fire when *)
(* the request or its answer was really lost, or prematurely within        *)
(* TimeoutLimit, and delivery.timeout.ms likewise; linger, buffer memory,  *)
(* compression, partitioners (PartitionOf is fixed), metadata.             *)
(***************************************************************************)
EXTENDS Network, PartitionLog

\* ProducerSend: send() appends the instance's next record to its partition's queue.
ProducerSend(i) ==
    /\ pNext[i] < Len(SendOrder[i])
    /\ LET r == SendOrder[i][pNext[i] + 1]
           p == PartitionOf[r]
       IN /\ IF Transactional THEN pState[i] = "InTxn" /\ TxnOf[r] = pTxnIdx[i]
                              ELSE pState[i] \in {"Init", "Ready"}
          /\ pNext' = [pNext EXCEPT ![i] = @ + 1]
          /\ pAccum' = [pAccum EXCEPT ![i][p] = Append(@, r)]
          /\ pAdded' = IF Transactional /\ TransactionVersion = 2
                        THEN [pAdded EXCEPT ![i] = @ \cup {p}] ELSE pAdded
    /\ UNCHANGED <<pState, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch, pTxnIdx, pRpc,
                   net, brokerVars, coord, inv, aux>>

\* Kafka's unresolved sequences (TransactionManager.partitionsWithUnresolvedSequences),
\* derived rather than stored: the sequences of partition p stamped after the last
\* acknowledged one that no batch in flight carries -- a batch failed, by its
\* delivery timeout, and may or may not have been written.  An acknowledgement of a
\* later sequence resolves them (pAckedSeq moves past), so does an epoch bump.
CarriesSeq(i, p, s) == \E x \in pInflight[i] : x.p = p /\ x.seq # NoSeq /\ x.seq <= s /\ s <= LastSeqOf(x)
Unresolved(i, p) == {s \in pAckedSeq[i][p] + 1..pSeq[i][p] - 1 : ~CarriesSeq(i, p, s)}
\* Kafka's isNextSequenceForUnresolvedPartition (idempotent producer only: a
\* transactional one fails the batch and bumps at the end of its transaction).
AfterUnresolved(i, bt) == ~Transactional /\ bt.seq - 1 \in Unresolved(i, bt.p)

InFlightTo(i, b) == {bt \in pInflight[i] : LeaderOf[bt.p] = b}
InFlightOf(i, p) == {bt \in pInflight[i] : bt.p = p}

\* Kafka's hasStaleProducerIdAndEpoch: partition p's sequences belong to an older
\* epoch -- an epoch bump that did not renumber p (ProducerBumpEpoch) left batches
\* of p in flight under their old epoch and sequences.
StaleSeqs(i, p) == pSeqEpoch[i][p] # pEpoch[i]
\* The sequence the next batch of p gets: 0 under a new epoch once the old epoch's
\* batches are all done (Kafka's maybeUpdateProducerIdAndEpoch).
NextSeq(i, p) == IF StaleSeqs(i, p) THEN 0 ELSE pSeq[i][p]


\* Partition p of instance i can give the sender a new batch of its n oldest
\* records (a guard of ProducerSendBatch and ProducerSendRequest).
CanDrain(i, p, n) ==
    /\ Transactional => p \in pAdded[i]
    \* Kafka's accumulator puts a batch to retry back at the head of its partition's
    \* queue: nothing newer of the partition is drained before it went out again
    /\ \A x \in pRetry[i] : x.p # p
    /\ 1 <= n /\ n <= Min(MaxBatch, Len(pAccum[i][p]))
    \* Kafka's shouldStopDrainBatchesForPartition: no new batch of a partition whose
    \* sequence is unresolved (an expired batch may have been written; without this
    \* rule the broker's window can hold more unacknowledged batches than are in
    \* flight, and TLC found a duplicate in MCIdempotentWindow).  Kafka applies it to
    \* transactional producers too; the spec keeps their earlier rule (rule 7 is
    \* about the idempotent producer).
    /\ (Idempotence /\ ~Transactional) => Unresolved(i, p) = {}
    \* a sequence 0 of the new epoch must not overtake batches of p still in flight
    \* under the old one (Kafka's shouldStopDrainBatchesForPartition)
    /\ StaleSeqs(i, p) => InFlightOf(i, p) = {}

\* The batch drained from partition p: its n oldest records, stamped with
\* producer id, epoch and sequence.
Drained(i, p, n) ==
    [p |-> p, recs |-> SubSeq(pAccum[i][p], 1, n), pid |-> pPid[i],
     epoch |-> pEpoch[i], seq |-> IF Idempotence THEN NextSeq(i, p) ELSE NoSeq,
     txn |-> Transactional]

\* ProducerSendBatch: the sender drains the n oldest records of partition p as one
\* batch, stamping producer id, epoch and sequence, and sends it to the leader.
ProducerSendBatch(i, p, n, corr) ==
    /\ pState[i] \in {"Ready", "InTxn"}
    /\ CanDrain(i, p, n)
    /\ Cardinality(InFlightTo(i, LeaderOf[p])) < MaxInFlight
    /\ LET bt == Drained(i, p, n)
       IN /\ pAccum' = [pAccum EXCEPT ![i][p] = SubSeq(@, n + 1, Len(@))]
          /\ pSeq' = IF Idempotence THEN [pSeq EXCEPT ![i][p] = NextSeq(i, p) + n] ELSE pSeq
          /\ pAckedSeq' = IF StaleSeqs(i, p) THEN [pAckedSeq EXCEPT ![i][p] = NoSeq] ELSE pAckedSeq
          /\ pSeqEpoch' = [pSeqEpoch EXCEPT ![i][p] = pEpoch[i]]
          /\ pInflight' = [pInflight EXCEPT ![i] = @ \cup {bt}]
          /\ pLatest' = [pLatest EXCEPT ![i] = @ \cup {<<bt, corr>>}]
          /\ net' = Send(<<i, LeaderOf[p]>>, Req(corr, bt))
    /\ UNCHANGED <<pState, pNext, pRetry, pPid, pEpoch, pTxnIdx, pAdded, pRpc,
                   brokerVars, coord, inv, aux>>

\* A request timeout: legitimate when every copy of the batch and of its answers
\* is gone; premature (a fault, bounded by TimeoutLimit) otherwise.
CanTimeOut(i, bt) == ~Outstanding(i, bt) \/ aux.timeout < TimeoutLimit
AuxAfterTimeout(i, bt) == IF Outstanding(i, bt) THEN [aux EXCEPT !.timeout = @ + 1] ELSE aux

\* A corr no message carries: the latest transmission of a batch whose connection
\* was closed, so that every answer still on its way is stale.
Disconnected == -1

\* Kafka's in-order retry (shouldStopDrainBatchesForPartition): a batch that
\* carries a sequence is sent again only as the first in-flight batch of its
\* partition, so a retry never overtakes an earlier batch that is missing.
\* Without sequences (idempotence off) retries go in any order.
\* A definition, TRUE in Kafka (CHECK), so that only the known-bad liveness model
\* MCIdempotentLiveUnordered overrides it (InOrderRetry <- ... in its config).
InOrderRetry == TRUE
FirstInFlight(i, bt) ==
    \/ ~InOrderRetry
    \/ bt.seq = NoSeq \/ \A x \in pInflight[i] : (x.p = bt.p /\ x.seq # NoSeq) => bt.seq <= x.seq

\* The producer learns that its connection to broker b closed (Kafka's
\* NetworkClient sees the socket close): every batch in flight to b waits for
\* its retransmission (with retries; without, it fails as on a timeout) and the
\* answers to its earlier transmissions are ignored.
LostTo(i, b) == InFlightTo(i, b)
DisconnectedRetry(i, b) == IF Retries THEN pRetry[i] \cup LostTo(i, b) ELSE pRetry[i]
DisconnectedLatest(i, b) == {x \in pLatest[i] : x[1] \notin LostTo(i, b)} \cup {<<x, Disconnected>> : x \in LostTo(i, b)}

\* ProducerRetry: retransmission after a retriable error answer or a timeout,
\* with the batch's original id, epoch and sequence.  With cut, the timeout also
\* closed the connection, as Kafka's sender does: every other batch in flight to
\* that broker fails retriably and waits for its own retransmission, and the
\* answers still on their way are ignored.  Cutting a connection that carries
\* other batches is a fault like a premature timeout (TimeoutLimit).
ProducerRetry(i, bt, corr, cut) ==
    /\ Retries
    /\ pState[i] \in {"Ready", "InTxn"}
    /\ bt \in pInflight[i]
    /\ FirstInFlight(i, bt)
    /\ LET others == {x \in pInflight[i] : LeaderOf[x.p] = LeaderOf[bt.p] /\ x # bt}
           closed == IF cut THEN others ELSE {}
       IN /\ \/ bt \in pRetry[i] /\ ~cut /\ aux' = aux
             \/ /\ bt \notin pRetry[i]
                /\ CanTimeOut(i, bt)
                /\ LET a1 == AuxAfterTimeout(i, bt) IN
                   IF closed = {} THEN aux' = a1
                   ELSE a1.timeout < TimeoutLimit /\ aux' = [a1 EXCEPT !.timeout = @ + 1]
          /\ pRetry' = [pRetry EXCEPT ![i] = (@ \ {bt}) \cup closed]
          /\ pLatest' = [pLatest EXCEPT ![i] = {x \in @ : x[1] \notin closed \cup {bt}}
                            \cup {<<x, Disconnected>> : x \in closed} \cup {<<bt, corr>>}]
    /\ net' = Send(<<i, LeaderOf[bt.p]>>, Req(corr, bt))
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch, pTxnIdx,
                   pAdded, pRpc, brokerVars, coord, inv>>

\* The batches of a set, one per partition, in partition order.
ByPartition(bts) == [k \in 1..Cardinality(bts) |->
                        CHOOSE x \in bts : Cardinality({y \in bts : y.p <= x.p}) = k]

\* ProducerSendRequest (MaxBatchesPerRequest > 1): one Produce request to broker b
\* carries a batch for each of several partitions b leads (Kafka's Sender drains
\* every ready partition of a node into one request): new batches drained from
\* the partitions in DOMAIN n (n[p] records each, as ProducerSendBatch) and
\* retransmissions R of batches waiting for their retry (as ProducerRetry after an
\* error answer or a broken connection; a timeout is its own ProducerRetry).
\* Each batch is a message of its own under the request's corr, in partition
\* order; the broker handles them, and the producer their answers, in any order
\* (FrontRequest, FrontAnswer).  Only new batches add to the in-flight count.
ProducerSendRequest(i, b, R, n, corr) ==
    LET S == DOMAIN n
        new == {Drained(i, p, n[p]) : p \in S}
        bts == R \cup new
    IN
    /\ pState[i] \in {"Ready", "InTxn"}
    /\ 2 <= Cardinality(R) + Cardinality(S) /\ Cardinality(R) + Cardinality(S) <= MaxBatchesPerRequest
    /\ S \subseteq LedBy(b)
    /\ R \subseteq pRetry[i]
    /\ R # {} => Retries
    /\ \A x \in R : LeaderOf[x.p] = b /\ FirstInFlight(i, x)
    \* one batch per partition
    /\ Cardinality({x.p : x \in R} \cup S) = Cardinality(R) + Cardinality(S)
    /\ \A p \in S : CanDrain(i, p, n[p])
    /\ Cardinality(InFlightTo(i, b)) + Cardinality(S) <= MaxInFlight
    /\ pAccum' = [pAccum EXCEPT ![i] = [p \in Partitions |->
                     IF p \in S THEN SubSeq(@[p], n[p] + 1, Len(@[p])) ELSE @[p]]]
    /\ pSeq' = IF Idempotence THEN [pSeq EXCEPT ![i] = [p \in Partitions |->
                   IF p \in S THEN NextSeq(i, p) + n[p] ELSE @[p]]] ELSE pSeq
    /\ pAckedSeq' = [pAckedSeq EXCEPT ![i] = [p \in Partitions |->
                       IF p \in S /\ StaleSeqs(i, p) THEN NoSeq ELSE @[p]]]
    /\ pSeqEpoch' = [pSeqEpoch EXCEPT ![i] = [p \in Partitions |->
                       IF p \in S THEN pEpoch[i] ELSE @[p]]]
    /\ pInflight' = [pInflight EXCEPT ![i] = @ \cup new]
    /\ pRetry' = [pRetry EXCEPT ![i] = @ \ R]
    /\ pLatest' = [pLatest EXCEPT ![i] = {x \in @ : x[1] \notin R} \cup {<<x, corr>> : x \in bts}]
    /\ net' = [net EXCEPT ![<<i, b>>] = @ \o [k \in 1..Cardinality(bts) |-> Req(corr, ByPartition(bts)[k])]]
    /\ UNCHANGED <<pState, pNext, pPid, pEpoch, pTxnIdx, pAdded, pRpc, brokerVars, coord, inv, aux>>

HeadAnswer(b, i) == Head(net[<<b, i>>])
HasAnswer(b, i) == net[<<b, i>>] # <<>>
\* Answer k of broker b's channel to producer i is at the front: only answers of
\* the same Java response (same corr) precede it.  Model checking uses k = 1;
\* trace validation lets a producer handle one response's partition results in
\* the order it does.
FrontAnswer(b, i, k) ==
    /\ k \in 1..Len(net[<<b, i>>])
    /\ \A j \in 1..k - 1 : net[<<b, i>>][j].corr = net[<<b, i>>][k].corr
AnswerAt(b, i, k) == net[<<b, i>>][k]
ConsumeAt(b, i, k) == [net EXCEPT ![<<b, i>>] = DropAt(@, k)]

\* The positions of the answers of one response (same corr) that lead broker b's
\* channel to producer i, and those of them whose handling completes nothing:
\* NetworkDeliver takes these together, as the Java producer handles a response.
AnswerGroup(b, i, corr) ==
    LET c == <<b, i>>
        ks == {k \in 1..Len(net[c]) : net[c][k].corr = corr}
    IN IF ks # {} /\ ks = 1..Cardinality(ks) THEN ks ELSE {}

\* An answer the producer ignores: its batch is completed or re-stamped, or it
\* answers an earlier transmission than the batch's latest (the producer matches
\* answers by correlation id; in model checking every corr is NoCorr, so only
\* trace validation tells transmissions apart).
Stale(i, m) == m.batch \notin pInflight[i] \/ <<m.batch, m.corr>> \notin pLatest[i]

\* Kafka's isNextSequence: the batch follows the last acknowledged one.
IsNextSeq(i, bt) == bt.seq = pAckedSeq[i][bt.p] + 1

\* Errors a producer with retries simply retries (Kafka's retriable errors that
\* the spec's broker can answer).
RetriableErrors == {"REQUEST_TIMED_OUT", "COORDINATOR_NOT_AVAILABLE"}

\* How the producer reacts to an error answer (TransactionManager.canRetry).
AnswerAction(i, m) ==
    IF m.ok THEN "ack"
    ELSE IF m.err = "PRODUCER_FENCED" THEN (IF Transactional THEN "fenced" ELSE "fail")
    \* KIP-588: INVALID_PRODUCER_EPOCH on a Produce answer fails the batch; the
    \* transaction is abortable, not fenced (a real zombie is fenced at its EndTxn)
    ELSE IF m.err = "INVALID_PRODUCER_EPOCH" THEN "fail"
    ELSE IF ~Retries THEN "fail"
    ELSE IF m.err \in RetriableErrors THEN "retry"
    ELSE IF m.err = "OUT_OF_ORDER_SEQUENCE_NUMBER"
         \* retried while an earlier batch may still close the gap; the batch right after
         \* the last acknowledged one, or right after an unresolved sequence, meets a
         \* real gap: bump (KIP-360) -- Kafka's canRetry; Kafka bumps only once no
         \* earlier request of the partition is outstanding (a bump before the answer
         \* of an earlier batch would send that batch again under the new epoch:
         \* TLC found this duplicate), so until then the batch waits as a retry
         THEN (IF \/ ~IsNextSeq(i, m.batch) /\ ~AfterUnresolved(i, m.batch)
                  \/ AfterUnresolved(i, m.batch) /\ \E x \in pInflight[i] : x.p = m.batch.p /\ x.seq < m.batch.seq
               THEN "retry"
               ELSE IF Transactional \/ pEpoch[i] >= MaxEpoch THEN "fail" ELSE "bump")
    ELSE "fail"

CompleteAll(i, bts) ==
    /\ pInflight' = [pInflight EXCEPT ![i] = @ \ bts]
    /\ pRetry' = [pRetry EXCEPT ![i] = @ \ bts]
    /\ pLatest' = [pLatest EXCEPT ![i] = {x \in @ : x[1] \notin bts}]
Complete(i, bt) == CompleteAll(i, {bt})

\* The batches a success answer completes: its own only.  A later acknowledgement
\* says nothing to the client about earlier batches still in flight (Kafka 4.4):
\* each completes by its own answer, its retry's (a duplicate) or its failure.
Resolved(i, bt) == {bt}

\* ProducerSendAcked: a success answer completes the batch's records (and those
\* of the batches it resolves).
ProducerSendAcked(b, i, k) ==
    /\ FrontAnswer(b, i, k)
    /\ LET m == AnswerAt(b, i, k)
           done == Resolved(i, m.batch)
       IN /\ ~Stale(i, m)
          /\ AnswerAction(i, m) = "ack"
          /\ CompleteAll(i, done)
          /\ pAckedSeq' = IF m.batch.seq = NoSeq THEN pAckedSeq
                          ELSE [pAckedSeq EXCEPT ![i][m.batch.p] = Max(@, LastSeqOf(m.batch))]
          /\ inv' = [inv EXCEPT !.acked = @ \cup UNION {Range(x.recs) : x \in done}]
    /\ net' = ConsumeAt(b, i, k)
    /\ UNCHANGED <<pState, pNext, pAccum, pPid, pEpoch, pSeq, pSeqEpoch, pTxnIdx, pAdded, pRpc,
                   brokerVars, coord, aux>>

\* ProducerSendFailed: the batch's futures fail -- a request timeout with retries=0,
\* delivery.timeout.ms expiring (inside a transaction, or -- issue 14, rule 7 --
\* with retries outside one: at-least-once and idempotent), or a fatal error answer.
\* Indeterminate: the records may still be (or get) into the log.  k = 0: a
\* timeout; k >= 1: the answer at position k from the batch's leader; k = -1: a
\* transactional producer fails the records still queued for partition bt.p
\* (abortTransaction(), or their delivery timeout in the queue); they were never
\* sent, and the transaction can no longer commit.
ProducerSendFailed(i, bt, k) ==
    /\ pState[i] \in {"Ready", "InTxn"}
    /\ IF k = -1 THEN
          /\ Transactional
          /\ pAccum[i][bt.p] # <<>>
          /\ pAccum' = [pAccum EXCEPT ![i][bt.p] = <<>>]
          /\ inv' = [inv EXCEPT !.failed = @ \cup Range(pAccum[i][bt.p])]
          /\ UNCHANGED <<pInflight, pRetry, pLatest, net, aux>>
       ELSE
          /\ bt \in pInflight[i]
          /\ \/ /\ k = 0
                /\ ~Retries \/ Transactional
                /\ bt \notin pRetry[i]
                /\ CanTimeOut(i, bt)
                /\ aux' = AuxAfterTimeout(i, bt)
                /\ UNCHANGED net
             \* delivery.timeout.ms outside a transaction: Kafka's sender expires a batch
             \* in flight or waiting for its retry (its request may still arrive).  Bounded
             \* by TimeoutLimit: a delivery timeout before the faults stop is a fault of the
             \* run's timing; NoLoss then holds for the records not reported failed.
             \/ /\ k = 0
                /\ Retries /\ ~Transactional
                /\ aux.timeout < TimeoutLimit
                /\ aux' = [aux EXCEPT !.timeout = @ + 1]
                /\ UNCHANGED net
             \/ LET b == LeaderOf[bt.p] IN
                  /\ FrontAnswer(b, i, k)
                  /\ AnswerAt(b, i, k).batch = bt
                  /\ ~Stale(i, AnswerAt(b, i, k))
                  /\ AnswerAction(i, AnswerAt(b, i, k)) = "fail"
                  /\ net' = ConsumeAt(b, i, k)
                  /\ aux' = aux
          /\ Complete(i, bt)
          /\ inv' = [inv EXCEPT !.failed = @ \cup Range(bt.recs)]
          /\ UNCHANGED pAccum
    /\ UNCHANGED <<pState, pNext, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch, pTxnIdx, pAdded, pRpc,
                   brokerVars, coord>>

\* NetworkDeliver (of answers): answers whose handling completes nothing -- a
\* stale one (its batch completed, re-stamped or retransmitted since) is ignored,
\* a retriable error marks its batch for ProducerRetry.  K holds their positions:
\* one in model checking; in trace validation the answers of one Java response
\* (a request can carry a batch for each partition the broker leads).
SilentAnswer(i, m) == Stale(i, m) \/ AnswerAction(i, m) = "retry"
SilentGroup(b, i, corr) == {k \in AnswerGroup(b, i, corr) : SilentAnswer(i, net[<<b, i>>][k])}
NetworkDeliver(b, i, K) ==
    /\ K # {}
    /\ K \subseteq 1..Len(net[<<b, i>>])
    /\ \A k \in K : SilentAnswer(i, net[<<b, i>>][k])
    /\ LET retry == {net[<<b, i>>][k].batch : k \in {k2 \in K : ~Stale(i, net[<<b, i>>][k2])}}
       IN pRetry' = [pRetry EXCEPT ![i] = @ \cup retry]
    /\ net' = [net EXCEPT ![<<b, i>>] = DropSet(@, K)]
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch, pTxnIdx,
                   pAdded, pRpc, brokerVars, coord, inv, aux>>

RECURSIVE SumLens(_)
SumLens(S) == IF S = {} THEN 0
              ELSE LET x == CHOOSE y \in S : TRUE IN Len(x.recs) + SumLens(S \ {x})

\* A request or answer about partition p of instance i is still on its way
\* (Kafka: a request with a batch of p is in flight on the NetworkClient).
OutstandingFor(i, p) ==
    LET b == LeaderOf[p] IN
    \/ \E k \in 1..Len(net[<<i, b>>]) : net[<<i, b>>][k].batch.p = p
    \/ \E k \in 1..Len(net[<<b, i>>]) : net[<<b, i>>][k].batch.p = p
    \/ \E k \in 1..Len(pending[b]) : pending[b][k].dst = i /\ pending[b][k].batch.p = p

\* Kafka's maybeResolveSequences: a partition with an unresolved sequence and
\* nothing of it in flight or outstanding has a real gap.
GapAt(i, p) == /\ Unresolved(i, p) # {}
               /\ InFlightOf(i, p) = {}
               /\ ~OutstandingFor(i, p)
GapToResolve(i) == \E p \in Partitions : GapAt(i, p)

\* The partitions an epoch bump renumbers (Kafka's partitionsToRewriteSequences):
\* those with a real gap -- the partition of the answer that triggered the bump,
\* trigger, and any whose unresolved sequence has nothing of it in flight any more
\* (the sender resolves sequences just before it bumps) -- and, as in Kafka, a
\* partition with no batch in flight and nothing unresolved, which restarts at 0
\* under the new epoch whether now or at its next batch (maybeUpdateProducerIdAndEpoch).
\* Every other partition keeps its batches in flight under their old epoch and
\* sequences (StaleSeqs): renumbering a batch that may already be in the log
\* would write it twice.
RewriteSet(i, trigger) ==
    trigger \cup {p \in Partitions : GapAt(i, p)}
            \cup {p \in Partitions : InFlightOf(i, p) = {} /\ Unresolved(i, p) = {}}

\* An answer at position k of broker b's channel to producer i asks for an epoch bump.
BumpAnswer(b, i, k) == ~Stale(i, AnswerAt(b, i, k)) /\ AnswerAction(i, AnswerAt(b, i, k)) = "bump"

\* The answers one epoch bump consumes with the answer at position k: every answer
\* of k's response (same corr) that asks for a bump.  Kafka 4.4 and the Java
\* producer handle a Produce response whole: each OUT_OF_ORDER answer revealing a
\* real gap only adds its partition to partitionsToRewriteSequences
\* (requestIdempotentEpochBumpForPartition), and the bump at the start of the next
\* Sender.runOnce (bumpIdempotentProducerEpoch) renumbers them all -- two gaps
\* answered in one response are renumbered by one bump.  A request of one batch
\* (NoCorr in model checking) has one answer: {k}.  Always contains k, so that a
\* caller's K is never {} (the bump without an answer).
BumpGroup(b, i, k) ==
    {k} \cup (IF k \in 1..Len(net[<<b, i>>]) /\ AnswerAt(b, i, k).corr # NoCorr
              THEN {x \in 1..Len(net[<<b, i>>]) : /\ AnswerAt(b, i, x).corr = AnswerAt(b, i, k).corr
                                                  /\ BumpAnswer(b, i, x)}
              ELSE {})

\* ProducerBumpEpoch (KIP-360): an OUT_OF_ORDER_SEQUENCE_NUMBER answer for the batch
\* right after the last acknowledged one (or right after an unresolved sequence)
\* is an unresolvable gap; K holds the positions of the answers of one response
\* that say so, all of them (BumpGroup): one in a request of one batch.  K = {} (b
\* unused): no answer -- a delivery timeout left a sequence unresolved and nothing
\* of its partition is in flight any more (maybeResolveSequences).  The idempotent
\* producer bumps its epoch locally and re-stamps the unacknowledged batches of the
\* partitions to rewrite (RewriteSet, from the partitions of the answers) with
\* sequences from 0, to be sent again; the batches of the other partitions stay
\* in flight with their old epoch and sequences.
\* The response's other answers (acknowledgements, retries, failures, all of other
\* partitions) may still be waiting: in Kafka they are handled before the bump,
\* here in any order around it.  Requiring them first would add a guard and drop
\* the bump behind an answer still waiting (ProducerBumpEpochBehind, whose states
\* the multi-batch models count); the order commutes but for a partition whose
\* batch completes: acknowledged first, it has nothing in flight and is
\* renumbered now (RewriteSet); acknowledged after, at its next batch
\* (StaleSeqs, NextSeq) -- the same sequences either way.  The Java order is one
\* of those explored; trace validation checks it.
ProducerBumpEpoch(b, i, K) ==
    /\ IF K = {}
       THEN /\ Idempotence /\ ~Transactional
            /\ pState[i] = "Ready"
            /\ pEpoch[i] < MaxEpoch
            /\ GapToResolve(i)
            /\ UNCHANGED net
       ELSE /\ K \subseteq 1..Len(net[<<b, i>>])
            /\ \A k \in K : FrontAnswer(b, i, k) /\ BumpAnswer(b, i, k)
            /\ \E k \in K : K = BumpGroup(b, i, k)
            /\ net' = [net EXCEPT ![<<b, i>>] = DropSet(@, K)]
    /\ LET newEpoch == pEpoch[i] + 1
           rewrite == RewriteSet(i, {AnswerAt(b, i, k).batch.p : k \in K})
           old == {bt \in pInflight[i] : bt.p \in rewrite}
           NewSeq(bt) == SumLens({x \in pInflight[i] : x.p = bt.p /\ x.seq < bt.seq})
           restamped == {[bt EXCEPT !.epoch = newEpoch, !.seq = NewSeq(bt)] : bt \in old}
       IN /\ pEpoch' = [pEpoch EXCEPT ![i] = newEpoch]
          /\ pInflight' = [pInflight EXCEPT ![i] = (@ \ old) \cup restamped]
          /\ pRetry' = [pRetry EXCEPT ![i] = (@ \ old) \cup restamped]
          /\ pLatest' = [pLatest EXCEPT ![i] = {x \in @ : x[1] \notin old}
                                                \cup {<<bt, NoCorr>> : bt \in restamped}]
          /\ pSeq' = [pSeq EXCEPT ![i] = [p \in Partitions |->
                         IF p \in rewrite THEN SumLens(InFlightOf(i, p)) ELSE @[p]]]
          /\ pAckedSeq' = [pAckedSeq EXCEPT ![i] = [p \in Partitions |->
                             IF p \in rewrite THEN NoSeq ELSE @[p]]]
          /\ pSeqEpoch' = [pSeqEpoch EXCEPT ![i] = [p \in Partitions |->
                             IF p \in rewrite THEN newEpoch ELSE @[p]]]
    /\ UNCHANGED <<pState, pNext, pAccum, pPid, pTxnIdx, pAdded, pRpc, brokerVars, coord, inv, aux>>
=============================================================================
