package dev.geminibot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.PlatformException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chat.postMessage/chat.update sink against the fake Web API: what is sent, and how failures map. */
class ChatUpdateSinkTest {

    private FakeSlack slack;
    private ExecutorService executor;
    private ChatUpdateSink sink;
    private final List<PlatformException> postFailures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlack();
        executor = Executors.newVirtualThreadPerTaskExecutor();
        com.slack.api.SlackConfig config = new com.slack.api.SlackConfig();
        config.setMethodsEndpointUrlPrefix(slack.apiBase());
        config.getMethodsConfig().setStatsEnabled(false);
        MethodsClient client = Slack.getInstance(config).methods("xoxb-test");
        sink = new ChatUpdateSink(client, "C1", "1700000000.000100", "1700000000.000100", "T1", executor,
                postFailures::add);
    }

    @AfterEach
    void stop() {
        executor.close();
        slack.close();
    }

    @Test
    void liveMessagesCarryTheStopButtonAndTheFinalEditRemovesIt() {
        MessageRef ref = sink.post("Thinking…", true).join();
        sink.edit(ref, "*Hi*", false).join();

        FakeSlack.Call post = slack.calls().get(0);
        assertThat(post.get("blocks")).isEqualTo("""
                [{"type":"section","text":{"type":"mrkdwn","text":"Thinking…"}},\
                {"type":"actions","elements":[{"type":"button","action_id":"gemini_stop","value":"1700000000.000100",\
                "text":{"type":"plain_text","text":"Stop"}}]}]""");
        assertThat(post.get("unfurl_links")).isEqualTo("0"); // the SDK sends booleans as 0/1
        FakeSlack.Call update = slack.calls().get(1);
        assertThat(update.get("ts")).isEqualTo(ref.id());
        assertThat(update.get("text")).isEqualTo("*Hi*");
        assertThat(update.get("blocks")).isEqualTo("[]");
    }

    @Test
    void a429OnChatUpdateIsRateLimitedWithSlacksRetryAfter() {
        slack.failNext("chat.update", 429, "{\"ok\":false,\"error\":\"ratelimited\"}", "Retry-After", "7");
        assertThatThrownBy(() -> sink.edit(new MessageRef("1.1"), "text", true).join())
                .isInstanceOf(CompletionException.class).cause()
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.kind()).isEqualTo(PlatformException.Kind.RATE_LIMITED);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                });
    }

    @Test
    void a429OnChatPostMessageIsRateLimitedToo() {
        slack.failNext("chat.postMessage", 429, "{\"ok\":false,\"error\":\"ratelimited\"}", "Retry-After", "2");
        assertThatThrownBy(() -> sink.post("text", true).join()).cause()
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.kind()).isEqualTo(PlatformException.Kind.RATE_LIMITED);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
                });
        assertThat(postFailures).hasSize(1);
    }

    @Test
    void errorCodesMapToWhatTheStreamingReplyShouldDo() {
        assertKind("chat.update", "msg_too_long", PlatformException.Kind.REJECTED);
        assertKind("chat.update", "message_not_found", PlatformException.Kind.GONE);
        assertKind("chat.update", "cant_update_message", PlatformException.Kind.FORBIDDEN);
        assertKind("chat.update", "internal_error", PlatformException.Kind.TRANSIENT);
        slack.failNext("chat.update", 503, "upstream down");
        assertThatThrownBy(() -> sink.edit(new MessageRef("1.1"), "t", true).join()).cause()
                .isInstanceOfSatisfying(PlatformException.class,
                        e -> assertThat(e.kind()).isEqualTo(PlatformException.Kind.TRANSIENT));
    }

    @Test
    void maxLengthStaysUnderSlacksLimitAndLongLiveTextIsSplitIntoSections() {
        assertThat(sink.maxLength()).isLessThan(4000);
        String text = ("line of text\n".repeat(200)) + "```\n" + "code\n".repeat(200) + "```";
        assertThat(text.length()).isLessThanOrEqualTo(sink.maxLength());
        List<String> sections = MessageBlocks.sections(text);
        assertThat(sections).hasSize(2).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(3000));
        assertThat(sections.get(0)).endsWith("\n```");
        assertThat(sections.get(1)).startsWith("```\n").endsWith("```");
    }

    private void assertKind(String method, String error, PlatformException.Kind kind) {
        slack.errorNext(method, error);
        assertThatThrownBy(() -> sink.edit(new MessageRef("1.1"), "t", true).join()).cause()
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    assertThat(e.getMessage()).contains(error).doesNotContain("xoxb");
                });
    }
}
