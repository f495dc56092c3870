package lab.core.detect;

/**
 * A message of the SWIM failure detector ({@link SwimDetector}): the protocol that runs SWIM carries these between
 * members; the detector never touches a transport.
 *
 * @param kind        what it is.
 * @param subject     the member it is about: the probed one (PING, PING_REQ, ACK) or the one suspected, alive or
 *                    confirmed dead (SUSPECT, ALIVE, CONFIRM).
 * @param seq         the probe it belongs to (PING, PING_REQ, ACK), so a late ack of an old probe counts for nothing.
 * @param requester   for a PING sent on behalf of a PING_REQ and its ACK: who asked (else -1).
 * @param incarnation for SUSPECT and ALIVE: the subject's incarnation the news is about.
 */
public record SwimMessage(Kind kind, int subject, long seq, int requester, long incarnation)
{
    public enum Kind
    {
        /** Are you alive? Answered with an ACK. */
        PING,
        /** Probe {@code subject} for me and relay its ACK (an indirect probe through one of k members). */
        PING_REQ,
        /** {@code subject} answered probe {@code seq}. */
        ACK,
        /** {@code subject} failed a probe: suspected at {@code incarnation}, confirmed dead unless it refutes. */
        SUSPECT,
        /** {@code subject} refutes a suspicion with a higher incarnation. */
        ALIVE,
        /** {@code subject}'s suspicion timed out: it is removed from the membership. */
        CONFIRM
    }
}
