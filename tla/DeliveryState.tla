---------------------------- MODULE DeliveryState ----------------------------
(***************************************************************************)
(* The state of the delivery system and the vocabulary every role module   *)
(* shares: the constants a model fixes (producer instances, brokers,       *)
(* partitions, records and their send order, producer configuration,       *)
(* fault budgets, protocol switches), the state variables grouped by role  *)
(* and small helpers over them.  It defines no action.                     *)
(*                                                                         *)
(* Names: variables are prefixed by role (p producer, b broker, coord      *)
(* coordinator); ghost history read only by invariants lives in inv, fault *)
(* counters that bound the state space in aux.  Which module writes which  *)
(* variable: Producer.tla the p* variables and net towards the brokers,    *)
(* Broker.tla log, durable, pending, bProducerState and net towards the    *)
(* producers, TxnCoordinator.tla coord, Faults.tla all of them.            *)
(*                                                                         *)
(* Abstracted away: replication and leader elections (LeaderOf is fixed,   *)
(* a broker keeps a single copy), offsets other than positions in the log, *)
(* record contents, serialization, partitioners, buffer memory.            *)
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

\* Batches one Produce request may carry (Kafka: one per partition the leader
\* leads; Java's Sender drains every ready partition of a node into one request).
\* 1 in every model but the multi-batch ones (MC*MultiBatch*): each batch travels
\* as its own request, answered in order.  Above 1 every guarantee module's Next
\* adds the actions of MultiBatch.tla: ProducerSendRequest (several batches under
\* one correlation id) and the handling of a request's batches, and of a
\* response's answers, in any order; trace validation sets it to the number of
\* partitions.  A definition rather than a CONSTANT, like TransactionVersion, so
\* that only the models that use it set it (MaxBatchesPerRequest = 2 in their config).
MaxBatchesPerRequest == 1

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
    pSeqEpoch, \* [Partitions -> Int]: the epoch pSeq and pAckedSeq of a partition belong to
               \* (Kafka's TxnPartitionEntry.producerIdAndEpoch); older than pEpoch while
               \* batches stamped before an epoch bump that did not renumber the partition
               \* are in flight (ProducerBumpEpoch)
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

producerVars == <<pState, pNext, pAccum, pInflight, pRetry, pLatest, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch, pTxnIdx, pAdded, pRpc>>
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
=============================================================================
