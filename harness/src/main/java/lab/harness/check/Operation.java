package lab.harness.check;

import java.util.Objects;

/**
 * One client operation on one key of a read/write register store, as seen by the client.
 * <p>
 * Every register starts as {@link #NIL}. For a {@link Kind#WRITE} {@code value} is the value written; for an
 * {@link Outcome#OK} {@link Kind#READ} it is the value read; otherwise it is ignored. An {@link Outcome#INFO}
 * operation was abandoned at {@code completeNs} but may take effect at any time after {@code invokeNs}, even after
 * it was abandoned, so checkers treat its completion as infinitely late.
 *
 * @param process    the client (session) that ran it; one process runs one operation at a time.
 * @param kind       read or write.
 * @param key        the register.
 * @param value      the value written, or the value read by an OK read; {@link #NIL} is "never written".
 * @param invokeNs   when the client sent it.
 * @param completeNs when the client saw the result or gave up.
 * @param outcome    whether it took effect.
 */
public record Operation(
    long process, Kind kind, long key, long value, long invokeNs, long completeNs, Outcome outcome)
{
    /**
     * The value of a register that was never written.
     */
    public static final long NIL = 0;

    public enum Kind
    {
        READ, WRITE
    }

    public enum Outcome
    {
        /**
         * Took effect, once, between invoke and complete.
         */
        OK,

        /**
         * Definitely did not take effect.
         */
        FAIL,

        /**
         * Indeterminate: may take effect at any time after invoke, or never.
         */
        INFO
    }

    public Operation
    {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
    }

    public static Operation read(
        final long process, final long key, final long value, final long invokeNs, final long completeNs)
    {
        return new Operation(process, Kind.READ, key, value, invokeNs, completeNs, Outcome.OK);
    }

    public static Operation write(
        final long process, final long key, final long value, final long invokeNs, final long completeNs)
    {
        return new Operation(process, Kind.WRITE, key, value, invokeNs, completeNs, Outcome.OK);
    }

    public Operation withOutcome(final Outcome outcome)
    {
        return new Operation(process, kind, key, value, invokeNs, completeNs, outcome);
    }

    public Operation withValue(final long value)
    {
        return new Operation(process, kind, key, value, invokeNs, completeNs, outcome);
    }

    public boolean isRead()
    {
        return Kind.READ == kind;
    }

    public boolean isWrite()
    {
        return Kind.WRITE == kind;
    }

    /**
     * Whether this operation, on its own, can constrain a linearization: failed and indeterminate reads cannot.
     */
    public boolean constrains()
    {
        return Kind.WRITE == kind ? Outcome.FAIL != outcome : Outcome.OK == outcome;
    }

    /**
     * A short form for explanations, e.g. {@code p3 READ k7 -> 12 OK [1000, 2500]}.
     */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder(64)
            .append('p').append(process).append(' ').append(kind).append(" k").append(key);

        if (Kind.WRITE == kind)
        {
            sb.append(" <- ").append(valueText(value));
        }
        else if (Outcome.OK == outcome)
        {
            sb.append(" -> ").append(valueText(value));
        }

        sb.append(' ').append(outcome).append(" [").append(invokeNs).append(", ");
        if (Outcome.INFO == outcome)
        {
            sb.append("abandoned ").append(completeNs).append(", may complete later]");
        }
        else
        {
            sb.append(completeNs).append(']');
        }

        return sb.toString();
    }

    static String valueText(final long value)
    {
        return NIL == value ? "nil" : Long.toString(value);
    }
}
