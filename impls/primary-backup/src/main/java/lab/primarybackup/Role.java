package lab.primarybackup;

/**
 * A primary-backup replica's role in its view.
 */
enum Role
{
    /** Follows the primary of its view: appends its entries, acknowledges, stands when it falls silent. */
    BACKUP(lab.core.Role.standing("backup")),
    /** Asks whether a majority would vote for it, changing no one's state (pre-vote). */
    PRE_CANDIDATE(lab.core.Role.standing("pre_candidate")),
    /** Stands for a view, having voted for itself in it. */
    CANDIDATE(lab.core.Role.standing("candidate")),
    /** Orders writes, serves reads under its lease, feeds its backups. */
    PRIMARY(lab.core.Role.serving("primary")),
    /** Restarted without its state: neither votes nor stands until a primary's snapshot is installed. */
    RECOVERING(lab.core.Role.withoutState("recovering"));

    /** What the harness sees (the name as before: the enum's name in lower case). */
    final lab.core.Role value;

    Role(final lab.core.Role value)
    {
        this.value = value;
    }
}
