package lab;

import java.io.File;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import lab.harness.multiprocess.NodeCommand;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a multi-process run must leave behind: no node process and no Aeron directory of its own in /dev/shm.
 */
final class NodeProcesses
{
    private NodeProcesses()
    {
    }

    static Set<String> aeronDirs()
    {
        final Set<String> names = new HashSet<>();
        final String[] list = new File("/dev/shm").list((d, n) -> n.startsWith("lab-aeron-mp-"));
        if (list != null)
        {
            names.addAll(List.of(list));
        }
        return names;
    }

    static void assertClean(final Set<String> dirsBefore)
    {
        final long alive = ProcessHandle.current().children().filter(ProcessHandle::isAlive)
            .filter(p -> p.info().commandLine().orElse("").contains(NodeCommand.class.getName())).count();
        assertEquals(0, alive, "node processes left running");
        final Set<String> left = aeronDirs();
        left.removeAll(dirsBefore);
        assertEquals(Set.of(), left, "Aeron directories left in /dev/shm");
    }
}
