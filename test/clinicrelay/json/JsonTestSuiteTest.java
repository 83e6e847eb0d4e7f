package clinicrelay.json;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Walks JSONTestSuite's test_parsing folder (vendored under test/data, MIT licence):
 * every y_ case must parse, every n_ case must be rejected, every i_ case must end
 * quickly one way or the other, without any exception but JsonException.
 */
class JsonTestSuiteTest {
    private static final Path SUITE = Path.of("test/data/JSONTestSuite/test_parsing");

    private static List<Path> cases(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(SUITE)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted().collect(Collectors.toList());
        }
    }

    @Test
    void suiteIsPresentAndComplete() throws IOException {
        assertTrue(cases("y_").size() >= 95, "y_ cases missing");
        assertTrue(cases("n_").size() >= 188, "n_ cases missing");
        assertTrue(cases("i_").size() >= 35, "i_ cases missing");
    }

    @TestFactory
    Stream<DynamicTest> acceptsEveryYCase() throws IOException {
        return cases("y_").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            byte[] bytes = Files.readAllBytes(file);
            try {
                Json.parse(bytes);
            } catch (JsonException e) {
                fail("rejected valid JSON: " + e.getMessage());
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> rejectsEveryNCase() throws IOException {
        return cases("n_").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            byte[] bytes = Files.readAllBytes(file);
            assertThrows(JsonException.class, () -> Json.parse(bytes));
        }));
    }

    @TestFactory
    Stream<DynamicTest> survivesEveryICase() throws IOException {
        return cases("i_").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            byte[] bytes = Files.readAllBytes(file);
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                try {
                    Json.parse(bytes);
                } catch (JsonException acceptableRejection) {
                    // Implementation-defined: rejecting is as fine as accepting.
                }
            });
        }));
    }
}
