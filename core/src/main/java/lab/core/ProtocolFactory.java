package lab.core;

import java.util.Random;


/**
 * How the harness finds and builds a protocol. Implementations are registered with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/lab.core.ProtocolFactory}) so the harness never depends on a protocol module.
 */
public interface ProtocolFactory
{
    /**
     * @return the name used on the command line, e.g. "primary-backup".
     */
    String name();

    /**
     * Reject impossible configurations with an {@link IllegalArgumentException} whose message is the one-line
     * error shown to the user. Read every option here (with its default) so that they are printed with results.
     */
    void validate(ProtocolSettings settings);

    /**
     * @param nodeId    0 .. replicas-1.
     * @param random    seeded source of randomness (election timeouts etc.); the only one the replica may use.
     * @param restarted true when the node comes back after a crash and has lost its volatile state.
     */
    Replica newReplica(int nodeId, ProtocolSettings settings, Random random, boolean restarted);

    /**
     * @return how many control-plane nodes (e.g. a chain's configuration manager) run beside the replicas; their
     * node ids follow the replicas' (replicas .. replicas+controlNodes-1) and precede the clients'.
     */
    default int controlNodes(final ProtocolSettings settings)
    {
        return 0;
    }

    /**
     * @param nodeId replicas .. replicas+controlNodes-1.
     */
    default Endpoint newControlNode(final int nodeId, final ProtocolSettings settings, final Random random)
    {
        throw new UnsupportedOperationException(name() + " has no control nodes");
    }

    /**
     * @param restarted true when the control node comes back after a crash (what it keeps across one, as a replica
     *                  does, is the factory's to keep); by default a control node starts afresh.
     */
    default Endpoint newControlNode(final int nodeId, final ProtocolSettings settings, final Random random,
        final boolean restarted)
    {
        return newControlNode(nodeId, settings, random);
    }

    /**
     * @return how many replicas may be down at once (crashed, cut off, or restarted and not caught up) without losing
     * an acknowledged write: what the torture's schedule never exceeds. A minority by default (majority quorums);
     * more where a separate configuration service decides who serves (primary-backup's pb-views=config-service).
     */
    default int replicaFailuresTolerated(final ProtocolSettings settings)
    {
        return (settings.replicas() - 1) / 2;
    }

    ClientProtocol newClient(int clientNode, ProtocolSettings settings, Random random);

    HopTheory theory(ProtocolSettings settings);

    /**
     * @return how this protocol's messages (and the client messages it exchanges) print in traces; by default only
     * the SBE header.
     */
    default MessagePrinter printer()
    {
        return MessagePrinter::header;
    }

    /**
     * @return the generated SBE decoder classes of every message this protocol's nodes send besides the client
     * messages (its own schema's, and another schema's it borrows, e.g. a control plane's): what
     * {@link MessageTypes} counts messages by. Empty by default (then its messages count as "other").
     */
    default java.util.List<Class<?>> messageDecoders()
    {
        return java.util.List.of();
    }

    /**
     * @return whether this configuration promises linearizable reads and writes (strong modes are checked for it
     * under faults; weak modes, e.g. Dynamo quorums, only have their stale reads measured).
     */
    default boolean linearizable(final ProtocolSettings settings)
    {
        return true;
    }

    /**
     * @return whether runs of this configuration measure stale reads by default (weak modes: their anomaly is a
     * result, not an error). Any run can ask for it with {@code --stale-reads}.
     */
    default boolean measuresStaleReads(final ProtocolSettings settings)
    {
        return false;
    }

    /**
     * @return every role name a replica of this protocol may report ({@link Role#name()}), so that a fault target
     * naming a role is checked before a run starts; empty when the protocol does not say (then it is not checked).
     */
    default java.util.Set<String> roleNames()
    {
        return java.util.Set.of();
    }

    /**
     * @return the replica count this protocol always runs with (1 for the single-node baselines), or 0 when it
     * takes the one asked for.
     */
    default int fixedReplicas()
    {
        return 0;
    }

    /**
     * @return why a replica of this configuration cannot come back in a new OS process after kill -9 (one replica
     * per process, {@code --fault restart} with {@code --processes}), or null when it can. A replica that loses its
     * state in a crash by design can. One that must keep state across a crash can only if that state is in files
     * its new process opens again: what the factory keeps for it in memory (in one process, the simulator's model
     * of a disk) dies with the process.
     */
    default String processRestartProblem(final ProtocolSettings settings)
    {
        return null;
    }

    /**
     * @return warnings to print with the run output (e.g. "R + W <= N: stale reads are possible"); empty if none.
     */
    default String warnings(final ProtocolSettings settings)
    {
        return "";
    }

    /**
     * The run that used this factory's replicas is over (they are stopped): remove what it alone needed, such as
     * files in a temporary folder, so that runs in one JVM (--repeat, sweeps) do not pile them up.
     */
    default void runEnded()
    {
    }
}
