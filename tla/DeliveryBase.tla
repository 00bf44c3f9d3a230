----------------------------- MODULE DeliveryBase -----------------------------
(***************************************************************************)
(* The shared part of the four delivery-guarantee specs: one Kafka-style   *)
(* producer (any number of instances of it, for zombies), single-copy      *)
(* brokers with partition logs and producer-state tables, a transaction    *)
(* coordinator, a lossy network and crashes.  The guarantee modules        *)
(* (AtMostOnce, AtLeastOnce, Idempotent, ExactlyOnce) EXTEND this module   *)
(* and differ only in the producer configuration they assume, the actions *)
(* their Next admits and the view their invariants read -- just as the     *)
(* Java code is one producer and one broker configured by presets.         *)
(*                                                                         *)
(* What is modelled                                                        *)
(*  - Records handed to send() in a fixed order per producer instance      *)
(*    (SendOrder), each with its partition and transaction index.         *)
(*  - The accumulator: records wait per partition and are drained as       *)
(*    batches of 1..MaxBatch records, oldest first; at most MaxInFlight     *)
(*    batches per producer and leader await an answer.                     *)
(*  - The network: one FIFO channel per directed pair (producer, broker),   *)
(*    as TCP keeps order within a connection.  Messages can be lost        *)
(*    anywhere in a channel, channels interleave freely (reordering across *)
(*    connections), and duplication comes from retransmission, as with     *)
(*    TCP.  A set/bag network would also reorder requests of one           *)
(*    connection, which TCP and the Java simulation never do, and would    *)
(*    make at-most-once violate PartitionOrder, contradicting DESIGN.md.   *)
(*  - A broker appends a batch at once (volatile tail), makes a prefix     *)
(*    durable on BrokerFlush and answers acks=1/all only for durable       *)
(*    data.  BrokerCrash keeps the durable prefix plus any prefix of the   *)
(*    volatile tail (a disk may or may not have written unflushed pages),  *)
(*    loses the in-memory producer state, pending answers and every        *)
(*    message to or from the broker.  BrokerRestart rebuilds the producer  *)
(*    state from the surviving log (Kafka: latest snapshot + replay of the *)
(*    log after it; a snapshot is a fold of a log prefix, so folding the   *)
(*    whole surviving log gives the same state).                           *)
(*  - Idempotence: producer id, epoch, per-partition sequences, the        *)
(*    broker's window of the last DedupWindow batches per producer, the    *)
(*    epoch bump of KIP-360 after an unresolvable sequence gap.            *)
(*  - Transactions: coordinator states, the Prepare* decision, markers,    *)
(*    the last stable offset, read_committed reads, epoch fencing,         *)
(*    transaction timeouts, the KIP-890 partition verification (part 1)    *)
(*    and the per-transaction epoch bump (part 2).                         *)
(*                                                                         *)
(* What is abstracted away                                                 *)
(*  - Time: a request timeout is a step that may fire when the request or  *)
(*    its answer was really lost, or prematurely within TimeoutLimit.      *)
(*  - Coordinator RPCs (InitProducerId, AddPartitionsToTxn, EndTxn and the *)
(*    verification RPC) are reliable: each is a request field per producer *)
(*    (pRpc) answered atomically.  Their loss only delays them in Kafka    *)
(*    (they are retried).  WriteTxnMarkers requests, in contrast, are      *)
(*    lossy and delayed like Produce requests (ExactlyOnce: markers in     *)
(*    flight, coordinator failover with a coordinator epoch).              *)
(*  - The coordinator's transaction log is durable on every write.         *)
(*  - Replication, leader elections, offsets other than positions in the   *)
(*    log, record contents, serialization, partitioners, buffer memory.    *)
(*                                                                         *)
(* Names: actions carry DESIGN.md's event names; variables are prefixed by *)
(* role (p producer, b broker, coord coordinator); ghost history read only *)
(* by invariants lives in inv, fault counters that bound the state space   *)
(* in aux.                                                                 *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets, TLC

CONSTANTS
    Producers,      \* producer instance ids in start order (100, 101, ...)
    Brokers,        \* broker ids
    Partitions,     \* partition ids (one topic)
    Records,        \* unique record ids
    SendOrder,      \* [Producers -> Seq(Records)]: the order an instance calls send()
    PartitionOf,    \* [Records -> Partitions]
    TxnOf,          \* [Records -> Int]: the instance's transaction index, -1 outside transactions
    TxnLimit,       \* how many transactions an instance may begin
    LeaderOf,       \* [Partitions -> Brokers]
    Coordinator,    \* the broker coordinating the (single) transactional.id
    Idempotence,    \* enable.idempotence
    Transactional,  \* transactional.id set
    Retries,        \* retries > 0 (FALSE = retries=0)
    MaxBatch,       \* records per batch (batch.size in records)
    MaxInFlight,    \* max.in.flight.requests.per.connection
    DedupWindow,    \* batches cached per producer and partition (Kafka: 5)
    MaxEpoch,       \* bound on epoch bumps (state space only)
    RequestLossLimit, ResponseLossLimit, CrashLimit, TimeoutLimit, TxnTimeoutLimit,
    \* Protocol switches, TRUE in Kafka; FALSE only in the known-bad models.
    RecoverProducerState, \* rebuild producer state on restart (CHECK)
    FenceEpochs,          \* InitProducerId bumps the epoch and aborts the old txn (CHECK)
    VerifyTxnPartitions,  \* KIP-890 part 1: leader verifies with the coordinator (CHECK)
    BumpEpochPerTxn       \* KIP-890 part 2: every EndTxn bumps the epoch (CHECK)

NoPid == -1
NoEpoch == -1
NoSeq == -1

\* Kafka's transaction.version feature: 1, or 2 (KIP-890 part 2, Kafka 4.0's
\* default): no AddPartitionsToTxn from the client -- a partition is in the
\* producer's transaction from its first send() (ProducerSend) and its leader
\* adds it at the coordinator on the first transactional produce (ExactlyOnce's
\* CoordinatorAddPartitions) -- and every EndTxn bumps the epoch.  A definition
\* rather than a CONSTANT, so that only the version-2 models set it
\* (TransactionVersion = 2 in their config).
TransactionVersion == 1

ASSUME /\ MaxBatch >= 1 /\ MaxInFlight >= 1 /\ DedupWindow >= 1
       /\ Coordinator \in Brokers
       /\ \A i \in Producers : \A k \in 1..Len(SendOrder[i]) : SendOrder[i][k] \in Records

VARIABLES
    \* --- producer instances ---
    pState,    \* "Down" (not started), "Init" (awaiting its id), "Ready", "InTxn", "Fatal"
    pNext,     \* records of SendOrder[i] handed to send() so far
    pAccum,    \* [Partitions -> Seq(Records)]: records waiting to be drained
    pInflight, \* batches sent and not yet completed
    pRetry,    \* in-flight batches whose error answer asks for a retransmission
    pLatest,   \* <<batch, corr>> of each in-flight batch's latest transmission
    pPid, pEpoch,
    pSeq,      \* [Partitions -> Nat]: next sequence to stamp
    pAckedSeq, \* [Partitions -> Int]: Kafka's lastAckedSequence
    pTxnIdx,   \* current transaction index, -1 before the first
    pAdded,    \* partitions the coordinator added to the current transaction
    pRpc,      \* outstanding coordinator request or its answer (reliable RPC)
    \* --- network ---
    net,       \* [Channels -> Seq(Message)]
    \* --- brokers ---
    bUp,       \* [Brokers -> BOOLEAN]
    log,       \* [Partitions -> Seq(Entry)]
    durable,   \* [Partitions -> Nat]: length of the flushed prefix of log[p]
    pending,   \* [Brokers -> Seq(Pending)]: answers owed, in request order
    bProducerState, \* [Partitions -> [pid -> ProducerStateEntry]]: the brokers' producer-state
                    \* tables (Kafka's ProducerStateManager); not pState, a producer's lifecycle
    \* --- transaction coordinator (one transactional.id) ---
    coord,
    \* --- ghost history for invariants, fault counters ---
    inv, aux

producerVars == <<pState, pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx, pAdded, pRpc>>
brokerVars == <<bUp, log, durable, pending, bProducerState>>
vars == <<producerVars, net, brokerVars, coord, inv, aux>>

-----------------------------------------------------------------------------
(* Helpers *)

Max(a, b) == IF a >= b THEN a ELSE b
Min(a, b) == IF a <= b THEN a ELSE b
Range(s) == {s[k] : k \in DOMAIN s}
SetMin(S) == CHOOSE x \in S : \A y \in S : x <= y

\* The instance whose SendOrder contains r.
ProducerOf(r) == CHOOSE i \in Producers : r \in Range(SendOrder[i])
\* Position of r in its instance's send order.
SendIdx(r) == LET i == ProducerOf(r) IN CHOOSE k \in 1..Len(SendOrder[i]) : SendOrder[i][k] = r
\* A transaction: the instance and its transaction index.
TxnId(r) == <<ProducerOf(r), TxnOf[r]>>
TxnRecords(t) == {r \in Range(SendOrder[t[1]]) : TxnOf[r] = t[2]}

Channels == (Producers \X Brokers) \cup (Brokers \X Producers)
ChannelsOf(b) == {c \in Channels : c[1] = b \/ c[2] = b}
LedBy(b) == {p \in Partitions : LeaderOf[p] = b}

\* The coordinator handled another instance's InitProducerId after i's: i is a
\* zombie from now on (inv.lastInit: the instance the coordinator initialised last).
Superseded(i) == pState[i] \notin {"Down", "Init"} /\ inv.lastInit \notin {0, i}
Started(i) == pState[i] # "Down"

-----------------------------------------------------------------------------
(* Batches, log entries and the producer-state table *)

LastSeqOf(bt) == IF bt.seq = NoSeq THEN NoSeq ELSE bt.seq + Len(bt.recs) - 1

\* cepoch: the coordinator epoch a marker was written with (-1 for data).
DataEntry(bt) == [kind |-> "data", recs |-> bt.recs, pid |-> bt.pid, epoch |-> bt.epoch,
                  seq |-> bt.seq, txn |-> bt.txn, commit |-> FALSE, cepoch |-> -1]
MarkerEntry(pid, epoch, commit, cepoch) == [kind |-> "marker", recs |-> <<>>, pid |-> pid, epoch |-> epoch,
                                            seq |-> NoSeq, txn |-> TRUE, commit |-> commit, cepoch |-> cepoch]

\* Kafka offsets: a data batch takes one offset per record, a marker one.
EntrySize(e) == IF e.kind = "data" THEN Len(e.recs) ELSE 1
RECURSIVE OffsetBefore(_, _)
OffsetBefore(lg, k) == IF k <= 1 THEN 0 ELSE OffsetBefore(lg, k - 1) + EntrySize(lg[k - 1])
EndOffset(lg) == OffsetBefore(lg, Len(lg) + 1)

\* cepoch: the highest coordinator epoch of a marker of this producer on the partition
\* (Kafka's ProducerStateEntry.coordinatorEpoch).
ProducerStateEntry(epoch, window, open, cepoch) == [epoch |-> epoch, window |-> window, open |-> open, cepoch |-> cepoch]
NoProducerStateEntry == ProducerStateEntry(NoEpoch, <<>>, FALSE, -1)
Put(f, x, v) == [y \in DOMAIN f \cup {x} |-> IF y = x THEN v ELSE f[y]]
EmptyTable == [x \in {} |-> NoProducerStateEntry]
LastN(s, n) == IF Len(s) <= n THEN s ELSE SubSeq(s, Len(s) - n + 1, Len(s))
LastSeqIn(st) == IF st.window = <<>> THEN NoSeq ELSE st.window[Len(st.window)].last

\* The producer-state table after entry e at position k (ProducerStateManager).
ApplyEntry(tbl, e, k) ==
    IF e.pid = NoPid THEN tbl
    ELSE IF e.kind = "data" THEN
        LET meta == [first |-> e.seq, last |-> LastSeqOf(e), idx |-> k]
            old == IF e.pid \in DOMAIN tbl THEN tbl[e.pid] ELSE NoProducerStateEntry
            win == IF old.epoch = e.epoch THEN LastN(Append(old.window, meta), DedupWindow) ELSE <<meta>>
        IN Put(tbl, e.pid, ProducerStateEntry(e.epoch, win, e.txn, old.cepoch))
    ELSE \* a marker closes the producer's transaction; a newer epoch resets its sequences
        LET old == IF e.pid \in DOMAIN tbl THEN tbl[e.pid] ELSE NoProducerStateEntry
        IN Put(tbl, e.pid, ProducerStateEntry(Max(old.epoch, e.epoch),
                                 IF e.epoch > old.epoch THEN <<>> ELSE old.window, FALSE,
                                 Max(old.cepoch, e.cepoch)))

RECURSIVE Replay(_, _)
Replay(lg, n) == IF n = 0 THEN EmptyTable ELSE ApplyEntry(Replay(lg, n - 1), lg[n], n)

-----------------------------------------------------------------------------
(* Readers: what a consumer sees.  The high watermark is the durable end, so *)
(* a reader never sees data a crash could take back.                        *)

\* Position of the marker closing the transactional entry k of lg, or 0 while open.
CloserOf(lg, k) ==
    LET cs == {j \in k + 1..Len(lg) : lg[j].kind = "marker" /\ lg[j].pid = lg[k].pid}
    IN IF cs = {} THEN 0 ELSE SetMin(cs)

\* The last stable offset as a position: the first entry of a transaction not
\* decided below the high watermark hw.
LsoPos(lg, hw) ==
    LET open == {k \in 1..hw : lg[k].kind = "data" /\ lg[k].txn
                               /\ (CloserOf(lg, k) = 0 \/ CloserOf(lg, k) > hw)}
    IN IF open = {} THEN hw + 1 ELSE SetMin(open)

RECURSIVE Flatten(_)
Flatten(es) == IF es = <<>> THEN <<>> ELSE Head(es).recs \o Flatten(Tail(es))

\* Every data record of the log, volatile tail included.
LogView(p) == Flatten(log[p])
\* read_uncommitted: data records below the high watermark.
DurableView(p) == Flatten(SubSeq(log[p], 1, durable[p]))

\* read_committed: stop at the LSO, skip aborted transactions and markers.
CommittedEntry(lg, k) ==
    /\ lg[k].kind = "data"
    /\ \/ ~lg[k].txn
       \/ CloserOf(lg, k) # 0 /\ lg[CloserOf(lg, k)].commit
RECURSIVE CommittedUpTo(_, _)
CommittedUpTo(lg, n) ==
    IF n = 0 THEN <<>>
    ELSE CommittedUpTo(lg, n - 1) \o (IF CommittedEntry(lg, n) THEN lg[n].recs ELSE <<>>)
CommittedView(p) == CommittedUpTo(log[p], LsoPos(log[p], durable[p]) - 1)

ViewRecords(V(_)) == UNION {Range(V(p)) : p \in Partitions}

-----------------------------------------------------------------------------
(* Messages.  Only Produce requests and answers travel through the lossy     *)
(* network; a message carries the batch it is about, so the producer maps   *)
(* an answer to its batch as Kafka does through the correlation id.  corr  *)
(* is the Java correlation id in trace validation and the constant NoCorr   *)
(* in model checking (identical copies then need no distinction).          *)

NoCorr == 0
Req(corr, bt) == [kind |-> "req", corr |-> corr, batch |-> bt, ok |-> TRUE, err |-> "NONE"]
Resp(corr, bt, ok, err) == [kind |-> "resp", corr |-> corr, batch |-> bt, ok |-> ok, err |-> err]
Send(c, m) == [net EXCEPT ![c] = Append(@, m)]
DropAt(s, k) == SubSeq(s, 1, k - 1) \o SubSeq(s, k + 1, Len(s))
DropSet(s, K) == LET keep == {k \in 1..Len(s) : k \notin K}
                 IN [n \in 1..Cardinality(keep) |-> s[CHOOSE k \in keep :
                        Cardinality({j \in keep : j <= k}) = n]]

\* An answer the broker owes: sent by BrokerAck once (for success) its entry is durable.
Pend(dst, corr, bt, idx, ok, err, dup) ==
    [dst |-> dst, corr |-> corr, batch |-> bt, idx |-> idx, ok |-> ok, err |-> err, dup |-> dup]

\* A copy of the batch or of an answer to it still exists somewhere: a request
\* timeout that fires now is premature.
Outstanding(i, bt) ==
    LET b == LeaderOf[bt.p] IN
    \/ \E k \in 1..Len(net[<<i, b>>]) : net[<<i, b>>][k].batch = bt
    \/ \E k \in 1..Len(net[<<b, i>>]) : net[<<b, i>>][k].batch = bt
    \/ \E k \in 1..Len(pending[b]) : pending[b][k].dst = i /\ pending[b][k].batch = bt

\* Coordinator RPCs: one outstanding request or answer per producer instance.
Rpc(type, parts, commit, ok, pid, epoch) ==
    [type |-> type, parts |-> parts, commit |-> commit, ok |-> ok, pid |-> pid, epoch |-> epoch]
NoRpc == Rpc("None", {}, FALSE, TRUE, NoPid, NoEpoch)
InitRpc == Rpc("InitProducerId", {}, FALSE, TRUE, NoPid, NoEpoch)

-----------------------------------------------------------------------------
(* Initial state *)

FirstProducer == SetMin(Producers)

Init ==
    /\ pState = [i \in Producers |-> IF i = FirstProducer
                                     THEN (IF Idempotence THEN "Init" ELSE "Ready") ELSE "Down"]
    /\ pNext = [i \in Producers |-> 0]
    /\ pAccum = [i \in Producers |-> [p \in Partitions |-> <<>>]]
    /\ pInflight = [i \in Producers |-> {}]
    /\ pRetry = [i \in Producers |-> {}]
    /\ pLatest = [i \in Producers |-> {}]
    /\ pPid = [i \in Producers |-> NoPid]
    /\ pEpoch = [i \in Producers |-> NoEpoch]
    /\ pSeq = [i \in Producers |-> [p \in Partitions |-> 0]]
    /\ pAckedSeq = [i \in Producers |-> [p \in Partitions |-> NoSeq]]
    /\ pTxnIdx = [i \in Producers |-> -1]
    /\ pAdded = [i \in Producers |-> {}]
    /\ pRpc = [i \in Producers |-> IF i = FirstProducer /\ Idempotence THEN InitRpc ELSE NoRpc]
    \* TLCEval: TLC 2.18's -simulate mishandles a lazily built function with tuple
    \* keys that later gets EXCEPTs (tlaplus/tlaplus#1191: "Tuple field name <<100, 0>>
    \* is not an integer", then a crash printing the counterexample); evaluating it
    \* at once avoids that.  TLCEval is the identity, state counts are unchanged.
    /\ net = TLCEval([c \in Channels |-> <<>>])
    /\ bUp = [b \in Brokers |-> TRUE]
    /\ log = [p \in Partitions |-> <<>>]
    /\ durable = [p \in Partitions |-> 0]
    /\ pending = [b \in Brokers |-> <<>>]
    /\ bProducerState = [p \in Partitions |-> EmptyTable]
    /\ coord = [state |-> "Empty", pid |-> NoPid, epoch |-> NoEpoch, parts |-> {},
                written |-> [p \in Partitions |-> 0], owner |-> <<>>,
                guard |-> [p \in Partitions |-> NoEpoch],
                cepoch |-> 0, markers |-> {}]
    /\ inv = [acked |-> {}, failed |-> {}, committed |-> {}, aborted |-> {},
              completed |-> {}, commitOk |-> {}, zombie |-> FALSE, lastInit |-> 0]
    /\ aux = [reqLoss |-> 0, respLoss |-> 0, crash |-> 0, timeout |-> 0,
              txnTimeout |-> 0, lostTail |-> 0]

-----------------------------------------------------------------------------
(* Producer: the send path *)

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
    /\ UNCHANGED <<pState, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx, pRpc,
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


\* ProducerSendBatch: the sender drains the n oldest records of partition p as one
\* batch, stamping producer id, epoch and sequence, and sends it to the leader.
ProducerSendBatch(i, p, n, corr) ==
    /\ pState[i] \in {"Ready", "InTxn"}
    /\ Transactional => p \in pAdded[i]
    \* Kafka's accumulator puts a batch to retry back at the head of its partition's
    \* queue: nothing newer of the partition is drained before it went out again
    /\ \A x \in pRetry[i] : x.p # p
    /\ 1 <= n /\ n <= Min(MaxBatch, Len(pAccum[i][p]))
    /\ Cardinality(InFlightTo(i, LeaderOf[p])) < MaxInFlight
    \* Kafka's shouldStopDrainBatchesForPartition: no new batch of a partition whose
    \* sequence is unresolved (an expired batch may have been written; without this
    \* rule the broker's window can hold more unacknowledged batches than are in
    \* flight, and TLC found a duplicate in MCIdempotentWindow).  Kafka applies it to
    \* transactional producers too; the spec keeps their earlier rule (rule 7 is
    \* about the idempotent producer).
    /\ (Idempotence /\ ~Transactional) => Unresolved(i, p) = {}
    /\ LET bt == [p |-> p, recs |-> SubSeq(pAccum[i][p], 1, n), pid |-> pPid[i],
                  epoch |-> pEpoch[i], seq |-> IF Idempotence THEN pSeq[i][p] ELSE NoSeq,
                  txn |-> Transactional]
       IN /\ pAccum' = [pAccum EXCEPT ![i][p] = SubSeq(@, n + 1, Len(@))]
          /\ pSeq' = IF Idempotence THEN [pSeq EXCEPT ![i][p] = @ + n] ELSE pSeq
          /\ pInflight' = [pInflight EXCEPT ![i] = @ \cup {bt}]
          /\ pLatest' = [pLatest EXCEPT ![i] = @ \cup {<<bt, corr>>}]
          /\ net' = Send(<<i, LeaderOf[p]>>, Req(corr, bt))
    /\ UNCHANGED <<pState, pNext, pRetry, pPid, pEpoch, pAckedSeq, pTxnIdx, pAdded, pRpc,
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
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx,
                   pAdded, pRpc, brokerVars, coord, inv>>

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
    /\ UNCHANGED <<pState, pNext, pAccum, pPid, pEpoch, pSeq, pTxnIdx, pAdded, pRpc,
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
    /\ UNCHANGED <<pState, pNext, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx, pAdded, pRpc,
                   brokerVars, coord>>

\* NetworkDeliver (of answers): answers whose handling completes nothing -- a
\* stale one (its batch completed, re-stamped or retransmitted since) is ignored,
\* a retriable error marks its batch for ProducerRetry.  K holds their positions:
\* one in model checking; in trace validation the answers of one Java response
\* (a request can carry a batch for each partition the broker leads).
SilentAnswer(i, m) == Stale(i, m) \/ AnswerAction(i, m) = "retry"
NetworkDeliver(b, i, K) ==
    /\ K # {}
    /\ K \subseteq 1..Len(net[<<b, i>>])
    /\ \A k \in K : SilentAnswer(i, net[<<b, i>>][k])
    /\ LET retry == {net[<<b, i>>][k].batch : k \in {k2 \in K : ~Stale(i, net[<<b, i>>][k2])}}
       IN pRetry' = [pRetry EXCEPT ![i] = @ \cup retry]
    /\ net' = [net EXCEPT ![<<b, i>>] = DropSet(@, K)]
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx,
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
GapToResolve(i) ==
    \E p \in Partitions : /\ Unresolved(i, p) # {}
                         /\ ~(\E x \in pInflight[i] : x.p = p)
                         /\ ~OutstandingFor(i, p)

\* ProducerBumpEpoch (KIP-360): an OUT_OF_ORDER_SEQUENCE_NUMBER answer for the batch
\* right after the last acknowledged one (or right after an unresolved sequence)
\* is an unresolvable gap; k = 0 (b unused): no answer -- a delivery timeout left a
\* sequence unresolved and nothing of its partition is in flight any more
\* (maybeResolveSequences).  The idempotent producer bumps its epoch locally,
\* re-stamps every unacknowledged batch with sequences from 0 and sends them again.
ProducerBumpEpoch(b, i, k) ==
    /\ IF k = 0
       THEN /\ Idempotence /\ ~Transactional
            /\ pState[i] = "Ready"
            /\ pEpoch[i] < MaxEpoch
            /\ GapToResolve(i)
            /\ UNCHANGED net
       ELSE /\ FrontAnswer(b, i, k)
            /\ ~Stale(i, AnswerAt(b, i, k))
            /\ AnswerAction(i, AnswerAt(b, i, k)) = "bump"
            /\ net' = ConsumeAt(b, i, k)
    /\ LET newEpoch == pEpoch[i] + 1
           NewSeq(bt) == SumLens({x \in pInflight[i] : x.p = bt.p /\ x.seq < bt.seq})
           restamped == {[bt EXCEPT !.epoch = newEpoch, !.seq = NewSeq(bt)] : bt \in pInflight[i]}
       IN /\ pEpoch' = [pEpoch EXCEPT ![i] = newEpoch]
          /\ pInflight' = [pInflight EXCEPT ![i] = restamped]
          /\ pRetry' = [pRetry EXCEPT ![i] = restamped]
          /\ pLatest' = [pLatest EXCEPT ![i] = {<<bt, NoCorr>> : bt \in restamped}]
          /\ pSeq' = [pSeq EXCEPT ![i] = [p \in Partitions |->
                         SumLens({x \in pInflight[i] : x.p = p})]]
          /\ pAckedSeq' = [pAckedSeq EXCEPT ![i] = [p \in Partitions |-> NoSeq]]
    /\ UNCHANGED <<pState, pNext, pAccum, pPid, pTxnIdx, pAdded, pRpc, brokerVars, coord, inv, aux>>

-----------------------------------------------------------------------------
(* Broker: appends, answers, flushes *)

\* KIP-890 part 1: the first transactional append of (pid, epoch) to a partition
\* is verified with the coordinator.  Kafka holds the produce until the
\* AddPartitionsToTxn(verifyOnly) answer, which reflects the coordinator at the
\* moment it answered: the verdict can be overtaken by a decision (Prepare*) but
\* not by a marker on the partition, which clears the leader's verification
\* guard.  So an append is verified either atomically (VerifiedByCoordinator) or
\* by the guard coord.guard[p]: the epoch of (coord.pid) in which the coordinator
\* had p in an ongoing transaction since the last marker on p.
NeedsVerify(bt) ==
    /\ bt.txn
    /\ VerifyTxnPartitions
    /\ ~(/\ bt.pid \in DOMAIN bProducerState[bt.p]
         /\ bProducerState[bt.p][bt.pid].open
         /\ bProducerState[bt.p][bt.pid].epoch = bt.epoch)
VerifiedByCoordinator(bt) ==
    /\ coord.state = "Ongoing"
    /\ coord.pid = bt.pid
    /\ coord.epoch = bt.epoch
    /\ bt.p \in coord.parts
Guarded(bt) == coord.pid = bt.pid /\ coord.guard[bt.p] = bt.epoch

\* The hook for the one exception to "an unknown producer may start anywhere"
\* (Java: ProducerStateTable.unknownProducerMustStartAtZero): a transactional
\* batch under transactions version 2 (BumpEpochPerTxn, KIP-890 part 2).
UnknownProducerMustStartAtZero(bt) == bt.txn /\ BumpEpochPerTxn

\* The broker's decision for a Produce batch once it is verified (or needs no
\* verification): Kafka's ProducerStateManager.
PostVerify(bt) ==
    LET tbl == bProducerState[bt.p]
        known == bt.pid \in DOMAIN tbl
        st == IF known THEN tbl[bt.pid] ELSE NoProducerStateEntry
        dups == {k \in 1..Len(st.window) : st.window[k].first = bt.seq
                                            /\ st.window[k].last = LastSeqOf(bt)}
        Ok == [v |-> "append", err |-> "NONE", idx |-> 0]
        Rej(e) == [v |-> "reject", err |-> e, idx |-> 0]
    IN IF bt.pid = NoPid THEN Ok
       ELSE IF known /\ bt.epoch < st.epoch
            THEN Rej(IF bt.txn THEN "PRODUCER_FENCED" ELSE "INVALID_PRODUCER_EPOCH")
       ELSE IF known /\ bt.epoch = st.epoch /\ dups # {}
            THEN [v |-> "duplicate", err |-> "NONE", idx |-> st.window[SetMin(dups)].idx]
       ELSE IF known /\ bt.epoch = st.epoch
            THEN (IF bt.seq = LastSeqIn(st) + 1 THEN Ok ELSE Rej("OUT_OF_ORDER_SEQUENCE_NUMBER"))
       \* a producer the broker has no state for: Kafka's checkSequence accepts any first
       \* sequence, except from a transactional producer under transactions version 2
       ELSE IF bt.seq = 0 \/ ~UnknownProducerMustStartAtZero(bt) THEN Ok
       ELSE Rej("OUT_OF_ORDER_SEQUENCE_NUMBER")

\* The verdict with verification done at the moment of the append.
Verdict(bt) ==
    LET Rej(e) == [v |-> "reject", err |-> e, idx |-> 0]
    IN IF bt.pid # NoPid /\ NeedsVerify(bt) /\ ~bUp[Coordinator] THEN Rej("REQUEST_TIMED_OUT")
       ELSE IF bt.pid # NoPid /\ NeedsVerify(bt) /\ ~VerifiedByCoordinator(bt) THEN Rej("INVALID_TXN_STATE")
       ELSE PostVerify(bt)

\* Every verdict the leader may reach: also the one of an earlier verification
\* answer that its guard still admits.
Verdicts(bt) == {Verdict(bt)} \cup (IF NeedsVerify(bt) /\ Guarded(bt) THEN {PostVerify(bt)} ELSE {})

\* Batch j of producer i's channel to broker b is at the front: only batches of
\* the same request (same corr), or transactional batches that may be held for
\* their KIP-890 verification (NeedsVerify when they arrived, though an append
\* since may have opened the transaction), precede it.  Model checking uses j = 1 (every corr is NoCorr there); trace
\* validation admits what the Java broker does: it appends a request's batches
\* in any order, and goes on with later requests while a batch is verified.
FrontRequest(i, b, j) ==
    /\ bUp[b]
    /\ j \in 1..Len(net[<<i, b>>])
    /\ \A x \in 1..j - 1 : net[<<i, b>>][x].corr = net[<<i, b>>][j].corr
                           \/ (VerifyTxnPartitions /\ net[<<i, b>>][x].batch.txn)
RequestAt(i, b, j) == net[<<i, b>>][j]
TakeRequest(i, b, j) == [net EXCEPT ![<<i, b>>] = DropAt(@, j)]

\* BrokerAppend: the leader writes the batch at the end of its log (volatile
\* until BrokerFlush) and owes the producer an answer.
BrokerAppend(i, b, j) ==
    /\ FrontRequest(i, b, j)
    /\ LET m == RequestAt(i, b, j)
           bt == m.batch
           p == bt.p
           k == Len(log[p]) + 1
       IN /\ \E v \in Verdicts(bt) : v.v = "append"
          /\ log' = [log EXCEPT ![p] = Append(@, DataEntry(bt))]
          /\ bProducerState' = [bProducerState EXCEPT ![p] = ApplyEntry(@, DataEntry(bt), k)]
          /\ pending' = [pending EXCEPT ![b] = Append(@, Pend(i, m.corr, bt, k, TRUE, "NONE", FALSE))]
          /\ inv' = IF bt.txn /\ Superseded(i) THEN [inv EXCEPT !.zombie = TRUE] ELSE inv
    /\ net' = TakeRequest(i, b, j)
    /\ UNCHANGED <<producerVars, bUp, durable, coord, aux>>

\* BrokerDuplicate: the batch matches one of the cached batches of its producer:
\* nothing is written, the original offset is returned.
BrokerDuplicate(i, b, j) ==
    /\ FrontRequest(i, b, j)
    /\ LET m == RequestAt(i, b, j) IN
       /\ \E v \in Verdicts(m.batch) :
            /\ v.v = "duplicate"
            /\ pending' = [pending EXCEPT ![b] = Append(@, Pend(i, m.corr, m.batch, v.idx, TRUE, "NONE", TRUE))]
    /\ net' = TakeRequest(i, b, j)
    /\ UNCHANGED <<producerVars, bUp, log, durable, bProducerState, coord, inv, aux>>

\* BrokerReject: out-of-order sequence, stale epoch or failed KIP-890 verification
\* -- or a transactional batch's verification got no answer in time (a lost
\* request, RequestLossLimit; a batch arriving while an earlier one of its
\* partition is verified waits for that verification), refused with a
\* retriable error.  A held batch's verification also fails when the coordinator
\* is down (its request went with the crash: no further fault, as a request to a
\* down broker in NetworkLoseRequest), even if an append since opened the
\* transaction on the partition and the batch would need no verification now.
BrokerReject(i, b, j) ==
    /\ FrontRequest(i, b, j)
    /\ LET m == RequestAt(i, b, j)
           Refuse(err) == pending' = [pending EXCEPT ![b] = Append(@, Pend(i, m.corr, m.batch, 0, FALSE, err, FALSE))]
       IN \/ /\ \E v \in Verdicts(m.batch) : v.v = "reject" /\ Refuse(v.err)
             /\ aux' = aux
          \/ /\ m.batch.txn /\ VerifyTxnPartitions
             /\ Refuse("REQUEST_TIMED_OUT")
             /\ \/ bUp[Coordinator] /\ aux.reqLoss < RequestLossLimit /\ aux' = [aux EXCEPT !.reqLoss = @ + 1]
                \/ ~bUp[Coordinator] /\ aux' = aux
    /\ net' = TakeRequest(i, b, j)
    /\ UNCHANGED <<producerVars, bUp, log, durable, bProducerState, coord, inv>>

\* Protocol rule, TRUE in Kafka (CHECK): a success answer waits until its data is
\* durable.  A definition rather than a CONSTANT, so that only the known-bad model
\* MCAtLeastOnceAckBeforeFlush overrides it (AckAfterFlush <- ... in its config).
AckAfterFlush == TRUE

\* BrokerAck: an answer owed to producer i goes out -- for a success only once its
\* data is durable (acks=1|all on a single copy).  An answer may overtake earlier
\* answers to the same producer that still wait for a flush, never an error
\* answer: an OUT_OF_ORDER answer delivered after the success of a later retry
\* makes the producer misread it as a gap, bump its epoch and write the batch
\* again (TLC found this duplicate when answers could leave in any order).
\* Peers: positions of answers that leave in the same message as answer k, which
\* it may therefore pass whatever they say -- none in model checking; in trace
\* validation the other answers of the same Java response (a Produce response
\* carries every partition's result at once, logged in partition order).
BrokerAckWith(b, i, k, Peers) ==
    /\ bUp[b]
    /\ k \in 1..Len(pending[b])
    /\ LET pd == pending[b][k] IN
       /\ pd.dst = i
       /\ (pd.ok /\ AckAfterFlush) => pd.idx <= durable[pd.batch.p]
       /\ \A j \in 1..k - 1 : pending[b][j].dst = i => (pending[b][j].ok \/ j \in Peers)
       /\ pending' = [pending EXCEPT ![b] = DropAt(@, k)]
       /\ net' = Send(<<b, i>>, Resp(pd.corr, pd.batch, pd.ok, pd.err))
    /\ UNCHANGED <<producerVars, bUp, log, durable, bProducerState, coord, inv, aux>>
BrokerAck(b, i, k) == BrokerAckWith(b, i, k, {})

\* BrokerFlush: fsync -- the whole log of the partition becomes durable.
BrokerFlush(p) ==
    /\ bUp[LeaderOf[p]]
    /\ durable[p] < Len(log[p])
    /\ durable' = [durable EXCEPT ![p] = Len(log[p])]
    /\ UNCHANGED <<producerVars, net, bUp, log, pending, bProducerState, coord, inv, aux>>

-----------------------------------------------------------------------------
(* Faults *)

\* NetworkLoseRequest: a request vanishes anywhere in its channel (bounded), or is
\* refused because its destination is down (unbounded: healing).  K holds the
\* positions of its batches: one in model checking; in trace validation all the
\* batches of one Java request.  As on TCP, a lost request is a broken
\* connection: every other message between i and b, either way, is lost with it
\* (except, in trace validation, the requests in Keep, which the Java broker had
\* already received), and the producer learns of it at once.  A connection that
\* silently dropped one request and went on delivering later ones would let a
\* later batch reach the broker as the producer's first (accepted from an
\* unknown producer, Kafka's rule) ahead of the lost one.
NetworkLoseRequestKeeping(i, b, K, Keep) ==
    /\ K # {}
    /\ K \subseteq 1..Len(net[<<i, b>>])
    /\ Keep \cap K = {}
    /\ \/ aux.reqLoss < RequestLossLimit /\ aux' = [aux EXCEPT !.reqLoss = @ + 1]
       \/ ~bUp[b] /\ aux' = aux
    /\ net' = [net EXCEPT ![<<i, b>>] = DropSet(@, (1..Len(@)) \ Keep), ![<<b, i>>] = <<>>]
    /\ pRetry' = [pRetry EXCEPT ![i] = DisconnectedRetry(i, b)]
    /\ pLatest' = [pLatest EXCEPT ![i] = DisconnectedLatest(i, b)]
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx, pAdded, pRpc,
                   brokerVars, coord, inv>>
NetworkLoseRequest(i, b, K) == NetworkLoseRequestKeeping(i, b, K, {})

\* NetworkLoseResponse: an answer (ACK) vanishes -- as a lost request, a broken
\* connection: everything else between b and i is lost with it (except the
\* requests in Keep, see NetworkLoseRequestKeeping) and the producer notices.
NetworkLoseResponseKeeping(b, i, K, Keep) ==
    /\ K # {}
    /\ K \subseteq 1..Len(net[<<b, i>>])
    /\ aux.respLoss < ResponseLossLimit
    /\ aux' = [aux EXCEPT !.respLoss = @ + 1]
    /\ net' = [net EXCEPT ![<<b, i>>] = <<>>, ![<<i, b>>] = DropSet(@, (1..Len(@)) \ Keep)]
    /\ pRetry' = [pRetry EXCEPT ![i] = DisconnectedRetry(i, b)]
    /\ pLatest' = [pLatest EXCEPT ![i] = DisconnectedLatest(i, b)]
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx, pAdded, pRpc,
                   brokerVars, coord, inv>>
NetworkLoseResponse(b, i, K) == NetworkLoseResponseKeeping(b, i, K, {})

\* BrokerCrash: memory, pending answers, connections and the unflushed tail of
\* each log are lost -- except any prefix of the tail the disk happened to write.
BrokerCrash(b) ==
    /\ bUp[b]
    /\ aux.crash < CrashLimit
    /\ \E keep \in [LedBy(b) -> UNION {durable[p]..Len(log[p]) : p \in Partitions}] :
        /\ \A p \in LedBy(b) : durable[p] <= keep[p] /\ keep[p] <= Len(log[p])
        /\ log' = [p \in Partitions |-> IF p \in LedBy(b) THEN SubSeq(log[p], 1, keep[p]) ELSE log[p]]
        /\ durable' = [p \in Partitions |-> IF p \in LedBy(b) THEN keep[p] ELSE durable[p]]
        /\ coord' = [coord EXCEPT !.written = [p \in Partitions |->
                        IF p \in LedBy(b) /\ @[p] > keep[p] THEN 0 ELSE @[p]],
                        !.markers = {m \in @ : LeaderOf[m.p] # b}]
        /\ aux' = [aux EXCEPT !.crash = @ + 1,
                   !.lostTail = @ + (IF \E p \in LedBy(b) : keep[p] < Len(log[p]) THEN 1 ELSE 0)]
    /\ bUp' = [bUp EXCEPT ![b] = FALSE]
    /\ bProducerState' = [p \in Partitions |-> IF p \in LedBy(b) THEN EmptyTable ELSE bProducerState[p]]
    /\ pending' = [pending EXCEPT ![b] = <<>>]
    /\ net' = TLCEval([c \in Channels |-> IF c \in ChannelsOf(b) THEN <<>> ELSE net[c]]) \* see Init
    \* the crash closes every connection to b, and each producer notices
    /\ pRetry' = [i \in Producers |-> DisconnectedRetry(i, b)]
    /\ pLatest' = [i \in Producers |-> DisconnectedLatest(i, b)]
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pPid, pEpoch, pSeq, pAckedSeq, pTxnIdx, pAdded, pRpc, inv>>

\* BrokerRestart: the broker starts on its storage; producer state is rebuilt
\* from the log (CHECK: without it a retried batch is appended again).
BrokerRestart(b) ==
    /\ ~bUp[b]
    /\ bUp' = [bUp EXCEPT ![b] = TRUE]
    \* the transaction coordinator comes back (fails over) with a new coordinator epoch
    /\ coord' = IF Transactional /\ b = Coordinator THEN [coord EXCEPT !.cepoch = @ + 1] ELSE coord
    /\ bProducerState' = [p \in Partitions |->
                    IF p \in LedBy(b)
                    THEN (IF RecoverProducerState THEN Replay(log[p], Len(log[p])) ELSE EmptyTable)
                    ELSE bProducerState[p]]
    /\ UNCHANGED <<producerVars, net, log, durable, pending, inv, aux>>

-----------------------------------------------------------------------------
(* Quiescence: faults have stopped mattering and every producer is done.    *)

ProducerIdle(i) ==
    \/ pState[i] \in {"Down", "Fatal"}
    \/ Superseded(i) /\ pInflight[i] = {}
    \/ pState[i] = "Init" /\ \E j \in Producers : j > i /\ pState[j] # "Down"
    \/ /\ pNext[i] = Len(SendOrder[i])
       /\ \A p \in Partitions : pAccum[i][p] = <<>>
       /\ pInflight[i] = {}
       /\ pRpc[i] = NoRpc
       /\ pState[i] = "Ready"

Quiescent ==
    /\ \A i \in Producers : ProducerIdle(i)
    /\ \A c \in Channels : net[c] = <<>>
    /\ \A b \in Brokers : bUp[b] /\ pending[b] = <<>>
    /\ \A p \in Partitions : durable[p] = Len(log[p])
    /\ coord.state \notin {"Ongoing", "PrepareCommit", "PrepareAbort"}
    /\ coord.markers = {}

\* Quiescent states are final; stuttering there keeps TLC's deadlock check
\* meaningful for every other state.
Terminating == Quiescent /\ UNCHANGED vars

-----------------------------------------------------------------------------
(* Invariant building blocks; each guarantee module picks its view.        *)

NoDuplicateIn(V(_)) ==
    \A p \in Partitions : \A x, y \in DOMAIN V(p) : x < y => V(p)[x] # V(p)[y]

\* Records of one producer instance appear in send order (duplicates are
\* NoDuplicate's business, so equal positions are allowed).
PartitionOrderIn(V(_)) ==
    \A p \in Partitions : \A x, y \in DOMAIN V(p) :
        (x < y /\ ProducerOf(V(p)[x]) = ProducerOf(V(p)[y])) => SendIdx(V(p)[x]) <= SendIdx(V(p)[y])

\* Every acknowledged record is durable, so no crash can take it back.
AckedDurableInv == inv.acked \subseteq ViewRecords(DurableView)

SentRecords == UNION {{SendOrder[i][k] : k \in 1..pNext[i]} : i \in Producers}

Batch == [p : Partitions, recs : Seq(Records), pid : Int, epoch : Int, seq : Int, txn : BOOLEAN]

TypeOK ==
    /\ pState \in [Producers -> {"Down", "Init", "Ready", "InTxn", "Fatal"}]
    /\ pNext \in [Producers -> Nat]
    /\ \A i \in Producers : pNext[i] <= Len(SendOrder[i])
    /\ pAccum \in [Producers -> [Partitions -> Seq(Records)]]
    /\ \A i \in Producers : pInflight[i] \subseteq Batch /\ pRetry[i] \subseteq pInflight[i]
                           /\ {x[1] : x \in pLatest[i]} = pInflight[i]
    /\ pPid \in [Producers -> Int] /\ pEpoch \in [Producers -> Int]
    /\ pSeq \in [Producers -> [Partitions -> Nat]]
    /\ pAckedSeq \in [Producers -> [Partitions -> Int]]
    /\ \A c \in Channels : \A k \in 1..Len(net[c]) :
          /\ net[c][k].kind = IF c \in Producers \X Brokers THEN "req" ELSE "resp"
          /\ net[c][k].batch \in Batch
    /\ bUp \in [Brokers -> BOOLEAN]
    /\ \A p \in Partitions : durable[p] \in 0..Len(log[p])
    /\ \A b \in Brokers : \A k \in 1..Len(pending[b]) :
          pending[b][k].dst \in Producers /\ pending[b][k].batch \in Batch
    /\ coord.state \in {"Empty", "Ongoing", "PrepareCommit", "PrepareAbort", "CompleteCommit", "CompleteAbort"}
    /\ coord.parts \subseteq Partitions
    /\ inv.acked \subseteq Records /\ inv.failed \subseteq Records
    /\ inv.zombie \in BOOLEAN

=============================================================================
