package dev.geminibot.core.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.testing.RecordingSink;
import dev.geminibot.core.testing.RecordingSink.Call;
import dev.geminibot.core.testing.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Many seeded random answers through a random, flaky, slow platform. Each must keep the invariants of a
 * streaming reply. On failure the message names the seed; rerun one with {@code -Dreply.seed=N}.
 */
class StreamingReplyPropertyTest {

    private static final int SCENARIOS = 400;
    private static final String[] FOOTERS = {null, "⏹ stopped", "⚠ Gemini is overloaded, try again in a minute"};

    @Test
    void invariantsHoldForRandomScenarios() {
        String only = System.getProperty("reply.seed");
        if (only != null) {
            runScenario(Long.parseLong(only));
            return;
        }
        long scenarios = Long.getLong("reply.scenarios", SCENARIOS);
        for (long seed = 1; seed <= scenarios; seed++) {
            runScenario(seed);
        }
    }

    private static void runScenario(long seed) {
        try {
            scenario(seed);
        } catch (AssertionError | RuntimeException e) {
            String trace = lastSink == null ? "" : String.join("\n", debug(lastSink.calls()));
            throw new AssertionError("scenario seed " + seed + " (rerun with -Dreply.seed=" + seed + "): "
                    + e.getMessage() + "\ncalls:\n" + trace, e);
        }
    }

    /** An answer the generator wrote, and the code fence it left open at the end (null if none). */
    private record Answer(String text, boolean fenceOpen) {
    }

    private static RecordingSink lastSink;

