package lab.core;

import java.util.Objects;

/**
 * What a replica believes it is now, as a value the harness can reason about instead of a string it would have to
 * match: its {@code name} (what fault targets and reports use: "leader", "primary", "head", "backup", ...), whether
 * it {@code serving} client operations in this role, and whether it is {@code caughtUp}: holds the replicated state
 * (false while a restarted or new replica waits for a snapshot, e.g. "recovering", "empty", "joining").
 *
 * <p>Protocols keep one constant per role: asking a replica its role allocates nothing.
 */
public record Role(String name, boolean serving, boolean caughtUp)
{
    public Role
    {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf(' ') >= 0)
        {
            throw new IllegalArgumentException("a role name is one word: '" + name + "'");
        }
        if (serving && !caughtUp)
        {
            throw new IllegalArgumentException("a role that serves clients holds the state: " + name);
        }
    }

    /**
     * @return a role that serves client operations (and so holds the state): a leader, a primary, a chain member.
     */
    public static Role serving(final String name)
    {
        return new Role(name, true, true);
    }

    /**
     * @return a role that holds the state but does not serve clients in it: a follower, a backup, a candidate.
     */
    public static Role standing(final String name)
    {
        return new Role(name, false, true);
    }

    /**
     * @return a role without the state yet: a replica that restarted without it or joins and waits for a snapshot.
     */
    public static Role withoutState(final String name)
    {
        return new Role(name, false, false);
    }

    /**
     * @return whether this is the role of that name (a fault target such as "leader").
     */
    public boolean is(final String roleName)
    {
        return name.equals(roleName);
    }

    @Override
    public String toString()
    {
        return name;
    }
}
