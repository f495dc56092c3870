package lab.chain;

import lab.chain.codec.ForwardDecoder;
import lab.core.ClientSessions;
import lab.core.KvStore;
import lab.core.Outbox;
import lab.core.client.TiedCopies;
import lab.core.codec.Status;
import org.agrona.DirectBuffer;

/**
 * The read path of a chain replica. With {@code reads=tail} only the tail serves reads, from its committed state
 * (2 hops). With {@code reads=craq} (Terrace and Freedman, USENIX ATC 2009) every node does: a key with no pending
 * write here is clean and served from the committed state (2 hops); a dirty key makes the node ask the tail for the
 * committed version ({@code VersionQuery}), which it then serves from its committed state or from the pending write
 * of that version (4 hops). Every read needs the node's lease from the configuration manager: a node cut off from
 * the manager stops reading before a new chain could commit writes it has not seen.
 *
 * <p>Tied CRAQ reads ({@code tied}): a client sends the read to two nodes, each copy naming the other. A node starts
 * serving its copy when it takes it here and will answer it with a value (clean) or a version query (dirty), and then
 * cancels its peer's copy; a copy whose cancel arrived first is dropped unanswered ({@link TiedCopies}). A copy
 * turned away (not in the chain, no lease) cancels nothing, so its peer still serves the read. Every CRAQ node serves
 * linearizable reads, so whichever copy, or both, is served, the answer is correct.
 */
final class ChainReads
{
    private final ChainReplica replica;
    private final ChainPublisher publisher;
    private final PendingWrites pending;
    private final boolean craq;
    private final TiedCopies tied;
    private long cleanReads;
    private long dirtyReads;

    ChainReads(final ChainReplica replica, final ChainPublisher publisher, final PendingWrites pending,
        final boolean craq, final int nodeId)
    {
        this.replica = replica;
        this.publisher = publisher;
        this.pending = pending;
        this.craq = craq;
        this.tied = new TiedCopies(nodeId);
    }

    /**
     * @return the tied read copies this node started, dropped and cancelled, and its counters.
     */
    TiedCopies tied()
    {
        return tied;
    }

    /**
     * @return reads served from the node's own committed state (every read at the tail counts as clean).
     */
    long cleanReads()
    {
        return cleanReads;
    }

    /**
     * @return CRAQ reads of a key with a pending write, answered after asking the tail for the committed version.
     */
    long dirtyReads()
    {
        return dirtyReads;
    }

    void onRead(final int from, final long clientId, final long seq, final long key, final long nowNs,
        final Outbox out)
    {
        read(from, clientId, seq, key, -1, nowNs, out);
    }

    /**
     * One copy of a tied read; its other copy went to {@code tiedPeer}.
     */
    void onTiedRead(final int from, final long clientId, final long seq, final long key, final int tiedPeer,
        final long nowNs, final Outbox out)
    {
        if (!tied.admit(from, clientId, seq))
        {
            return; // the peer started first and cancelled this copy: it answers the client
        }
        read(from, clientId, seq, key, tiedPeer, nowNs, out);
    }

    /**
     * The tied peer of a read started serving it.
     */
    void onTiedCancel(final int peer, final long clientId, final long seq)
    {
        tied.onCancel(peer, ClientSessions.clientNode(clientId), clientId, seq);
    }

    private void startTied(final int from, final long clientId, final long seq, final int tiedPeer,
        final Outbox out)
    {
        if (tiedPeer >= 0 && tied.started(from, clientId, seq))
        {
            publisher.tiedCancel(out, tiedPeer, clientId, seq, replica.epoch());
        }
    }

    private void read(final int from, final long clientId, final long seq, final long key, final int tiedPeer,
        final long nowNs, final Outbox out)
    {
        final boolean tail = replica.isTail();
        if (!replica.inChain() || !replica.synced() || (!craq && !tail))
        {
            publisher.redirect(out, from, clientId, seq, replica.tail(), replica.epoch(), replica.head(),
                replica.tail());
            return;
        }
        if (!replica.leased(nowNs))
        {
            publisher.reply(out, from, clientId, seq, Status.UNAVAILABLE);
            return;
        }
        startTied(from, clientId, seq, tiedPeer, out);
        if (tail || !pending.dirty(key))
        {
            cleanReads++;
            publisher.value(out, from, clientId, seq, replica.store().get(key));
            return;
        }
        dirtyReads++;
        publisher.versionQuery(out, replica.tail(), clientId, seq, replica.epoch(), key);
    }

    /**
     * At the tail: the committed version of {@code key} for a node holding a dirty copy.
     */
    void onVersionQuery(final int from, final long clientId, final long seq, final long epoch, final long key,
        final Outbox out)
    {
        if (epoch != replica.epoch() || !replica.isTail() || !replica.synced())
        {
            return; // the asking node is behind or ahead of us: its client retries
        }
        final KvStore.Entry entry = replica.store().get(key);
        publisher.versionReply(out, from, clientId, seq, epoch, key, entry == null ? 0 : entry.version());
    }

    void onVersionReply(final long clientId, final long seq, final long epoch, final long key, final long version,
        final long nowNs, final Outbox out)
    {
        final int client = ClientSessions.clientNode(clientId);
        if (epoch != replica.epoch() || !replica.inChain() || !replica.synced() || !replica.leased(nowNs))
        {
            publisher.reply(out, client, clientId, seq, Status.UNAVAILABLE);
            return;
        }
        final KvStore.Entry entry = replica.store().get(key);
        if (version == 0 || (entry != null && entry.version() >= version))
        {
            // Committed here already (or a newer write committed since the tail answered: also fine to return).
            publisher.value(out, client, clientId, seq, entry);
            return;
        }
        if (version > replica.commitSeq() && version <= replica.lastSeq())
        {
            final ForwardDecoder w = pending.decode(version);
            if (w.chainSeq() == version && w.key() == key)
            {
                final int valueLength = w.valueLength();
                final int valueOffset = w.limit() + ForwardDecoder.valueHeaderLength();
                final DirectBuffer value = pending.buffer(version);
                publisher.value(out, client, clientId, seq, version, value, valueOffset, valueLength);
                return;
            }
        }
        publisher.reply(out, client, clientId, seq, Status.UNAVAILABLE);
    }
}