    private static void scenario(long seed) {
        Random random = new Random(seed);
        VirtualScheduler clock = new VirtualScheduler();
        int maxLength = 60 + random.nextInt(1941);
        Duration interval = Duration.ofMillis(100 + random.nextInt(1400));
        int maxLatency = random.nextInt(1500);
        double failureRate = random.nextDouble() * 0.3;
        int[] consecutiveFailures = {0};
        RecordingSink sink = new RecordingSink(clock)
                .maxLength(maxLength)
                .latency(r -> Duration.ofMillis(random.nextInt(4) == 0 ? 0 : random.nextInt(maxLatency + 1)))
                .failures(r -> {
                    // Never more than two failures in a row, so every final edit lands within its attempts.
                    if (consecutiveFailures[0] >= 2 || random.nextDouble() >= failureRate) {
                        consecutiveFailures[0] = 0;
                        return null;
                    }
                    consecutiveFailures[0]++;
                    return random.nextBoolean()
                            ? PlatformException.rateLimited(Duration.ofMillis(100 + random.nextInt(3000)))
                            : new PlatformException(PlatformException.Kind.TRANSIENT, "502 Bad Gateway");
                });
        lastSink = sink;
        ReplyOptions options = new ReplyOptions(interval, "▌", "Thinking…", Duration.ofMinutes(5), 8);
        EditPacer pacer = EditPacer.NONE;
        if (random.nextBoolean()) { // share a (tight) bucket, as answers in one busy channel do
            sink.rateLimitKey("channel");
            pacer = new TokenBucketPacer(clock, 1 + random.nextInt(5), Duration.ofMillis(500 + random.nextInt(6000)));
        }
        StreamingReply reply = new StreamingReply(sink, options, clock, pacer);

        boolean placeholder = random.nextBoolean();
        if (placeholder) {
            reply.thinking();
            clock.advance(Duration.ofMillis(random.nextInt(3000)));
        }
        Answer answer = random.nextInt(20) == 0 ? new Answer("", false) : answer(random);
        String text = answer.text();
        int i = 0;
        String firstChunk = null;
        while (i < text.length()) {
            int codePoints = 1 + random.nextInt(random.nextBoolean() ? 5 : 40);
            int end = i;
            for (int k = 0; k < codePoints && end < text.length(); k++) {
                end = text.offsetByCodePoints(end, 1);
            }
            if (firstChunk == null) {
                firstChunk = text.substring(i, end);
            }
            reply.append(text.substring(i, end));
            i = end;
            clock.advance(Duration.ofMillis(random.nextInt(random.nextInt(10) == 0 ? 2000 : 120)));
        }
        String footer = FOOTERS[random.nextInt(FOOTERS.length)];
        Instant finishedAt = clock.now();
        CompletableFuture<ReplyResult> future = reply.finish(footer);
        clock.runUntilIdle();
        assertThat(future).as("finish completes").isDone();
        ReplyResult result = future.join();

        String expected = expected(answer, footer);
        List<Call> calls = sink.calls();
        assertThat(sink.violations()).as("platform violations").isEmpty();
        assertThat(result.gone()).isFalse();
        assertThat(result.shownText()).as("shown text").isEqualTo(expected);
        assertThat(reply.text()).isEqualTo(text);

        // Spacing: one call at a time; intermediate calls start an interval apart, except the placeholder
        // and the first text, which go at once (retried only after a 429 pause).
        int firstText = 0;
        while (firstText < calls.size() && calls.get(firstText).text().equals("Thinking…")) {
            firstText++;
        }
        Call lastSpaced = calls.isEmpty() ? null : calls.get(0);
        for (int k = 1; k < calls.size(); k++) {
            Call previous = calls.get(k - 1);
            Call call = calls.get(k);
            assertThat(call.start()).as("call %s starts after call %s ended", call.index(), previous.index())
                    .isAfterOrEqualTo(previous.end());
            // A full message's sealing edit follows its continuation's post in the same beat (it adds no
            // text); the interval counts between the calls that carry new text.
            boolean sealingEdit = !call.live() && call.kind() == RecordingSink.Kind.EDIT;
            if (sealingEdit) {
                continue;
            }
            if (call.start().isBefore(finishedAt) && k > firstText) {
                assertThat(Duration.between(lastSpaced.start(), call.start()))
                        .as("spacing before call %s", call.index()).isGreaterThanOrEqualTo(interval);
            }
            lastSpaced = call;
        }

        // The first delta at once: the first text shown holds the whole first delta (where it is plain
        // words, which no healing holds back), not just the words before its last space.
        if (firstChunk != null && firstChunk.strip().matches("[\\p{L} ]+") && firstChunk.length() < maxLength / 2) {
            MessageRef firstMessage = sink.messages().get(0);
            Call firstShown = calls.stream().filter(c -> c.succeeded() && !c.text().equals("Thinking…")
                    && firstMessage.equals(c.message())).findFirst().orElseThrow();
            assertThat(firstShown.text()).as("first text shows the whole first delta").contains(firstChunk.strip());
        }

        // Text never vanishes at a split: a message's sealing (shorter) edit starts only after the next
        // message was posted, so the user never sees less than before.
        List<MessageRef> messages = sink.messages();
        for (Call call : calls) {
            int at = call.message() == null ? -1 : messages.indexOf(call.message());
            if (call.kind() != RecordingSink.Kind.EDIT || call.live() || at < 0 || at == messages.size() - 1) {
                continue;
            }
            MessageRef next = messages.get(at + 1);
            boolean nextPosted = calls.stream().anyMatch(c -> c.kind() == RecordingSink.Kind.POST && c.succeeded()
                    && next.equals(c.message()) && !c.end().isAfter(call.start()));
            assertThat(nextPosted).as("call %s seals %s before %s exists", call.index(), call.message(), next).isTrue();
        }

        // Finished parts never change; every message ends on its final text.
        Set<Object> finished = new HashSet<>();
        for (Call call : calls) {
            assertThat(finished).as("call %s touches a finished message", call.index())
                    .doesNotContain(call.message());
            if (call.succeeded() && !call.live()) {
                finished.add(call.message());
            }
            if (call.live() && call.succeeded() && !call.text().equals("Thinking…")) {
                assertThat(call.text()).as("intermediate text shows the cursor").contains("▌");
            }
        }
        assertThat(finished).as("every message was finished").containsAll(sink.messages());

        // The messages, joined, are the answer: exact, modulo the fence markers splitting adds.
        List<String> parts = sink.displayed();
        assertThat(reconstructs(parts, 0, expected, 0))
                .as("parts %s rebuild the answer %s", parts, expected).isTrue();

        // No backlog: about one call per interval while streaming, plus what splitting and failures need.
        long streamingIntervals = Duration.between(VirtualScheduler.EPOCH, finishedAt).toMillis()
                / interval.toMillis();
        assertThat((long) calls.size())
                .isLessThanOrEqualTo(streamingIntervals + 2L * parts.size() + result.failedCalls() + 3);
    }

    private static String expected(Answer answer, String footer) {
        String text = answer.text();
        if (text.isBlank()) {
            return footer != null ? footer : "(no answer)";
        }
        if (footer == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text);
        if (answer.fenceOpen()) {
            out.append(text.endsWith("\n") ? "```" : "\n```");
        }
        out.append(out.toString().endsWith("\n\n") ? "" : out.toString().endsWith("\n") ? "\n" : "\n\n");
        return out.append(footer).toString();
    }

