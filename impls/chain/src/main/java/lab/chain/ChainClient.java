package lab.chain;

import java.util.Random;

import lab.core.ProtocolSettings;
import lab.core.TargetedClient;
import lab.chain.codec.MessageHeaderEncoder;
import lab.chain.codec.TiedReadEncoder;
import lab.core.Outbox;
import lab.core.client.Hedging;
import lab.core.client.TiedReads;
import org.agrona.ExpandableArrayBuffer;
import lab.core.codec.OpType;
import lab.core.codec.Status;

/**
 * The client side of chain replication: writes go to the head, reads to the tail, or with CRAQ to a node drawn at
 * random for every attempt (spreading reads over the chain). A {@link TargetedClient} that tracks head and tail
 * separately: a turned-away operation carries both in a {@link ChainHint} and goes to the node the REDIRECT names, and
 * a silent head is replaced by its likely successor, a silent tail by its likely predecessor, the way the chain
 * itself is repaired. Retries resend the same (session, seq), which the head's duplicate detection applies once.
 * With {@code hedge} (CRAQ only), a read not answered by its hedge time goes to one more node as well: every CRAQ
 * node serves linearizable reads, so whichever answers first is a correct answer. With {@code tied} (CRAQ only), a
 * read goes at once to its node and to the one a hedge would pick, as a chain {@code TiedRead} naming the other.
 */
public final class ChainClient extends TargetedClient
{
    private final boolean craq;
    private final Random random;
    private long knownEpoch;
    private int head;
    private int tail;
    private final ExpandableArrayBuffer tiedBuffer = new ExpandableArrayBuffer(64);
    private final MessageHeaderEncoder tiedHeader = new MessageHeaderEncoder();
    private final TiedReadEncoder tiedRead = new TiedReadEncoder();

    public ChainClient(final int clientNode, final ProtocolSettings settings, final ChainConfig config,
        final Random random)
    {
        super(clientNode, settings, config.client, Hedging.parse(config.hedge), TiedReads.of(config.tied));
        this.craq = config.reads == ChainConfig.Reads.CRAQ;
        this.random = random;
        head = 0;
        tail = replicas - 1;
    }

    protected int targetFor(final OpType type)
    {
        if (type == OpType.PUT)
        {
            return head;
        }
        if (!craq)
        {
            return tail;
        }
        // CRAQ reads avoid a node that timed out (the base class suspects it): a crashed one would cost a timeout
        // per read.
        final int first = random.nextInt(replicas);
        return (first + suspicion.firstUnsuspectedOnRing(first, replicas, nowNs())) % replicas;
    }

    /**
     * A CRAQ read's hedged copy goes to another node drawn at random, avoiding suspected ones, as the first did.
     */
    protected int hedgeTarget(final int slot, final long key, final int attempt, final int primary)
    {
        if (!craq || replicas < 2)
        {
            return -1;
        }
        final int first = (primary + 1 + random.nextInt(replicas - 1)) % replicas;
        final int offset = suspicion.firstUnsuspectedOnRing(first, replicas, nowNs());
        final int to = (first + offset) % replicas;
        return to != primary ? to : (to + 1) % replicas;
    }

    protected void sendTiedRead(final int to, final int tiedPeer, final long sessionId, final long seq,
        final long key, final Outbox out)
    {
        final int length = ChainPublisher.encodeTiedRead(tiedBuffer, tiedHeader, tiedRead, sessionId, seq,
            knownEpoch, key, tiedPeer);
        out.send(to, tiedBuffer, 0, length);
    }

    protected int redirectTarget(final int slot, final OpType type, final long key, final int attempt, final int hint)
    {
        return hint;
    }

    protected void onRedirect(final int hint)
    {
        // head and tail are learnt from the ChainHint in onTurnedAway; the hint only routes this operation
    }

    protected void onTurnedAway(final Status status, final long hint)
    {
        final long epoch = ChainHint.epoch(hint);
        if (epoch > knownEpoch)
        {
            final int h = ChainHint.head(hint);
            final int t = ChainHint.tail(hint);
            if (h >= 0 && h < replicas && t >= 0 && t < replicas)
            {
                knownEpoch = epoch;
                head = h;
                tail = t;
            }
        }
    }

    /**
     * The node did not answer in time: guess the way the chain is repaired (head -> successor, tail ->
     * predecessor); a redirect corrects the guess.
     */
    protected void onTargetTimeout(final OpType type, final int failed)
    {
        if (type == OpType.PUT && failed == head)
        {
            head = (head + 1) % replicas;
        }
        else if (type == OpType.GET && !craq && failed == tail)
        {
            tail = (tail - 1 + replicas) % replicas;
        }
    }
}
