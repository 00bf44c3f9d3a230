-------------------------------- MODULE Network --------------------------------
(***************************************************************************)
(* The network between producer instances and brokers: one FIFO channel    *)
(* per directed pair (producer, broker) in net, as TCP keeps order within  *)
(* a connection.  Channels interleave freely (reordering across            *)
(* connections), duplication comes from retransmission, as with TCP, and a *)
(* lost message breaks its connection (Faults.tla).  A set or bag network  *)
(* would also reorder requests of one connection, which TCP and the Java   *)
(* simulation never do, and would make at-most-once violate PartitionOrder,*)
(* contradicting DESIGN.md.  Only Produce requests and their answers       *)
(* travel here; also defined here: the answers a broker owes (pending),    *)
(* and the records of the coordinator RPCs.                                *)
(*                                                                         *)
(* Abstracted away: coordinator RPCs (InitProducerId, AddPartitionsToTxn,  *)
(* EndTxn and the KIP-890 verification) are reliable: each is a request    *)
(* field per producer instance (pRpc) answered atomically -- in Kafka      *)
(* their loss only delays them, as they are retried.  WriteTxnMarkers      *)
(* requests, in contrast, are lossy and delayed like Produce requests      *)
(* (TxnCoordinator.tla).  Connection set-up, metadata requests, request    *)
(* framing and sizes.                                                      *)
(***************************************************************************)
EXTENDS DeliveryState

(* Messages.  Only Produce requests and answers travel through the lossy   *)
(* network; a message carries the batch it is about, so the producer maps  *)
(* an answer to its batch as Kafka does through the correlation id.  corr  *)
(* is the Java correlation id in trace validation and the constant NoCorr  *)
(* in model checking (identical copies then need no distinction).          *)

NoCorr == 0
Req(corr, bt) == [kind |-> "req", corr |-> corr, batch |-> bt, ok |-> TRUE, err |-> "NONE"]
Resp(corr, bt, ok, err) == [kind |-> "resp", corr |-> corr, batch |-> bt, ok |-> ok, err |-> err]
Send(c, m) == [net EXCEPT ![c] = Append(@, m)]
DropAt(s, k) == SubSeq(s, 1, k - 1) \o SubSeq(s, k + 1, Len(s))
DropSet(s, K) == LET keep == {k \in 1..Len(s) : k \notin K}
                 IN [n \in 1..Cardinality(keep) |-> s[CHOOSE k \in keep :
                        Cardinality({j \in keep : j <= k}) = n]]

\* Correlation ids of multi-batch requests (MaxBatchesPerRequest > 1).  In model
\* checking a single-batch request keeps NoCorr, a request of several batches
\* gets a corr its connection does not carry in either direction (nor the
\* latest transmission of a batch of i), so that its batches and answers are
\* told apart from every other request's; the lowest such, so that the choice
\* adds no states.  Trace validation uses the Java correlation ids instead.
CorrUsed(i, b, c) ==
    \/ \E k \in 1..Len(net[<<i, b>>]) : net[<<i, b>>][k].corr = c
    \/ \E k \in 1..Len(net[<<b, i>>]) : net[<<b, i>>][k].corr = c
    \/ \E k \in 1..Len(pending[b]) : pending[b][k].dst = i /\ pending[b][k].corr = c
    \/ \E x \in pLatest[i] : x[2] = c
FreeCorrs(i, b) == {c \in 1..2 * MaxInFlight + 2 : ~CorrUsed(i, b, c)}

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
=============================================================================
