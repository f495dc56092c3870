package lab.core;

import org.agrona.DirectBuffer;

/**
 * Where a state machine puts the messages it sends. The bytes are copied before {@code send} returns, so the
 * caller may reuse its encoding buffer at once. A reply to a client is an ordinary send to the client's node id.
 */
public interface Outbox
{
    void send(int toNode, DirectBuffer buffer, int offset, int length);
}
