-------------------- MODULE MCIdempotentMultiBatchTwoGaps --------------------
(* Model of Idempotent with a real gap in two partitions answered in one   *)
(* response: records 1, 3, 5 on partition 0 and 2, 4, 6 on partition 1,    *)
(* both partitions on one broker, single-record batches, four in flight,   *)
(* MaxBatchesPerRequest 2, one lost request and two delivery timeouts.     *)
(* Sequence 0 of each partition is appended and acknowledged; the request  *)
(* of both sequences 1 is lost, which breaks the connection and loses the  *)
(* request of both sequences 2 behind it; both sequences 1 expire          *)
(* (unresolved); both sequences 2 go again in one request and the broker   *)
(* refuses both OUT_OF_ORDER_SEQUENCE_NUMBER.  The producer, as Kafka's    *)
(* and the Java one, renumbers both partitions in ONE epoch bump           *)
(* (ProducerBumpEpoch with both answers, BumpGroup): the reachability      *)
(* config ReachBumpTwoPartitions stops at the first such step.             *)
EXTENDS Idempotent

MC_SendOrder == [i \in {100} |-> <<1, 2, 3, 4, 5, 6>>]
MC_PartitionOf == [r \in 1..6 |-> (r - 1) % 2]
MC_TxnOf == [r \in 1..6 |-> -1]
MC_LeaderOf == [p \in {0, 1} |-> 0]

\* A search guide for the reachability config (CONSTRAINT: it only prunes, so the
\* step TLC finds is still a behaviour of Spec; unguided, breadth-first search
\* had not reached the bump, at depth 27, after 50,000 states and a minute):
\* every record is handed to send() before the first drain; before the bump,
\* every request carries two batches and no batch after sequence 0 is drained
\* before both sequences 0 are acknowledged; the loss comes after that; every
\* timeout is a delivery timeout (no premature request timeout), after the loss.
GuideTwoGaps ==
    LET i == 100 IN
    /\ pNext[i] < Len(SendOrder[i]) => pInflight[i] = {}
    /\ \A x \in pLatest[i] : x[2] # NoCorr \/ x[1].epoch > 0
    /\ \A x \in pInflight[i] : (x.seq > 0 /\ x.epoch = 0) => \A p \in Partitions : pAckedSeq[i][p] = 0
    /\ aux.reqLoss > 0 => \A p \in Partitions : pAckedSeq[i][p] = 0
    /\ aux.timeout > 0 => aux.reqLoss > 0
    /\ aux.timeout <= Cardinality(inv.failed)
=============================================================================
