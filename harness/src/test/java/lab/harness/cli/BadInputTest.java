package lab.harness.cli;

import lab.harness.cli.LabCli.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static lab.harness.cli.LabCli.lab;
import static lab.harness.cli.LabCli.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lab check} and {@code lab report} on input they cannot use: one line on stderr that says what is wrong and
 * where, exit code 2, no stack trace.
 */
class BadInputTest
{
    private static final String OK_LINE =
        "{\"process\":3,\"kind\":\"WRITE\",\"key\":5,\"value\":7,\"invokeNs\":100,\"completeNs\":250," +
        "\"outcome\":\"OK\"}";
    private static final String CONTRACT =
        "{\"protocol\":\"raft\",\"ops\":{\"write\":{\"count\":10,\"throughput\":5}}}";

    @TempDir
    Path dir;

    private Path file(final String name, final String text) throws IOException
    {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private Path bytes(final String name, final byte[] content) throws IOException
    {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void checkShouldJudgeAWellFormedHistory() throws IOException
    {
        final Path good = file("good.jsonl", OK_LINE + "\n");
        final Outcome ok = lab("check", good.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().startsWith("LINEARIZABLE: 1 operations"), ok.out());

        final Path bad = file("bad.jsonl", OK_LINE + "\n" + OK_LINE.replace("\"WRITE\"", "\"READ\"")
            .replace("\"value\":7", "\"value\":9").replace("100", "300").replace("250", "400") + "\n");
        final Outcome notLinearizable = lab("check", bad.toString());
        assertEquals(1, notLinearizable.code(), notLinearizable.err());
        assertTrue(notLinearizable.out().startsWith("NOT_LINEARIZABLE"), notLinearizable.out());
    }

    @Test
    void checkShouldRejectAMissingFile()
    {
        assertBadInput("no such file", "check", dir.resolve("missing.jsonl").toString());
    }

    @Test
    void checkShouldRejectAFolder()
    {
        assertBadInput("is a folder, not a history file", "check", dir.toString());
    }

    @Test
    void checkShouldRejectAnEmptyFile() throws IOException
    {
        assertBadInput("holds no operations", "check", file("empty.jsonl", "").toString());
        assertBadInput("holds no operations", "check", file("blank.jsonl", "\n  \n").toString());
    }

    @Test
    void checkShouldNameTheLineOfATruncatedJsonLine() throws IOException
    {
        final Path truncated = file("truncated.jsonl", OK_LINE + "\n" + OK_LINE.substring(0, 40));
        assertBadInput("truncated.jsonl:2: not JSON", "check", truncated.toString());
    }

    @Test
    void checkShouldRejectFieldsOfTheWrongType() throws IOException
    {
        assertBadInput("process is not a 64-bit integer: \"x\"", "check",
            file("process.jsonl", OK_LINE.replace("\"process\":3", "\"process\":\"x\"")).toString());
        assertBadInput("key is not a 64-bit integer: 5.5", "check",
            file("key.jsonl", OK_LINE.replace("\"key\":5", "\"key\":5.5")).toString());
        assertBadInput("value is not a 64-bit integer: \"abc\"", "check",
            file("value.jsonl", OK_LINE.replace("\"value\":7", "\"value\":\"abc\"")).toString());
        assertBadInput("kind must be READ|WRITE, got \"BOGUS\"", "check",
            file("kind.jsonl", OK_LINE.replace("WRITE", "BOGUS")).toString());
        assertBadInput("outcome must be OK|FAIL|INFO, got 1", "check",
            file("outcome.jsonl", OK_LINE.replace("\"OK\"", "1")).toString());
        assertBadInput("missing completeNs", "check",
            file("missing.jsonl", OK_LINE.replace(",\"completeNs\":250", "")).toString());
        assertBadInput("a JSON object expected, got array", "check", file("array.jsonl", "[1, 2]\n").toString());
        assertBadInput("completeNs 50 is before invokeNs 100", "check",
            file("backwards.jsonl", OK_LINE.replace("250", "50")).toString());
    }

    @Test
    void checkShouldRejectTrailingGarbageAndTextThatIsNotUtf8() throws IOException
    {
        assertBadInput("trailing.jsonl:1: not JSON", "check", file("trailing.jsonl", OK_LINE + " x\n").toString());
        assertBadInput("binary.jsonl:1: not UTF-8 text", "check",
            bytes("binary.jsonl", new byte[]{(byte)0xff, (byte)0xfe, 0, 'x', '\n'}).toString());
    }

    @Test
    void reportShouldRejectAMissingInput()
    {
        assertBadInput("no such file or folder", "report", dir.resolve("missing").toString());
    }

    @Test
    void reportShouldRejectAFolderWithoutRuns() throws IOException
    {
        final Path empty = Files.createDirectory(dir.resolve("empty"));
        assertBadInput("no run-*.json or run.json under", "report", empty.toString());
        final Path other = Files.createDirectories(dir.resolve("other/sub"));
        file("other/sub/notes.json", "{}");
        assertBadInput("no run-*.json or run.json under", "report", other.getParent().toString());
    }

    @Test
    void reportShouldRejectAnEmptyOrTruncatedFile() throws IOException
    {
        assertBadInput("is not a results file", "report", file("run-empty.json", "").toString(),
            "-o", dir.resolve("r.html").toString());
        assertBadInput("cannot read " + dir.resolve("run-cut.json") + " as JSON (line 1, column", "report",
            file("run-cut.json", CONTRACT.substring(0, 30)).toString(), "-o", dir.resolve("r.html").toString());
        assertBadInput("is not a results file", "report", file("run-array.json", "[1]").toString(),
            "-o", dir.resolve("r.html").toString());
    }

    @Test
    void reportShouldRejectFieldsOfTheWrongType() throws IOException
    {
        assertBadInput("ops must be an object, got \"x\"", "report",
            file("run-ops.json", "{\"protocol\":\"raft\",\"ops\":\"x\"}").toString(),
            "-o", dir.resolve("r.html").toString());
        assertBadInput("ops.write.count must be a number, got \"many\"", "report",
            file("run-count.json", CONTRACT.replace("10", "\"many\"")).toString(),
            "-o", dir.resolve("r.html").toString());
        final Path folder = Files.createDirectory(dir.resolve("results"));
        file("results/run-a.json", CONTRACT.replace("{\"count\":10,\"throughput\":5}", "[]"));
        assertBadInput("run-a.json: ops.write must be an object, got []", "report", folder.toString());
    }

    @Test
    void reportShouldRejectAnOutputItCannotWrite() throws IOException
    {
        final Path run = file("run-ok.json", CONTRACT);
        final Path blocker = file("blocker", "a file, not a folder");
        assertBadInput("cannot write", "report", run.toString(), "-o", blocker.resolve("r.html").toString());
    }
}
