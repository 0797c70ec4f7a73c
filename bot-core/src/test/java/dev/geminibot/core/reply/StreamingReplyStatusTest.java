package dev.geminibot.core.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.media.SourcesLine;
import dev.geminibot.core.model.Source;
import dev.geminibot.core.testing.RecordingSink;
import dev.geminibot.core.testing.RecordingSink.Call;
import dev.geminibot.core.testing.RecordingSink.Kind;
import dev.geminibot.core.testing.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Tool progress in the placeholder, and a Sources footer split like any text. */
class StreamingReplyStatusTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final VirtualScheduler clock = new VirtualScheduler();
    private final RecordingSink sink = new RecordingSink(clock);

    private StreamingReply reply() {
        return new StreamingReply(sink, ReplyOptions.defaults(INTERVAL), clock, EditPacer.NONE);
    }

    @Test
    void aStatusIsPostedAtOnceChangedWithinTheIntervalAndReplacedByTheFirstWords() {
        StreamingReply reply = reply();
        reply.status("🔎 Searching…");
        assertThat(sink.calls()).extracting(Call::kind, Call::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Kind.POST, "🔎 Searching…"));

        reply.status("⚙ Running code…");
        assertThat(sink.calls()).as("a status change waits for the interval").hasSize(1);
        clock.advance(INTERVAL);
        assertThat(sink.calls()).hasSize(2);
        assertThat(sink.calls().get(1).kind()).isEqualTo(Kind.EDIT);
        assertThat(sink.calls().get(1).text()).isEqualTo("⚙ Running code…");
        assertThat(sink.calls().get(1).start()).isEqualTo(VirtualScheduler.EPOCH.plus(INTERVAL));

        reply.append("The answer is ");
        reply.status("🔎 Searching…"); // too late: text is shown
        reply.finish(null);
        clock.runUntilIdle();
        assertThat(sink.displayed()).containsExactly("The answer is ");
        assertThat(sink.calls()).extracting(Call::text).doesNotContain("🔎 Searching…▌")
                .filteredOn(t -> t.startsWith("🔎")).hasSize(1);
        assertThat(sink.violations()).isEmpty();
    }

    @Test
    void sourcesAfterALongAnswerWithAnOpenCodeBlockAreSplitBetweenLinksNeverInsideOneOrInsideCode() {
        sink.maxLength(2000);
        StreamingReply reply = reply();
        StringBuilder answer = new StringBuilder("Here is the code:\n\n```java\n");
        for (int i = 0; answer.length() < 2600; i++) {
            answer.append("int value").append(i).append(" = ").append(i).append(";\n");
        }
        reply.append(answer.toString()); // the model stopped inside the block
        List<Source> sources = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sources.add(new Source("https://vertexaisearch.cloud.google.com/grounding-api-redirect/" + "Q".repeat(200) + i,
                    "Result page " + i));
        }
        reply.finish(SourcesLine.of(sources));
        clock.runUntilIdle();

        List<String> messages = sink.displayed();
        assertThat(messages.size()).isGreaterThanOrEqualTo(2);
        assertThat(messages).allSatisfy(m -> assertThat(m.length()).isLessThanOrEqualTo(2000));
        Pattern link = Pattern.compile("\\d\\. \\[Result page (\\d)\\]\\(<https://[^>]+>\\)");
        List<String> found = new ArrayList<>();
        for (String message : messages) {
            assertThat(count(message, "```") % 2).as("fences balanced in %s", message).isZero();
            Matcher m = link.matcher(message);
            while (m.find()) {
                found.add(m.group(1));
            }
            // A source line is only ever whole, and never inside a code block.
            for (String line : message.lines().toList()) {
                if (line.contains("Result page")) {
                    assertThat(line).matches(link.pattern());
                    assertThat(count(message.substring(0, message.indexOf(line)), "```") % 2).isZero();
                }
            }
        }
        assertThat(found).containsExactly("0", "1", "2", "3", "4", "5", "6", "7");
        assertThat(sink.violations()).isEmpty();
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
