----------------------------- MODULE DeliveryBase -----------------------------
(***************************************************************************)
(* The shared system of the four delivery-guarantee specs: one Kafka-style *)
(* producer (any number of instances of it, for zombies), single-copy      *)
(* brokers with partition logs and producer-state tables, a transaction    *)
(* coordinator, a lossy network and crashes.  The guarantee modules        *)
(* (AtMostOnce, AtLeastOnce, Idempotent, ExactlyOnce) EXTEND this module   *)
(* and differ only in the producer configuration they assume, the actions  *)
(* their Next admits and the view their invariants read -- just as the     *)
(* Java code is one producer and one broker configured by presets.         *)
(*                                                                         *)
(* The system is split by role; each module says what it models and what   *)
(* it abstracts away:                                                      *)
(*   DeliveryState   constants, variables, helpers                         *)
(*   PartitionLog    log entries, offsets, the producer-state table        *)
(*   Readers         what a consumer sees; invariant building blocks       *)
(*   Network         channels, messages, answers owed, coordinator RPCs    *)
(*   Producer        the client's send path (idempotence included)         *)
(*   Broker          the partition leader: append, dedup, refuse, ack      *)
(*   Faults          message loss, broker crash and restart                *)
(*   TxnCoordinator  the transaction coordinator and its markers           *)
(*   TxnProducer     the client's transactions (ExactlyOnce only)          *)
(* This module adds the initial state, quiescence and the type invariant.  *)
(* ExactlyOnce also EXTENDS TxnCoordinator and TxnProducer; Idempotent     *)
(* defines its own InitProducerId handshake (no transactional.id).         *)
(*                                                                         *)
(* Quiescence: faults are bounded by their ...Limit constants and every    *)
(* healing step (delivery, flush, restart) is unbounded; a quiescent state *)
(* is where faults stopped and every producer is done -- the premise of    *)
(* NoLoss.  Quiescent states are final (Terminating), so TLC's deadlock    *)
(* check shows every other state has a successor.                          *)
(***************************************************************************)
EXTENDS Faults, Readers

-----------------------------------------------------------------------------
(* Initial state                                                           *)

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
    /\ pSeqEpoch = [i \in Producers |-> [p \in Partitions |-> NoEpoch]]
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
(* The type invariant *)

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
    /\ pSeqEpoch \in [Producers -> [Partitions -> Int]]
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
