package lab.primarybackup;

/**
 * A primary-backup replica's role in its view.
 */
enum Role
{
    /** Follows the primary of its view: appends its entries, acknowledges, stands when it falls silent. */
    BACKUP,
    /** Asks whether a majority would vote for it, changing no one's state (pre-vote). */
    PRE_CANDIDATE,
    /** Stands for a view, having voted for itself in it. */
    CANDIDATE,
    /** Orders writes, serves reads under its lease, feeds its backups. */
    PRIMARY,
    /** Restarted without its state: neither votes nor stands until a primary's snapshot is installed. */
    RECOVERING
}
