package lab.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness's packages form layers: no package may depend, directly or through others, on one that depends on
 * it (e.g. {@code workload} uses {@code metrics}, so {@code metrics} never uses {@code workload}; {@code multiprocess}
 * uses {@code cluster}, never the other way). Read from the sources (imports and fully qualified names outside
 * comments), so no library is needed; a cycle fails with the packages and the files that close it.
 */
class PackageCyclesTest
{
    private static final Path ROOT = Paths.get("src/main/java/lab/harness");
    private static final Pattern REFERENCE = Pattern.compile("\\blab\\.harness\\.((?:[a-z][a-z0-9_]*\\.)*)[A-Z]");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void harnessPackagesHaveNoCycles() throws IOException
    {
        final Map<String, Map<String, Set<String>>> graph = dependencies();
        assertTrue(graph.size() > 5, "found the harness packages under " + ROOT.toAbsolutePath());
        final List<String> cycles = cycles(graph);
        assertEquals(List.of(), cycles, "package cycles in the harness");
    }

    @Test
    void findsACycle()
    {
        final Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        graph.computeIfAbsent("a", k -> new TreeMap<>()).put("b", Set.of("a/A.java"));
        graph.computeIfAbsent("b", k -> new TreeMap<>()).put("c", Set.of("b/B.java"));
        graph.computeIfAbsent("c", k -> new TreeMap<>()).put("a", Set.of("c/C.java"));
        graph.computeIfAbsent("d", k -> new TreeMap<>()).put("a", Set.of("d/D.java"));
        assertEquals(List.of("a -> b (a/A.java) -> c (b/B.java) -> a (c/C.java)"), cycles(graph));
    }

    /**
     * @return per package (relative to lab.harness, dotted), the packages it uses and the files that use each.
     */
    private static Map<String, Map<String, Set<String>>> dependencies() throws IOException
    {
        final Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT))
        {
            for (final Path file : (Iterable<Path>)files.filter(p -> p.toString().endsWith(".java"))::iterator)
            {
                final Path dir = ROOT.relativize(file.getParent());
                final String from = dir.toString().replace(java.io.File.separatorChar, '.');
                final Map<String, Set<String>> uses = graph.computeIfAbsent(from, k -> new TreeMap<>());
                final String code = COMMENTS.matcher(Files.readString(file)).replaceAll(" ");
                final Matcher m = REFERENCE.matcher(code);
                while (m.find())
                {
                    final String to = m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1);
                    if (!to.equals(from) && !to.isEmpty())
                    {
                        uses.computeIfAbsent(to, k -> new TreeSet<>()).add(ROOT.relativize(file).toString());
                    }
                }
            }
        }
        return graph;
    }

    /**
     * @return one line per package that lies on a cycle, the first found from it (depth first, in name order).
     */
    private static List<String> cycles(final Map<String, Map<String, Set<String>>> graph)
    {
        final List<String> found = new ArrayList<>();
        final Set<String> onCycle = new TreeSet<>();
        for (final String start : graph.keySet())
        {
            if (onCycle.contains(start))
            {
                continue;
            }
            final List<String> path = pathBack(graph, start);
            if (path != null)
            {
                onCycle.addAll(path);
                final StringBuilder line = new StringBuilder(start);
                for (int i = 1; i < path.size(); i++)
                {
                    line.append(" -> ").append(path.get(i)).append(" (")
                        .append(String.join(", ", graph.get(path.get(i - 1)).get(path.get(i)))).append(')');
                }
                found.add(line.toString());
            }
        }
        return found;
    }

    /**
     * @return a path start, ..., start through the dependency graph, or null.
     */
    private static List<String> pathBack(final Map<String, Map<String, Set<String>>> graph, final String start)
    {
        final Map<String, String> parent = new TreeMap<>();
        final Deque<String> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty())
        {
            final String at = queue.poll();
            for (final String next : graph.getOrDefault(at, Map.of()).keySet())
            {
                if (next.equals(start))
                {
                    final List<String> path = new ArrayList<>();
                    path.add(start);
                    for (String p = at; !p.equals(start); p = parent.get(p))
                    {
                        path.add(1, p);
                    }
                    path.add(start);
                    return path;
                }
                if (!parent.containsKey(next))
                {
                    parent.put(next, at);
                    queue.add(next);
                }
            }
        }
        return null;
    }
}
