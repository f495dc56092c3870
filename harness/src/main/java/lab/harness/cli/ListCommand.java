package lab.harness.cli;

import lab.core.ProtocolFactory;
import lab.core.ProtocolSettings;
import lab.core.Protocols;
import lab.core.HopTheory;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code lab list}: the protocols on the class path and their hop theory at 3 replicas.
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the protocols this build knows.")
public final class ListCommand implements Runnable
{
    public void run()
    {
        for (final ProtocolFactory f : Protocols.all())
        {
            final ProtocolSettings s = new ProtocolSettings(3, 1, 1, Map.of());
            f.validate(s);
            final HopTheory t = f.theory(s);
            System.out.printf("%-16s write hops %d, read hops %d  %s%n", f.name(), t.writeHops(), t.readHops(), t.note());
        }
    }
}
