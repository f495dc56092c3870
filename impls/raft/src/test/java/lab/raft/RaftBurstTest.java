package lab.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import lab.core.ClientSessions;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.codec.ClientMessages;
import lab.core.codec.OpType;
import lab.raft.codec.AppendEntriesDecoder;
import lab.raft.codec.AppendEntriesEncoder;
import lab.raft.codec.AppendResponseDecoder;
import lab.raft.codec.AppendResponseEncoder;
import lab.raft.codec.BooleanType;
import lab.raft.codec.MessageHeaderDecoder;
import lab.raft.codec.MessageHeaderEncoder;
import lab.raft.codec.VoteEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst of input (what one poll of the transport delivers) is handled as etcd handles a Ready: everything the
 * replica says during it is held, the storage persists once, and then it all goes.
 */
class RaftBurstTest
{
    private static final int LEADER = 0;
    private static final int FOLLOWER = 1;
    private static final int CLIENT = 3;
    private static final long TERM = 1;
    private static final UnsafeBuffer VALUE = new UnsafeBuffer(new byte[]{1, 2, 3, 4});

    /**
     * Storage in memory that knows whether everything staged has been synced.
     */
    private static final class RecordingStorage implements RaftStorage
    {
        private final MemoryStorage memory = new MemoryStorage(1024);
        int unsynced;
        int syncs;

        public RaftLog log()
        {
            return memory.log();
        }

        public long term()
        {
            return memory.term();
        }

        public int votedFor()
        {
            return memory.votedFor();
        }

        public void saveHardState(final long term, final int votedFor)
        {
            memory.saveHardState(term, votedFor);
            unsynced++;
        }

        public void appended(final long index)
        {
            memory.appended(index);
            unsynced++;
        }

        public void truncated(final long fromIndex)
        {
            memory.truncated(fromIndex);
            unsynced++;
        }

        public void saveSnapshot(final DirectBuffer state, final int offset, final int length)
        {
            memory.saveSnapshot(state, offset, length);
        }

        public DirectBuffer snapshot()
        {
            return memory.snapshot();
        }

        public int snapshotLength()
        {
            return memory.snapshotLength();
        }

        public void sync()
        {
            memory.sync();
            if (unsynced > 0)
            {
                syncs++;
            }
            unsynced = 0;
        }

        public void close()
        {
            memory.close();
        }
    }

    /**
     * Keeps what was sent and checks, at every send, that nothing staged is still unsynced (persist, then send).
     */
    private static final class CheckingOutbox implements Outbox
    {
        private final RecordingStorage storage;
        final List<Integer> to = new ArrayList<>();
        final List<UnsafeBuffer> messages = new ArrayList<>();

        CheckingOutbox(final RecordingStorage storage)
        {
            this.storage = storage;
        }

        public void send(final int toNode, final DirectBuffer buffer, final int offset, final int length)
        {
            assertEquals(0, storage.unsynced, "a message left before what it depends on was persisted");
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            to.add(toNode);
            messages.add(new UnsafeBuffer(copy));
        }

        void clear()
        {
            to.clear();
            messages.clear();
        }

