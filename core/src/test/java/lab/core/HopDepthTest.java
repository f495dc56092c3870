package lab.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HopDepthTest
{
    private final HopDepth hops = new HopDepth();

    @Test
    void aSendIsOneHopFurtherThanTheMessageBeingHandled()
    {
        hops.received(1);
        assertEquals(2, hops.stamp());
        hops.received(5);
        assertEquals(6, hops.stamp());
        assertEquals(5, hops.input());
    }

    @Test
    void timersAndFlushStartANewPathAtDepthOne()
    {
        hops.received(7);
        hops.startPath();
        assertEquals(1, hops.stamp());
        assertEquals(0, hops.input());
    }

    @Test
    void anAnswerHeldForALaterInputResumesTheDepthRememberedWithIt()
    {
        hops.received(1);
        final int heldWrite = hops.input();
        hops.received(9);
        hops.resume(heldWrite);
        assertEquals(2, hops.stamp());
    }

    @Test
    void aMessageForSeveralInputsTakesTheLongestPath()
    {
        hops.startPath();
        hops.join(3);
        hops.join(1);
        hops.join(4);
        assertEquals(5, hops.stamp());
        hops.join(2);
        assertEquals(5, hops.stamp(), "a shorter path never shortens the join");
    }
}
