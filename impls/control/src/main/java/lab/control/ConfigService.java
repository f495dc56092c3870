package lab.control;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import lab.core.ClientSessions;
import lab.core.Outbox;
import lab.core.ProtocolSettings;
import lab.core.Replica;
import lab.core.codec.ClientMessages;
import lab.core.codec.ClientResponseDecoder;
import lab.core.codec.OpType;
import lab.core.codec.Status;
import lab.raft.RaftFactory;
import lab.raft.codec.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One control node's part of a configuration service replicated with the lab's Raft, used as a library: the
 * service is one register (a configuration, bytes the user of the service defines) kept in the Raft log of
 * {@code nodes} control nodes. Only the Raft leader acts: once its term's first entry has committed it reads the
 * committed configuration (a linearizable Raft read), and from then on it may propose the next one; a proposal is
 * committed, and only then reported, when a majority of control nodes holds it. One proposal at a time, each computed
 * from the committed configuration before it, so the committed configurations form one sequence, whoever leads:
 * a new leader reads the last of them before it proposes (the entries of earlier leaders still in its log commit
 * with its term's first entry, before its read answers).
 *
 * <p>The Raft replica runs unchanged: this class speaks to it as one of its clients (a session per control node,
 * client node ids {@code nodes .. 2 nodes - 1} of the Raft's own numbering), translating its node ids (Raft's
 * {@code 0 .. nodes - 1}) to the run's ({@code firstNode ..}). Its answers to this node's session come back through
 * the translating outbox and never reach the network. The register's value is {@code [version: 8 bytes][the
 * configuration]}; a proposal is the write of session sequence {@code version + 1}, so Raft's duplicate detection
 * never confuses a proposal with an older one of the same node (a restarted node starts from the version it reads).
 *
 * <p>Pure like every protocol: no thread, clock or socket; the Raft state (log, term, vote) is kept across a restart
 * of the node by the {@link RaftFactory} given (its memory storage is the simulator's model of a disk).
 */
public final class ConfigService
{
    /** The register's key in the Raft store. */
    private static final long KEY = 1;
    private static final int VERSION_BYTES = Long.BYTES;
    private static final int PROPOSAL_SLOT = 0;
    private static final int READ_SLOT = 1;
    /** A read that has not been answered by then (a lost ReadIndex round) is asked again. */
    private static final long READ_RETRY_NS = 20_000_000L;

    /** What the node that uses the service learns from it. */
    public interface Listener
    {
        /**
         * This node leads the service and knows the committed configuration: it may act and propose.
         *
         * @param length 0 when no configuration was ever committed (the user's initial one holds).
         */
        void onActive(DirectBuffer configuration, int offset, int length, long nowNs, Outbox out);

        /**
         * The configuration last proposed is committed.
         */
        void onCommitted(long nowNs, Outbox out);

        /**
         * This node no longer leads (or never did): forget what it believed as the leader.
         */
        void onInactive(long nowNs);
    }

    private enum State
    {
        INACTIVE, READING, ACTIVE, PROPOSING
    }

    private final int firstNode;
    private final int nodes;
    private final int local;
    private final Replica raft;
    private final Listener listener;
    private final ClientMessages requests = new ClientMessages();
    private final ClientMessages responses = new ClientMessages();
    private final TranslatingOutbox raftOut = new TranslatingOutbox();
    private final ExpandableArrayBuffer proposal = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer readValue = new ExpandableArrayBuffer(256);
    private final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    private State state = State.INACTIVE;
    private long version;
    private long readSeq;
    private long readSentNs;
    private boolean readRefused;
    /** The Raft replica was given input (a read, a proposal) since its last flush. */
    private boolean raftInput;
    // Answers to this node's session that arrived during the Raft replica's flush, handled after it.
    private boolean readAnswered;
    private int readLength;
    private long readAnsweredSeq;
    private boolean proposalCommitted;
    private long proposals;
    private long activations;

    /**
     * @param firstNode the run's node id of control node 0.
     * @param local     this node's index among the control nodes.
     * @param raft      builds the Raft replica and keeps its storage across restarts (one per run).
     * @param settings  the control plane's Raft settings ({@link #raftSettings}).
     */
    public ConfigService(final int firstNode, final int nodes, final int local, final RaftFactory raft,
        final ProtocolSettings settings, final Random random, final boolean restarted, final Listener listener)
    {
        this.firstNode = firstNode;
        this.nodes = nodes;
        this.local = local;
        this.listener = listener;
        this.raft = raft.newReplica(local, settings, random, restarted);
    }

    /**
     * @return the Raft settings of a control plane of {@code nodes} nodes: each node's session is one Raft client;
     * the log is compacted often (a configuration is small and changes rarely).
     */
    public static ProtocolSettings raftSettings(final int nodes)
    {
        final Map<String, String> options = new HashMap<>();
        options.put("raft-snapshot-entries", "64");
        final ProtocolSettings settings = new ProtocolSettings(nodes, nodes, 2, options);
        new RaftFactory().validate(settings);
        return settings;
    }

    /**
     * @return the Raft's election timeout for these settings: how long a deposed leader may still believe it leads
     * (check-quorum steps it down after as long without a majority).
     */
    public static long electionTimeoutNs(final ProtocolSettings settings)
    {
        return settings.durationNsOption("raft-election-timeout", "150ms");
    }

    /**
     * @return whether the message was the service's (Raft's schema, from a control node) and was handled.
     */
    public boolean onMessage(final int fromNode, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final Outbox out)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH ||
            header.wrap(buffer, offset).schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return false;
        }
        final int from = fromNode - firstNode;
        raft.onMessage(from >= 0 && from < nodes ? from : -1, buffer, offset, length, nowNs, raftOut.to(out));
        follow(nowNs, out);
        return true;
    }

    public void onTick(final long nowNs, final Outbox out)
    {
        raft.onTick(nowNs, raftOut.to(out));
        follow(nowNs, out);
        if (state == State.READING && (readRefused || nowNs - readSentNs > READ_RETRY_NS))
        {
            read(nowNs);
        }
    }

    /**
     * The end of a burst: the Raft replica persists and sends; then this node's answers are acted on (which may
     * propose, and so flush again).
     */
    public void flush(final long nowNs, final Outbox out)
    {
        for (int round = 0; round < 4; round++)
        {
            raftInput = false;
            raft.flush(nowNs, raftOut.to(out));
            handleAnswers(nowNs, out);
            if (!raftInput)
            {
                return;
            }
        }
    }

    /**
     * @return this node leads, knows the committed configuration and has no proposal pending: it may propose.
     */
    public boolean active()
    {
        return state == State.ACTIVE;
    }

    /**
     * @return this node leads and its proposal is not committed yet.
     */
    public boolean proposing()
    {
        return state == State.PROPOSING;
    }

    /**
     * @return whether this node's Raft replica is the leader (it acts only once {@link #active()} as well).
     */
    public boolean leader()
    {
        return raft.role().is("leader");
    }

    public lab.core.Role raftRole()
    {
        return raft.role();
    }

    /**
     * @return committed configurations this node has seen (its version of the register).
     */
    public long version()
    {
        return version;
    }

    /**
     * @return messages of the service's schema its Raft replica dropped as malformed.
     */
    public long malformedMessages()
    {
        return raft.malformedMessages();
    }

    public Map<String, Long> counters()
    {
        final Map<String, Long> counters = new HashMap<>(raft.counters());
        counters.put("config_proposals", proposals);
        counters.put("config_activations", activations);
        return counters;
    }

    /**
     * Proposes the next configuration (committed, then reported by {@link Listener#onCommitted}). Only when
     * {@link #active()}.
     */
    public void propose(final DirectBuffer configuration, final int offset, final int length, final long nowNs)
    {
        if (state != State.ACTIVE)
        {
            throw new IllegalStateException("propose while " + state);
        }
        state = State.PROPOSING;
        proposals++;
        proposal.putLong(0, version + 1);
        proposal.putBytes(VERSION_BYTES, configuration, offset, length);
        final int n = requests.encodeRequest(1, session(PROPOSAL_SLOT), version + 1, OpType.PUT, KEY, proposal, 0,
            VERSION_BYTES + length);
        raftInput = true;
        raft.onMessage(nodes + local, requests.buffer(), 0, n, nowNs, raftOut);
    }

    private long session(final int slot)
    {
        return ClientSessions.sessionId(nodes + local, slot);
    }

    /**
     * Follows the Raft replica's role: a leader reads the committed configuration, anyone else is inactive.
     */
    private void follow(final long nowNs, final Outbox out)
    {
        final boolean leads = leader();
        if (!leads && state != State.INACTIVE)
        {
            state = State.INACTIVE;
            proposalCommitted = false;
            readAnswered = false;
            listener.onInactive(nowNs);
        }
        else if (leads && state == State.INACTIVE)
        {
            state = State.READING;
            read(nowNs);
        }
    }

    private void read(final long nowNs)
    {
        readSentNs = nowNs;
        readRefused = false;
        raftInput = true;
        final int n = requests.encodeRequest(1, session(READ_SLOT), ++readSeq, OpType.GET, KEY, empty, 0, 0);
        raft.onMessage(nodes + local, requests.buffer(), 0, n, nowNs, raftOut);
    }

    private void handleAnswers(final long nowNs, final Outbox out)
    {
        follow(nowNs, out);
        if (readAnswered && state == State.READING && readAnsweredSeq == readSeq)
        {
            readAnswered = false;
            state = State.ACTIVE;
            activations++;
            if (readLength >= VERSION_BYTES)
            {
                version = readValue.getLong(0);
                listener.onActive(readValue, VERSION_BYTES, readLength - VERSION_BYTES, nowNs, out);
            }
            else
            {
                version = 0;
                listener.onActive(readValue, 0, 0, nowNs, out);
            }
            return;
        }
        if (proposalCommitted && state == State.PROPOSING)
        {
            proposalCommitted = false;
            version++;
            state = State.ACTIVE;
            listener.onCommitted(nowNs, out);
        }
    }

    private void onAnswer(final DirectBuffer buffer, final int offset)
    {
        final ClientResponseDecoder response = responses.wrapResponse(buffer, offset);
        final long clientId = response.clientId();
        final long seq = response.seq();
        final Status status = response.status();
        if (clientId == session(READ_SLOT))
        {
            if (status == Status.OK || status == Status.NOT_FOUND)
            {
                readAnswered = true;
                readAnsweredSeq = seq;
                readLength = response.valueLength();
                readValue.checkLimit(Math.max(1, readLength));
                response.getValue(readValue, 0, readLength);
            }
            else
            {
                readRefused = true; // no lease yet, or the term's first entry is not committed: asked at the next tick
            }
        }
        else if (clientId == session(PROPOSAL_SLOT) && status == Status.OK && seq == version + 1 &&
            state == State.PROPOSING)
        {
            proposalCommitted = true;
        }
    }

    /**
     * The Raft replica's outbox: its peers' ids become the run's, its answers to this node's sessions are kept
     * here, answers to other control nodes' sessions (entries a former leader proposed) are dropped: their
     * proposer, if it still leads, is this node.
     */
    private final class TranslatingOutbox implements Outbox
    {
        private Outbox out;

        TranslatingOutbox to(final Outbox driverOut)
        {
            this.out = driverOut;
            return this;
        }

        public void send(final int toNode, final DirectBuffer buffer, final int offset, final int length)
        {
            if (toNode >= 0 && toNode < nodes)
            {
                out.send(firstNode + toNode, buffer, offset, length);
            }
            else if (toNode == nodes + local)
            {
                onAnswer(buffer, offset);
            }
        }
    }

}
