package lab.harness.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import lab.core.ProtocolFactory;

/**
 * Data-driven interaction tests, as etcd's raft keeps them in {@code testdata/*.txt} (cockroachdb's datadriven
 * format): a script of commands, each followed by {@code ----} and the output it must print, ended by a blank line.
 * Lines starting with {@code #} are comments, and so is anything after {@code " #"} on a command line. The commands
 * are {@link Interactions}'; the output is the messages they made the nodes send, printed.
 *
 * <pre>
 * new replicas=3 raft-election-timeout=100ms
 * ----
 * replicas 0..2, clients 3..3
 *
 * tick node=0        # node 0 stands at once
 * ----
 * 0 -> 1 PreVote term=1 last=0/0 depth=1
 * 0 -> 2 PreVote term=1 last=0/0 depth=1
 * </pre>
 *
 * <p>With {@code -Dlab.rewrite=true} the expected blocks are rewritten with what the code prints (etcd's
 * {@code -rewrite}): for a new script, or after a deliberate change of behaviour; read the diff before committing
 * it, since it is the behaviour the test will pin. An empty output prints as {@code ok}.
 */
public final class InteractionScript
{
    private static final String SEPARATOR = "----";
    private static final String EMPTY = "ok";

    private InteractionScript()
    {
    }

    /**
     * Runs a script against fresh replicas of {@code factory}; rewrites it instead when {@code lab.rewrite} is set.
     *
     * @throws AssertionError at the first command whose output differs from its expected block.
     */
    public static void run(final Path file, final Supplier<ProtocolFactory> factory)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final boolean rewrite = Boolean.getBoolean("lab.rewrite");
        final Interactions interactions = new Interactions(factory.get());
        final List<String> rewritten = new ArrayList<>();
        int i = 0;
        while (i < lines.size())
        {
            final String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#"))
            {
                rewritten.add(line);
                i++;
                continue;
            }
            final int commandLine = i + 1;
            i++;
            final List<String> expected = new ArrayList<>();
            if (i < lines.size() && lines.get(i).equals(SEPARATOR))
            {
                i++;
                while (i < lines.size() && !lines.get(i).isBlank())
                {
                    expected.add(lines.get(i++));
                }
                if (i < lines.size())
                {
                    i++; // the blank line that ends the block
                }
            }
            else if (rewrite)
            {
                if (i < lines.size() && lines.get(i).isBlank())
                {
                    i++; // a new command's blank line: the block written below ends with one
                }
            }
            else
            {
                throw new AssertionError(file + ":" + commandLine + ": '" + line + "' has no " + SEPARATOR +
                    " block (run with -Dlab.rewrite=true to write it)");
            }
            List<String> actual;
            try
            {
                actual = execute(line, interactions);
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError(file + ":" + commandLine + ": '" + line + "' failed: " + ex, ex);
            }
            if (actual.isEmpty())
            {
                actual = List.of(EMPTY);
            }
            if (!rewrite && !actual.equals(expected))
            {
                throw new AssertionError(file + ":" + commandLine + ": " + line + "\nexpected:\n  " +
                    String.join("\n  ", expected) + "\nbut printed:\n  " + String.join("\n  ", actual) +
                    "\n(run with -Dlab.rewrite=true to accept what it printed)");
            }
            rewritten.add(line);
            rewritten.add(SEPARATOR);
            rewritten.addAll(actual);
            rewritten.add("");
        }
        if (rewrite)
        {
            while (!rewritten.isEmpty() && rewritten.get(rewritten.size() - 1).isBlank())
            {
                rewritten.remove(rewritten.size() - 1);
            }
            try
            {
                Files.write(file, rewritten, StandardCharsets.UTF_8);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private static List<String> execute(final String line, final Interactions interactions)
    {
        final int comment = line.indexOf(" #");
        final String[] words = (comment >= 0 ? line.substring(0, comment) : line).trim().split("\\s+");
        final Map<String, String> args = new LinkedHashMap<>();
        for (int w = 1; w < words.length; w++)
        {
            final int eq = words[w].indexOf('=');
            if (eq <= 0)
            {
                throw new IllegalArgumentException("argument '" + words[w] + "' is not key=value");
            }
            args.put(words[w].substring(0, eq), words[w].substring(eq + 1));
        }
        return interactions.run(words[0], args);
    }
}
