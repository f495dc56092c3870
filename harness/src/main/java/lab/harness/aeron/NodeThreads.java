package lab.harness.aeron;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;

/**
 * The threads that run a process's node agents, one of three ways:
 * <ul>
 *   <li>{@code shared}: every agent on one thread (a {@link CompositeAgent});</li>
 *   <li>{@code per-node}: one thread per agent (the agent itself, not wrapped);</li>
 *   <li>{@code invoker}: no thread; the caller runs every agent's duty cycle with {@link #invoke()}.</li>
 * </ul>
 * Built first and started later ({@link #start()}), so what the caller sets between the two is published to the
 * node threads by their start.
 */
public final class NodeThreads implements AutoCloseable
{
    public static final String SHARED = "shared";
    public static final String PER_NODE = "per-node";
    public static final String INVOKER = "invoker";

    private final List<AgentRunner> runners = new ArrayList<>();
    private final AgentInvoker invoker;

    /**
     * @param idle          idle strategy by name ({@link IdleStrategies}); not used by {@code invoker}.
     * @param label         names the error handler of the shared thread (or the invoker); a per-node thread's is
     *                      named by its agent's role name.
     * @param errorsNamed   the error handler for a name.
     */
    public NodeThreads(final List<NodeAgent> agents, final String threading, final String idle, final String label,
        final Function<String, ErrorHandler> errorsNamed)
    {
        switch (threading)
        {
            case INVOKER:
                invoker = new AgentInvoker(errorsNamed.apply(label), null,
                    new CompositeAgent(agents.toArray(new NodeAgent[0])));
                break;
            case PER_NODE:
                invoker = null;
                for (final NodeAgent agent : agents)
                {
                    runners.add(new AgentRunner(IdleStrategies.of(idle), errorsNamed.apply(agent.roleName()), null,
                        agent));
                }
                break;
            case SHARED:
                invoker = null;
                runners.add(new AgentRunner(IdleStrategies.of(idle), errorsNamed.apply(label), null,
                    new CompositeAgent(agents.toArray(new NodeAgent[0]))));
                break;
            default:
                throw new IllegalArgumentException("threading must be shared, per-node or invoker, got " + threading);
        }
    }

    /**
     * Starts the threads (or the invoker).
     */
    public void start()
    {
        if (invoker != null)
        {
            invoker.start();
        }
        for (final AgentRunner r : runners)
        {
            AgentRunner.startOnThread(r);
        }
    }

    /**
     * One duty cycle of every agent, on the caller's thread ({@code invoker} only).
     *
     * @return the work done.
     */
    public int invoke()
    {
        return invoker.invoke();
    }

    public boolean invoked()
    {
        return invoker != null;
    }

    /**
     * Stops the threads (each waits for its agent's last duty cycle) or closes the invoker; idempotent.
     */
    public void close()
    {
        CloseHelper.quietCloseAll(runners);
        CloseHelper.quietClose(invoker);
    }
}