        int templateId(final int i)
        {
            return new MessageHeaderDecoder().wrap(messages.get(i), 0).templateId();
        }
    }

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);

    private static RaftReplica replica(final int nodeId, final RecordingStorage storage)
    {
        final RaftConfig config = new RaftConfig(new ProtocolSettings(3, 1, 16, Map.of()));
        return new RaftReplica(nodeId, 3, config, new Random(7), storage, false);
    }

    private int appendEntries(final long prev, final long prevTerm, final long firstSeq, final int count)
    {
        final AppendEntriesEncoder append = new AppendEntriesEncoder();
        final AppendEntriesEncoder.EntriesEncoder entries = append
            .wrapAndApplyHeader(buffer, 0, header)
            .depth(1).clientId(0).seq(0).term(TERM).prevLogIndex(prev).prevLogTerm(prevTerm).leaderCommit(0)
            .sentNs(0).readRound(0).entriesCount(count);
        for (int i = 0; i < count; i++)
        {
            entries.next().entryTerm(TERM).entryClientId(ClientSessions.sessionId(CLIENT, 0)).entrySeq(firstSeq + i)
                .key(firstSeq + i).putValue(VALUE, 0, VALUE.capacity());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + append.encodedLength();
    }

    private int vote(final boolean preVote)
    {
        final VoteEncoder vote = new VoteEncoder().wrapAndApplyHeader(buffer, 0, header)
            .depth(1).clientId(0).seq(0).term(TERM).granted(BooleanType.TRUE)
            .preVote(preVote ? BooleanType.TRUE : BooleanType.FALSE);
        return MessageHeaderEncoder.ENCODED_LENGTH + vote.encodedLength();
    }

    private int ack(final long match)
    {
        final AppendResponseEncoder ack = new AppendResponseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .depth(2).clientId(0).seq(0).term(TERM).success(BooleanType.TRUE).matchIndex(match).prevLogIndex(0)
            .conflictIndex(0).conflictTerm(-1).lastIndex(match).sentNs(0).readRound(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + ack.encodedLength();
    }

    /**
     * Node 0 of a new cluster stands at once; votes from node 1 make it leader, and both followers acknowledge its
     * no-op, so that both are being replicated to.
     */
    private RaftReplica leader(final RecordingStorage storage, final CheckingOutbox out)
    {
        final RaftReplica leader = replica(LEADER, storage);
        leader.onTick(0, out);
        leader.flush(0, out);
        leader.onMessage(FOLLOWER, buffer, 0, vote(true), 0, out);
        leader.flush(0, out);
        leader.onMessage(FOLLOWER, buffer, 0, vote(false), 0, out);
        leader.flush(0, out);
        assertEquals("leader", leader.role().name());
        leader.onMessage(1, buffer, 0, ack(1), 0, out);
        leader.onMessage(2, buffer, 0, ack(1), 0, out);
        leader.flush(0, out);
        out.clear();
        return leader;
    }

    @Test
    void shouldSendNothingBeforeTheBurstEnds()
    {
        final RecordingStorage storage = new RecordingStorage();
        final CheckingOutbox out = new CheckingOutbox(storage);
        final RaftReplica follower = replica(FOLLOWER, storage);

        follower.onMessage(LEADER, buffer, 0, appendEntries(0, 0, 1, 2), 0, out);

        assertTrue(out.messages.isEmpty());
        assertEquals(2, follower.log().lastIndex());
        follower.flush(0, out);
        assertEquals(1, out.messages.size());
    }

    @Test
    void shouldAcknowledgeEveryAppendOfABurstWithOneAnswerAfterOneSync()
    {
        final RecordingStorage storage = new RecordingStorage();
        final CheckingOutbox out = new CheckingOutbox(storage);
        final RaftReplica follower = replica(FOLLOWER, storage);

        follower.onMessage(LEADER, buffer, 0, appendEntries(0, 0, 1, 2), 0, out);
        follower.onMessage(LEADER, buffer, 0, appendEntries(2, TERM, 3, 3), 0, out);
        follower.flush(0, out);

        assertEquals(List.of(LEADER), out.to);
        final AppendResponseDecoder answer = new AppendResponseDecoder()
            .wrapAndApplyHeader(out.messages.get(0), 0, new MessageHeaderDecoder());
        assertEquals(BooleanType.TRUE, answer.success());
        assertEquals(5, answer.matchIndex());
        assertEquals(TERM, answer.term());
        assertEquals(1, storage.syncs);
    }

    @Test
    void shouldSendARejectionAfterTheAcknowledgementsBeforeIt()
    {
        final RecordingStorage storage = new RecordingStorage();
        final CheckingOutbox out = new CheckingOutbox(storage);
        final RaftReplica follower = replica(FOLLOWER, storage);

        follower.onMessage(LEADER, buffer, 0, appendEntries(0, 0, 1, 2), 0, out);
        follower.onMessage(LEADER, buffer, 0, appendEntries(9, TERM, 10, 1), 0, out); // a gap: rejected
        follower.flush(0, out);

        assertEquals(2, out.messages.size());
        final MessageHeaderDecoder h = new MessageHeaderDecoder();
        final AppendResponseDecoder first = new AppendResponseDecoder().wrapAndApplyHeader(out.messages.get(0), 0, h);
        assertEquals(BooleanType.TRUE, first.success());
        assertEquals(2, first.matchIndex());
        final AppendResponseDecoder second = new AppendResponseDecoder().wrapAndApplyHeader(out.messages.get(1), 0, h);
        assertEquals(BooleanType.FALSE, second.success());
        assertEquals(3, second.conflictIndex());
    }

    @Test
    void shouldSendTheWritesOfABurstToEachFollowerInOneAppend()
    {
        final RecordingStorage storage = new RecordingStorage();
        final CheckingOutbox out = new CheckingOutbox(storage);
        final RaftReplica leader = leader(storage, out);
        final ClientMessages client = new ClientMessages();
        final long session = ClientSessions.sessionId(CLIENT, 0);

        for (int seq = 1; seq <= 3; seq++)
        {
            final int length = client.encodeRequest(1, session, seq, OpType.PUT, seq, VALUE, 0, VALUE.capacity());
            leader.onMessage(CLIENT, client.buffer(), 0, length, 0, out);
        }
        assertTrue(out.messages.isEmpty());
        leader.flush(0, out);

        assertEquals(List.of(1, 2), out.to);
        for (int i = 0; i < 2; i++)
        {
            assertEquals(AppendEntriesDecoder.TEMPLATE_ID, out.templateId(i));
            final AppendEntriesDecoder append = new AppendEntriesDecoder()
                .wrapAndApplyHeader(out.messages.get(i), 0, new MessageHeaderDecoder());
            assertEquals(1, append.prevLogIndex()); // after the no-op
            assertEquals(3, append.entries().count());
        }
    }
}
