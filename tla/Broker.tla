-------------------------------- MODULE Broker --------------------------------
(***************************************************************************)
(* A broker as the leader of its partitions (Kafka's ReplicaManager,       *)
(* UnifiedLog and ProducerStateManager on a single copy).                  *)
(*  - A Produce batch at the front of its connection is appended at once   *)
(*    to the volatile tail of the log (BrokerAppend), recognised as a      *)
(*    duplicate of a batch in its producer's window (BrokerDuplicate), or  *)
(*    refused: stale epoch, out-of-order sequence, failed or timed-out     *)
(*    KIP-890 verification (BrokerReject).                                 *)
(*  - BrokerFlush makes the whole log of a partition durable; a success    *)
(*    answer (acks=1/all on one copy) leaves only for durable data         *)
(*    (BrokerAck), an error answer at once.                                *)
(*  - KIP-890 part 1: the first transactional append of (pid, epoch) to a  *)
(*    partition is verified with the coordinator (NeedsVerify).            *)
(* Crashes and restarts are in Faults.tla, transaction markers in          *)
(* TxnCoordinator.tla.                                                     *)
(*                                                                         *)
(* Abstracted away: replication (one copy: the high watermark is the       *)
(* durable end), partial flushes (a flush writes the whole log), request   *)
(* quotas and purgatory timing; the verification RPC is atomic, with the   *)
(* leader's guard standing for an earlier answer still valid.              *)
(***************************************************************************)
EXTENDS Network, PartitionLog

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
\* The answers owed to the same producer for the same request as answer k: they
\* leave in one Produce response (MaxBatchesPerRequest > 1, trace validation).
CorrPeers(b, i, k) == {j \in 1..Len(pending[b]) : pending[b][j].dst = i /\ pending[b][j].corr = pending[b][k].corr}

\* BrokerFlush: fsync -- the whole log of the partition becomes durable.
BrokerFlush(p) ==
    /\ bUp[LeaderOf[p]]
    /\ durable[p] < Len(log[p])
    /\ durable' = [durable EXCEPT ![p] = Len(log[p])]
    /\ UNCHANGED <<producerVars, net, bUp, log, pending, bProducerState, coord, inv, aux>>
=============================================================================
