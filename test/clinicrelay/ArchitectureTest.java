package clinicrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked from the sources: the package tree has no cycle,
 * configuration depends on nothing of the pipeline, no source file outgrows one head,
 * and the repository refers to nothing a maintainer does not have.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src", "clinicrelay");
    /** Past this a class does more than one job (the engine was 909 lines once). */
    private static final int SOURCE_LINES_MAX = 400;
    /** Packages configuration must never depend on: it is read before any of them exists. */
    private static final Set<String> PIPELINE = Set.of("http", "zocdoc", "ingest", "planning", "delivery", "channel",
            "twilio", "analytics", "dashboard", "metrics", "app", "cli");
    private static final Pattern REFERENCE = Pattern.compile("\\bclinicrelay\\.([a-z]+)\\.[A-Z]");

    /** Package → the other packages its sources name. */
    private static Map<String, Set<String>> dependencies() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the repository root: " + SOURCES.toAbsolutePath());
        Map<String, Set<String>> edges = new TreeMap<>();
        for (Path file : javaFiles(SOURCES)) {
            String pkg = SOURCES.relativize(file.getParent()).toString();
            Set<String> used = edges.computeIfAbsent(pkg, p -> new TreeSet<>());
            Matcher matcher = REFERENCE.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (matcher.find()) {
                if (!matcher.group(1).equals(pkg)) {
                    used.add(matcher.group(1));
                }
            }
        }
        return edges;
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        Map<String, Set<String>> edges = dependencies();
        for (String start : edges.keySet()) {
            List<String> cycle = pathBack(edges, start, start, new HashSet<>(), new ArrayList<>());
            assertEquals(List.of(), cycle, "a package import cycle through " + start);
        }
    }

    /** A path of dependencies from {@code at} back to {@code start}, or empty. */
    private static List<String> pathBack(Map<String, Set<String>> edges, String start, String at, Set<String> seen,
                                         List<String> path) {
        for (String next : edges.getOrDefault(at, Set.of())) {
            List<String> longer = new ArrayList<>(path);
            longer.add(next);
            if (next.equals(start)) {
                return longer;
            }
            if (seen.add(next)) {
                List<String> found = pathBack(edges, start, next, seen, longer);
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        return List.of();
    }

    @Test
    void configurationKnowsNothingOfThePipeline() throws IOException {
        Set<String> used = new TreeSet<>(dependencies().get("config"));
        used.retainAll(PIPELINE);
        assertEquals(Set.of(), used, "config depends on pipeline packages");
    }

    @Test
    void noSourceFileIsLongerThanOneHead() throws IOException {
        List<String> long_ = new ArrayList<>();
        for (Path file : javaFiles(SOURCES)) {
            long lines = Files.readAllLines(file, StandardCharsets.UTF_8).size();
            if (lines > SOURCE_LINES_MAX) {
                long_.add(file + " (" + lines + " lines)");
            }
        }
        assertEquals(List.of(), long_);
    }

    @Test
    void theRepositoryRefersToNothingAMaintainerDoesNotHave() throws IOException {
        Pattern outside = Pattern.compile("\\bSPEC\\b|\\bissue \\d|\\bresearch[/ §]|\\.\\./shared");
        List<String> found = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String root : List.of("src", "test", "bench", "docs", "deploy")) {
            try (Stream<Path> walk = Files.walk(Path.of(root))) {
                walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(Path.of("test", "data"))).forEach(files::add);
            }
        }
        files.add(Path.of("README.md"));
        files.add(Path.of("Makefile"));
        for (Path file : files) {
            if (file.toString().endsWith("ArchitectureTest.java")) {
                continue;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (outside.matcher(lines.get(i)).find()) {
                    found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
