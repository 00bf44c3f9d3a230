-------------------------------- MODULE Faults --------------------------------
(***************************************************************************)
(* The faults of the fault model (DESIGN.md), each bounded by its budget   *)
(* in aux (RequestLossLimit, ResponseLossLimit, CrashLimit), and the       *)
(* restart that heals a crash (unbounded).                                 *)
(*  - NetworkLoseRequest / NetworkLoseResponse: a message vanishes; as on  *)
(*    TCP the connection breaks, everything else on it is lost, and the    *)
(*    producer notices.                                                    *)
(*  - BrokerCrash keeps the durable prefix of each log plus any prefix of  *)
(*    its volatile tail (a disk may or may not have written unflushed      *)
(*    pages), and loses the in-memory producer state, pending answers and  *)
(*    every message to or from the broker.                                 *)
(*  - BrokerRestart rebuilds the producer state from the surviving log;    *)
(*    on the coordinator's broker it is a coordinator failover with a new  *)
(*    coordinator epoch.                                                   *)
(* Premature timeouts (TimeoutLimit) are steps of Producer.tla, the        *)
(* coordinator's faults (lost markers, transaction timeouts) steps of      *)
(* TxnCoordinator.tla.                                                     *)
(*                                                                         *)
(* Abstracted away: partial network partitions that keep connections       *)
(* open, disk corruption, loss of flushed data, clock faults.              *)
(***************************************************************************)
EXTENDS Producer, Broker

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
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch, pTxnIdx, pAdded, pRpc,
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
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch, pTxnIdx, pAdded, pRpc,
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
    /\ UNCHANGED <<pState, pNext, pAccum, pInflight, pPid, pEpoch, pSeq, pAckedSeq, pSeqEpoch, pTxnIdx, pAdded, pRpc, inv>>

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
=============================================================================
