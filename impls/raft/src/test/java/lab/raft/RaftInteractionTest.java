package lab.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import lab.harness.sim.InteractionScript;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Raft's interaction scripts, {@code src/test/resources/testdata/*.txt} (see {@link InteractionScript}; rewrite
 * the expected output with {@code -Dlab.rewrite=true}).
 */
class RaftInteractionTest
{
    private static final Path TESTDATA = Path.of("src/test/resources/testdata");

    static Stream<String> scripts() throws IOException
    {
        try (Stream<Path> files = Files.list(TESTDATA))
        {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void script(final String name)
    {
        InteractionScript.run(TESTDATA.resolve(name), RaftFactory::new);
    }
}
