----------------------- MODULE MCExactlyOnceCoordinator -----------------------
(* Model of ExactlyOnce with the coordinator on its own broker: broker 1    *)
(* coordinates the transactional.id, broker 0 leads both partitions, so a  *)
(* crash can take the coordinator down while the partition leader stays up *)
(* (a KIP-890 verification then gets no answer: REQUEST_TIMED_OUT), or the *)
(* leader while the coordinator stays up.  One producer instance, one      *)
(* transaction writing one record to each partition; one lost request     *)
(* (a Produce, verification or WriteTxnMarkers request), one broker crash. *)
(* (Lost ACKs and transaction timeouts are MCExactlyOnce's.)               *)
EXTENDS ExactlyOnce

MC_SendOrder == [i \in {100} |-> <<1, 2>>]
MC_PartitionOf == [r \in 1..2 |-> r - 1]
MC_TxnOf == [r \in 1..2 |-> 0]
MC_LeaderOf == [p \in {0, 1} |-> 0]
=============================================================================
