package dev.geminibot.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one entry point: {@code java -jar bench/target/benchmarks.jar [--quick|--full|MODE ...]}.
 * See docs/BENCHMARKS.md for what each mode measures.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        String mode = rest.isEmpty() ? "--quick" : rest.remove(0);
        switch (mode) {
            case "staleness" -> StalenessRun.runAll(System.out, intOption(rest, "--deltas", 240), 42);
            case "jmh" -> JmhRun.run(System.out, rest.contains("--full"));
            case "scale" -> ScaleRun.runAll(System.out, sizes(rest), intOption(rest, "--deltas", 240),
                    intOption(rest, "--period", 25));
            case "gemini-server" -> PacedGeminiServer.serveUntilStdinCloses();
            case "jmh-raw" -> org.openjdk.jmh.Main.main(rest.toArray(String[]::new));
            default -> {
                System.err.println("usage: benchmarks.jar [--quick | --full | staleness]");
                System.exit(2);
            }
        }
    }

    static List<Integer> sizes(List<String> args) {
        int at = args.indexOf("--n");
        String list = at >= 0 && at + 1 < args.size() ? args.get(at + 1) : "100,1000";
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    static int intOption(List<String> args, String name, int fallback) {
        int at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? Integer.parseInt(args.get(at + 1)) : fallback;
    }
}