    /**
     * True if {@code parts[index..]} rebuild {@code expected[position..]}: each part is the raw text, after a
     * reopened fence when the text at its start is inside code, and before a closing fence when its end is.
     */
    private static boolean reconstructs(List<String> parts, int index, String expected, int position) {
        if (index == parts.size()) {
            return position == expected.length();
        }
        String body = parts.get(index);
        String open = openFenceInfo(expected, position);
        if (open != null) {
            String header = "```" + open + "\n";
            if (!body.startsWith(header)) {
                return false;
            }
            body = body.substring(header.length());
        }
        if (expected.startsWith(body, position) && reconstructs(parts, index + 1, expected, position + body.length())) {
            return true;
        }
        if (body.endsWith("\n```")) {
            for (int strip : new int[] {3, 4}) {
                String raw = body.substring(0, body.length() - strip);
                boolean markerShape = strip == 3 ? raw.endsWith("\n") : !raw.endsWith("\n");
                if (markerShape && expected.startsWith(raw, position)
                        && openFenceInfo(expected, position + raw.length()) != null
                        && reconstructs(parts, index + 1, expected, position + raw.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The info string of the ``` fence open at {@code end} (complete lines only), or null. */
    private static String openFenceInfo(String text, int end) {
        String open = null;
        int lineStart = 0;
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                String line = text.substring(lineStart, i).strip();
                if (open == null && line.startsWith("```")) {
                    open = line.substring(3).strip();
                } else if (open != null && line.matches("`{3,}")) {
                    open = null;
                }
                lineStart = i + 1;
            }
        }
        return open;
    }

    private static final String[] WORDS = {"the", "stream", "edits", "a", "message", "while", "Gemini", "writes",
        "snake_case", "2 * 3", "x_1", "naïve", "café", "über"};
    private static final String[] EMOJI = {"😀", "🎉", "👍🏽", "👨‍👩‍👧‍👦", "🇯🇵", "❤️"};
    private static final String[] CJK = {"日本語のテキスト", "中文没有空格所以每个字都可以分割", "한국어 문장"};
    private static final String[] LANGUAGES = {"python", "java", "", "js"};

    /** A random answer mixing prose, Markdown, code fences, tables, emoji and CJK. */
    private static Answer answer(Random random) {
        StringBuilder out = new StringBuilder();
        int target = 50 + random.nextInt(random.nextInt(4) == 0 ? 8000 : 2500);
        boolean fenceOpen = false;
        while (out.length() < target) {
            int kind = random.nextInt(14);
            switch (kind) {
                case 0, 1, 2, 3 -> {
                    int words = 1 + random.nextInt(12);
                    for (int w = 0; w < words; w++) {
                        out.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
                    }
                }
                case 4 -> out.append(". ");
                case 5 -> out.append(random.nextBoolean() ? "\n" : "\n\n");
                case 6 -> out.append(EMOJI[random.nextInt(EMOJI.length)]).append(random.nextBoolean() ? " " : "");
                case 7 -> out.append(CJK[random.nextInt(CJK.length)]).append(random.nextBoolean() ? "。" : "");
                case 8 -> out.append(switch (random.nextInt(5)) {
                    case 0 -> "**bold words** ";
                    case 1 -> "*italic* ";
                    case 2 -> "`inline code` ";
                    case 3 -> "~~struck~~ ";
                    default -> "a dangling ** marker ";
                });
                case 9, 10 -> {
                    ensureLineStart(out);
                    out.append("```").append(LANGUAGES[random.nextInt(LANGUAGES.length)]).append('\n');
                    int lines = 1 + random.nextInt(random.nextInt(5) == 0 ? 80 : 10);
                    for (int l = 0; l < lines; l++) {
                        out.append("    value_").append(l).append(" = compute(**args) * ").append(l).append('\n');
                    }
                    if (out.length() < target || random.nextBoolean()) {
                        out.append("```\n");
                    } else {
                        fenceOpen = true;
                        return new Answer(out.toString(), true);
                    }
                }
                case 11 -> {
                    ensureLineStart(out);
                    out.append("| name | value |\n|---|---|\n| a | 1 |\n| b | 2 |\n");
                }
                case 12 -> out.append("x".repeat(1 + random.nextInt(150))).append(' ');
                default -> out.append("- item ").append(random.nextInt(100)).append('\n');
            }
        }
        return new Answer(out.toString(), fenceOpen);
    }

    private static void ensureLineStart(StringBuilder out) {
        if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
    }

    @Test
    void reconstructionCatchesLoss() {
        // The checker itself must be able to fail.
        assertThat(reconstructs(List.of("abc", "def"), 0, "abcdef", 0)).isTrue();
        assertThat(reconstructs(List.of("abc", "df"), 0, "abcdef", 0)).isFalse();
        assertThat(reconstructs(List.of("```py\nx\n```", "```py\ny\n```\n"), 0, "```py\nx\ny\n```\n", 0)).isTrue();
        assertThat(reconstructs(List.of("```py\nx\n```", "y\n```\n"), 0, "```py\nx\ny\n```\n", 0)).isFalse();
    }

    private static String offset(Instant instant) {
        return instant == null ? "-" : String.valueOf(Duration.between(VirtualScheduler.EPOCH, instant).toMillis());
    }

    private static List<String> debug(List<Call> calls) {
        List<String> out = new ArrayList<>();
        for (Call call : calls) {
            out.add(call.index() + " " + call.kind() + " " + call.message() + " live=" + call.live() + " "
                    + offset(call.start()) + ".." + offset(call.end()) + " " + (call.failure() == null ? "" : call.failure().kind())
                    + " " + call.text().replace("\n", "\\n"));
        }
        return out;
    }
}
