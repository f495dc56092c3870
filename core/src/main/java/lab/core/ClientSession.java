package lab.core;

/**
 * Duplicate detection for one client session (see {@link ClientSessions}): the last write sequence number a
 * replica accepted from it and the version (log index, chain sequence) that write got, so a retried write is
 * applied once and answered with its original version.
 */
public final class ClientSession
{
    public long seq;
    public long version;
    /** A retry arrived while the write was still in flight: answer it when the write commits (chain's head). */
    public boolean replyOnCommit;

    public ClientSession(final long seq, final long version)
    {
        this.seq = seq;
        this.version = version;
    }
}
