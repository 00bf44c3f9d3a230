------------------------------ MODULE MultiBatch ------------------------------
(***************************************************************************)
(* Multi-batch Produce requests, the part of Next every guarantee module   *)
(* adds (MaxBatchesPerRequest > 1; 1 in every model that does not set it,  *)
(* where all of this is disabled and state counts are unchanged).  Kafka's *)
(* Sender, like Java's, drains every ready partition of a broker into one  *)
(* Produce request, and its response answers each partition.               *)
(*  - A request carrying a batch for each of several partitions of one     *)
(*    leader (ProducerSendRequest over MultiRequests, under the lowest     *)
(*    free corr, FreeCorrs).                                               *)
(*  - The broker takes a request's batches in any order: ...Behind actions *)
(*    take the batch at a position j > 1 behind batches of the same        *)
(*    request (position 1 is the guarantee module's own disjunct).         *)
(*  - A response's answers leave together (MultiAckWith) and are handled   *)
(*    in any order (...Behind at a position k > 1 behind answers of the    *)
(*    same response); its silent answers are delivered together            *)
(*    (MultiDeliver).                                                      *)
(* The ...Behind actions are actions of their own, rather than a set of    *)
(* positions the front disjunct ranges over, so that TLC's coverage, and   *)
(* the coverage gate of check-models, tell position 2 from position 1.     *)
(* Trace validation takes the same actions for a Java request of several   *)
(* batches (TraceCommon).                                                  *)
(***************************************************************************)
EXTENDS DeliveryBase

\* Message k of channel c is behind messages of its own request or response only:
\* the batches of one request (one corr) are consecutive, and so are the answers
\* of one response.
Behind(c) == IF MaxBatchesPerRequest = 1 THEN {}
             ELSE {k \in 2..Len(net[c]) : /\ net[c][k].corr # NoCorr
                                          /\ \A x \in 1..k - 1 : net[c][x].corr = net[c][k].corr}

\* The broker b takes a batch of producer i's request that is not the request's first.
BrokerAppendBehind(i, b) == \E j \in Behind(<<i, b>>) : BrokerAppend(i, b, j)
BrokerDuplicateBehind(i, b) == \E j \in Behind(<<i, b>>) : BrokerDuplicate(i, b, j)
BrokerRejectBehind(i, b) == \E j \in Behind(<<i, b>>) : BrokerReject(i, b, j)

\* Producer i handles an answer of broker b's response that is not the response's first.
ProducerSendAckedBehind(b, i) == \E k \in Behind(<<b, i>>) : ProducerSendAcked(b, i, k)
ProducerSendFailedBehind(b, i) ==
    \E bt \in pInflight[i] : LeaderOf[bt.p] = b /\ \E k \in Behind(<<b, i>>) : ProducerSendFailed(i, bt, k)
\* The bump takes every bump answer of the response (BumpGroup); behind: not its first.
ProducerBumpEpochBehind(b, i) ==
    \E k \in Behind(<<b, i>>) : 1 \notin BumpGroup(b, i, k) /\ ProducerBumpEpoch(b, i, BumpGroup(b, i, k))

\* The requests of several batches producer i may send to broker b: retransmissions
\* R and new batches of the partitions in DOMAIN n, n[p] records each (the guarantee
\* module's Next sends one with ProducerSendRequest, under the lowest corr the
\* connection does not carry); none with MaxBatchesPerRequest = 1.
MultiRequests(i, b) ==
    IF MaxBatchesPerRequest = 1 \/ FreeCorrs(i, b) = {} THEN {}
    ELSE {<<R, n>> : R \in SUBSET pRetry[i], n \in UNION {[S -> 1..MaxBatch] : S \in SUBSET LedBy(b)}}

\* An answer of a multi-batch request leaves with its response's peers.
MultiAckWith(b, i) ==
    \E k \in 1..Len(pending[b]) :
        /\ MaxBatchesPerRequest > 1 /\ pending[b][k].corr # NoCorr
        /\ BrokerAckWith(b, i, k, CorrPeers(b, i, k))

\* The silent answers (stale, or asking for a retry) of a response, together.
MultiDeliver(b, i) ==
    /\ MaxBatchesPerRequest > 1
    /\ net[<<b, i>>] # <<>> /\ Head(net[<<b, i>>]).corr # NoCorr
    /\ NetworkDeliver(b, i, SilentGroup(b, i, Head(net[<<b, i>>]).corr))

\* Test properties (must be violated; action properties, as the state after such
\* a step does not tell at which position its batch or answer was): the broker
\* refused a batch behind another batch of its request; the producer failed a
\* batch on, or bumped its epoch for, an answer behind another answer of its
\* response.
ReachRejectBehind == [][~\E i \in Producers, b \in Brokers : BrokerRejectBehind(i, b)]_vars
ReachFailedBehind == [][~\E b \in Brokers, i \in Producers : ProducerSendFailedBehind(b, i)]_vars
ReachBumpBehind == [][~\E b \in Brokers, i \in Producers : ProducerBumpEpochBehind(b, i)]_vars
\* One epoch bump renumbers two partitions: it takes two answers of one response
\* (BumpGroup), as Kafka and the Java producer do for two gaps answered together.
ReachBumpTwoPartitions ==
    [][~\E b \in Brokers, i \in Producers : \E k \in 1..Len(net[<<b, i>>]) :
          Cardinality(BumpGroup(b, i, k)) >= 2 /\ ProducerBumpEpoch(b, i, BumpGroup(b, i, k))]_vars
=============================================================================
