package lab.harness.report.html;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Finds and reads the runs the report is asked for.
 * <ul>
 * <li>a results folder: its {@code run-*.json} files (one contract each, in name order); where it has none, its
 * {@code run.json} ({@code {environment, runs: [contract...]}}); where it has neither, the same for each folder below
 * it (so {@code results/} reports everything in it);</li>
 * <li>a file: a {@code run.json} (its "runs") or a single contract ({@code run-*.json}, {@code lab run --json}).</li>
 * </ul>
 * A run given twice (a folder and its run.json, or run-x.json and run.json) is reported once.
 */
final class RunLoader
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DEPTH = 6;

    private RunLoader()
    {
    }

    static List<ReportRun> load(final List<Path> inputs)
    {
        final List<ReportRun> runs = new ArrayList<>();
        final Set<JsonNode> seen = new HashSet<>();
        for (final Path input : inputs)
        {
            if (!Files.exists(input))
            {
                throw new IllegalArgumentException("no such file or folder: " + input);
            }
            final List<ReportRun> found = new ArrayList<>();
            if (Files.isDirectory(input))
            {
                folder(input, 0, found);
                if (found.isEmpty())
                {
                    throw new IllegalArgumentException("no run-*.json or run.json under " + input);
                }
            }
            else
            {
                file(input, found, true);
            }
            for (final ReportRun r : found)
            {
                if (seen.add(r.json))
                {
                    runs.add(r);
                }
            }
        }
        if (runs.isEmpty())
        {
            throw new IllegalArgumentException("no runs to report in " + inputs);
        }
        return runs;
    }

    /**
     * @return whether the folder holds runs to report (a folder of lab detectors alone does not).
     */
    static boolean hasRunFiles(final Path dir)
    {
        final List<ReportRun> found = new ArrayList<>();
        folder(dir, 0, found);
        return !found.isEmpty();
    }

    private static void folder(final Path dir, final int depth, final List<ReportRun> out)
    {
        final List<Path> runFiles = list(dir, p -> Files.isRegularFile(p) && isRunFile(p.getFileName().toString()));
        if (!runFiles.isEmpty())
        {
            for (final Path f : runFiles)
            {
                file(f, out, false);
            }
            return;
        }
        final Path runJson = dir.resolve("run.json");
        if (Files.isRegularFile(runJson))
        {
            file(runJson, out, false);
            return;
        }
        if (depth < MAX_DEPTH)
        {
            for (final Path sub : list(dir, Files::isDirectory))
            {
                if (!sub.getFileName().toString().startsWith("."))
                {
                    folder(sub, depth + 1, out);
                }
            }
        }
    }

    static boolean isRunFile(final String name)
    {
        return name.startsWith("run-") && name.endsWith(".json");
    }

    private static List<Path> list(final Path dir, final java.util.function.Predicate<Path> filter)
    {
        try (Stream<Path> s = Files.list(dir))
        {
            return s.filter(filter).sorted((a, b) -> natural(a.getFileName().toString(), b.getFileName().toString()))
                .toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir, ex);
        }
    }

    /**
     * Name order with numbers compared by value: run-raft-o4.json before run-raft-o16.json.
     */
    static int natural(final String a, final String b)
    {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length())
        {
            final char ca = a.charAt(i);
            final char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb))
            {
                int ei = i;
                int ej = j;
                while (ei < a.length() && Character.isDigit(a.charAt(ei)))
                {
                    ei++;
                }
                while (ej < b.length() && Character.isDigit(b.charAt(ej)))
                {
                    ej++;
                }
                final java.math.BigInteger na = new java.math.BigInteger(a.substring(i, ei));
                final java.math.BigInteger nb = new java.math.BigInteger(b.substring(j, ej));
                final int c = na.compareTo(nb);
                if (c != 0)
                {
                    return c;
                }
                i = ei;
                j = ej;
            }
            else
            {
                if (ca != cb)
                {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        final int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    private static void file(final Path file, final List<ReportRun> out, final boolean explicit)
    {
        final JsonNode root;
        try
        {
            root = JSON.readTree(file.toFile());
        }
        catch (final com.fasterxml.jackson.core.JsonProcessingException ex)
        {
            final String where = ex.getLocation() == null ? "" :
                " (line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() + ")";
            throw new IllegalArgumentException("cannot read " + file + " as JSON" + where + ": " +
                String.valueOf(ex.getOriginalMessage()).replaceAll("\\s*\\R\\s*", " "), ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        if (root == null || !root.isObject())
        {
            throw new IllegalArgumentException(file + " is not a results file (a JSON object expected)");
        }
        if (root.path("runs").isArray())
        {
            for (final JsonNode run : root.path("runs"))
            {
                if (isContract(run))
                {
                    checkTypes(run, file);
                    out.add(new ReportRun(withEnvironment(run, root.path("environment")), file));
                }
            }
        }
        else if (isContract(root))
        {
            checkTypes(root, file);
            out.add(new ReportRun(root, file));
        }
        else if (explicit)
        {
            throw new IllegalArgumentException(file + " is neither a run contract (protocol, ops) nor a run.json (runs)");
        }
    }

    private static boolean isContract(final JsonNode n)
    {
        return n.isObject() && n.has("ops") && (n.has("protocol") || n.path("config").has("protocol"));
    }

    /**
     * A contract whose fields have the wrong types (ops not an object, a count that is a string, ...) is bad input,
     * not a run with nothing to draw: missing fields are fine, wrong ones are named.
     */
    private static void checkTypes(final JsonNode run, final Path file)
    {
        expect(run, "", "ops", JsonNode::isObject, "an object", file);
        for (final String type : new String[]{"read", "write"})
        {
            final JsonNode op = run.path("ops").path(type);
            if (op.isMissingNode())
            {
                continue;
            }
            expect(run.path("ops"), "ops.", type, JsonNode::isObject, "an object", file);
            for (final String field : new String[]{"count", "throughput", "timeouts"})
            {
                expect(op, "ops." + type + ".", field, JsonNode::isNumber, "a number", file);
            }
            for (final String field : new String[]{"latency_us", "hops"})
            {
                expect(op, "ops." + type + ".", field, JsonNode::isObject, "an object", file);
            }
            final java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = op.path("latency_us").fields();
            while (it.hasNext())
            {
                final java.util.Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNumber() && !e.getValue().isNull())
                {
                    throw new IllegalArgumentException(file + ": ops." + type + ".latency_us." + e.getKey() +
                        " must be a number, got " + brief(e.getValue()));
                }
            }
        }
        expect(run, "", "protocol", JsonNode::isTextual, "a string", file);
        expect(run, "", "config", JsonNode::isObject, "an object", file);
        expect(run, "", "environment", JsonNode::isObject, "an object", file);
        expect(run, "", "timeline", JsonNode::isArray, "an array", file);
    }

    private static void expect(final JsonNode parent, final String prefix, final String field,
        final java.util.function.Predicate<JsonNode> ok, final String what, final Path file)
    {
        final JsonNode value = parent.get(field);
        if (value != null && !value.isNull() && !ok.test(value))
        {
            throw new IllegalArgumentException(
                file + ": " + prefix + field + " must be " + what + ", got " + brief(value));
        }
    }

    private static String brief(final JsonNode value)
    {
        final String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private static JsonNode withEnvironment(final JsonNode run, final JsonNode environment)
    {
        if (run.has("environment") || environment.isMissingNode())
        {
            return run;
        }
        final com.fasterxml.jackson.databind.node.ObjectNode copy = run.deepCopy();
        copy.set("environment", environment);
        return copy;
    }
}
