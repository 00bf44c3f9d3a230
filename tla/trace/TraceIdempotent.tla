--------------------------- MODULE TraceIdempotent ---------------------------
(***************************************************************************)
(* Trace validation of a Java idempotent run: TraceCommon's mapping plus   *)
(* the producer-id handshake.                                               *)
(*  CoordinatorInitProducerId -> the action for the instance waiting for   *)
(*    an id (the event does not name it); id and epoch must match.         *)
(*  ProducerInitProducerId    -> the action; id and epoch must match.      *)
(***************************************************************************)
EXTENDS Idempotent, TraceCommon

MatchCoordinatorInitProducerId ==
    /\ Is("CoordinatorInitProducerId")
    /\ \E i \in InitCandidates :
         /\ CoordinatorInitProducerId(i, Ev.producerId)
         /\ pRpc'[i].pid = Ev.producerId
         /\ pRpc'[i].epoch = Ev.producerEpoch
    /\ KeepTrace

MatchProducerInitProducerId ==
    /\ Is("ProducerInitProducerId")
    /\ Ev.producer \in Producers
    /\ pRpc[Ev.producer].type = "InitResult"
    /\ pRpc[Ev.producer].pid = Ev.producerId
    /\ pRpc[Ev.producer].epoch = Ev.producerEpoch
    /\ ProducerInitProducerId(Ev.producer)
    /\ KeepTrace

TraceNext ==
    /\ cursor <= Len(TraceLog)
    /\ \/ CommonMatch
       \/ MatchCoordinatorInitProducerId
       \/ MatchProducerInitProducerId
    /\ cursor' = cursor + 1
=============================================================================
