package dev.geminibot.core.reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.geminibot.core.testing.RecordingSink;
import dev.geminibot.core.testing.RecordingSink.Call;
import dev.geminibot.core.testing.RecordingSink.Kind;
import dev.geminibot.core.testing.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamingReplyTest {

    private static final Duration INTERVAL = Duration.ofMillis(500);

    private final VirtualScheduler clock = new VirtualScheduler();
    private final RecordingSink sink = new RecordingSink(clock);

    private StreamingReply reply() {
        return new StreamingReply(sink, ReplyOptions.defaults(INTERVAL), clock, EditPacer.NONE);
    }

    private ReplyResult finish(StreamingReply reply, String footer) {
        CompletableFuture<ReplyResult> result = reply.finish(footer);
        clock.runUntilIdle();
        assertThat(result).isDone();
        return result.join();
    }

    private static long ms(Duration duration) {
        return duration.toMillis();
    }

    @Test
    void firstTextIsPostedAtOnce() {
        StreamingReply reply = reply();
        reply.append("Hello there, ");

        assertThat(sink.calls()).hasSize(1);
        Call first = sink.calls().get(0);
        assertThat(first.kind()).isEqualTo(Kind.POST);
        assertThat(first.text()).isEqualTo("Hello there,▌");
        assertThat(first.live()).isTrue();
        assertThat(first.start()).isEqualTo(VirtualScheduler.EPOCH);

        reply.append("world");
        ReplyResult result = finish(reply, null);
        assertThat(sink.displayed()).containsExactly("Hello there, world");
        assertThat(sink.calls().get(sink.calls().size() - 1).live()).isFalse();
        assertThat(result.timeToFirstText()).isZero();
        assertThat(result.shownText()).isEqualTo("Hello there, world");
        assertThat(result.messages()).hasSize(1);
        assertThat(sink.violations()).isEmpty();
    }

    @Test
    void theFinalEditOfALongAnswerWaitsForTheBucketInsteadOfMeetingA429() {
        // Discord: 5 edits per 5 s per channel (posts are another route), 1 s interval. Live edits at 1..5 s
        // fill the window; a final edit at 5.5 s would be the sixth edit in 5 s.
        sink.rateLimitKey("channel");
        TokenBucketPacer pacer = TokenBucketPacer.discord(clock);
        StreamingReply reply = new StreamingReply(sink, ReplyOptions.defaults(Duration.ofSeconds(1)), clock, pacer);
        for (int i = 0; i < 55; i++) {
            reply.append("word" + i + " ");
            clock.advance(Duration.ofMillis(100));
        }
        ReplyResult result = finish(reply, null);

        List<Call> calls = sink.calls();
        for (Call call : calls) {
            long inWindow = calls.stream().filter(c -> !c.start().isBefore(call.start())
                    && c.start().isBefore(call.start().plusSeconds(5)) && c.kind() == Kind.EDIT).count();
            assertThat(inWindow).as("edits in the 5 s from %s", call.start()).isLessThanOrEqualTo(5);
        }
        Call last = calls.get(calls.size() - 1);
        assertThat(last.live()).isFalse();
        assertThat(result.shownText()).startsWith("word0 ").endsWith("word54 ");
        assertThat(sink.violations()).isEmpty();
    }

    @Test
    void thinkingPlaceholderIsReplacedByTheFirstTextAtOnce() {
        StreamingReply reply = reply();
        reply.thinking();
        assertThat(sink.displayed()).containsExactly("Thinking…");

        clock.advance(Duration.ofSeconds(3));
        reply.append("The answer is 42. ");
        List<Call> calls = sink.calls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).kind()).isEqualTo(Kind.EDIT);
        assertThat(calls.get(1).start()).isEqualTo(VirtualScheduler.EPOCH.plusSeconds(3));
        assertThat(sink.displayed()).containsExactly("The answer is 42.▌");

        ReplyResult result = finish(reply, null);
        assertThat(sink.displayed()).containsExactly("The answer is 42. ");
        assertThat(result.messages()).hasSize(1);
        assertThat(result.timeToFirstText()).isZero();
    }

    @Test
    void thinkingWithoutPlaceholderTextShowsTyping() {
        StreamingReply reply = new StreamingReply(sink, ReplyOptions.defaults(INTERVAL).withThinkingText(null),
                clock, EditPacer.NONE);
        reply.thinking();
        assertThat(sink.calls()).isEmpty();
        assertThat(sink.typingSignals()).isEqualTo(1);
    }

    @Test
    void placeholderNeverLingers() {
        StreamingReply reply = reply();
        reply.thinking();
        ReplyResult result = finish(reply, null);
        assertThat(sink.displayed()).containsExactly("(no answer)");
        assertThat(result.shownText()).isEqualTo("(no answer)");
        assertThat(result.timeToFirstText()).isNull();
    }

    @Test
    void finishWithNoTextShowsTheFooterAlone() {
        StreamingReply reply = reply();
        ReplyResult result = finish(reply, "⚠ Gemini is overloaded, try again in a minute");
        assertThat(sink.calls()).singleElement().satisfies(call -> {
            assertThat(call.kind()).isEqualTo(Kind.POST);
            assertThat(call.live()).isFalse();
        });
        assertThat(sink.displayed()).containsExactly("⚠ Gemini is overloaded, try again in a minute");
        assertThat(result.shownText()).isEqualTo("⚠ Gemini is overloaded, try again in a minute");
    }

    @Test
    void footerGoesOnItsOwnLineAfterTheText() {
        StreamingReply reply = reply();
        reply.append("Partial answer");
        ReplyResult result = finish(reply, "⏹ stopped");
        assertThat(sink.displayed()).containsExactly("Partial answer\n\n⏹ stopped");
        assertThat(result.shownText()).isEqualTo("Partial answer\n\n⏹ stopped");
    }

    @Test
    void footerAfterAnOpenCodeBlockIsNotCode() {
        StreamingReply reply = reply();
        reply.append("```py\nwhile True:\n    pass");
        finish(reply, "⏹ stopped");
        assertThat(sink.displayed()).containsExactly("```py\nwhile True:\n    pass\n```\n\n⏹ stopped");
    }

    @Test
    void finishIsIdempotent() {
        StreamingReply reply = reply();
        reply.append("x");
        CompletableFuture<ReplyResult> first = reply.finish(null);
        assertThat(reply.finish("⏹ stopped")).isSameAs(first);
        reply.append("ignored after finish");
        clock.runUntilIdle();
        assertThat(sink.displayed()).containsExactly("x");
    }

    @Test
    void slowSinkGetsFewLargeEditsAndNoBacklog() {
        sink.latency(Duration.ofMillis(700));
        StreamingReply reply = reply();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            String delta = "w" + i + " ";
            all.append(delta);
            reply.append(delta);
            clock.advance(Duration.ofMillis(10));
        }
        ReplyResult result = finish(reply, null);

        List<Call> calls = sink.calls();
        assertThat(sink.violations()).isEmpty();
        for (int i = 1; i < calls.size(); i++) {
            Call previous = calls.get(i - 1);
            Call call = calls.get(i);
            assertThat(call.start()).isAfterOrEqualTo(previous.end());
            if (call.live()) {
                assertThat(Duration.between(previous.start(), call.start())).isGreaterThanOrEqualTo(INTERVAL);
            }
        }
        // 10 s of streaming at one call per 700 ms at best, plus the final edit: no backlog.
        assertThat(calls.size()).isBetween(5, 17);
        assertThat(String.join("", sink.displayed())).isEqualTo(all.toString());
        assertThat(result.shownText()).isEqualTo(all.toString());
        // The final edit follows the end of the stream within one call's latency.
        assertThat(ms(clock.elapsed())).isLessThanOrEqualTo(10_000 + 2 * 700);
    }

    @Test
    void aBurstOf429sIsAbsorbedWithoutLoss() {
        sink.latency(Duration.ofMillis(100));
        for (int n = 2; n <= 5; n++) {
            sink.failCall(n, PlatformException.rateLimited(Duration.ofSeconds(2)));
        }
        StreamingReply reply = reply();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            String delta = "token" + i + " ";
            all.append(delta);
            reply.append(delta);
            clock.advance(Duration.ofMillis(50));
        }
        ReplyResult result = finish(reply, null);

        List<Call> calls = sink.calls();
        for (int i = 1; i < calls.size(); i++) {
            Call previous = calls.get(i - 1);
            if (previous.failure() != null) {
                assertThat(Duration.between(previous.end(), calls.get(i).start()))
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            }
        }
        assertThat(result.rateLimited()).isEqualTo(4);
        assertThat(result.failedCalls()).isEqualTo(4);
        assertThat(sink.displayed()).containsExactly(all.toString());
        assertThat(sink.violations()).isEmpty();
    }

    @Test
    void finalModeKeepsTypingThenPostsEachPartOnceWithItsWholeText() {
        sink.maxLength(120).latency(Duration.ofMillis(20));
        StreamingReply reply = new StreamingReply(sink, ReplyOptions.defaults(INTERVAL).withThinkingText(null)
                .withMode(ReplyOptions.Mode.FINAL), clock, EditPacer.NONE);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            String delta = "word" + i + " ";
            all.append(delta);
            reply.append(delta);
            clock.advance(Duration.ofMillis(400)); // 24 s of writing: the typing signal is renewed
        }
        assertThat(sink.calls()).as("nothing shows while the model writes").isEmpty();
        assertThat(sink.typingSignals()).isGreaterThanOrEqualTo(3);

        ReplyResult result = finish(reply, null);
        assertThat(sink.calls()).allMatch(c -> c.kind() == RecordingSink.Kind.POST && !c.live());
        assertThat(sink.calls()).hasSizeGreaterThan(1).hasSize(sink.messages().size());
        assertThat(String.join("", sink.displayed())).isEqualTo(all.toString());
        assertThat(result.shownText()).isEqualTo(all.toString());
        assertThat(sink.violations()).isEmpty();
    }

    @Test
    void statusChangesThePlaceholderUntilTheFirstWords() {
        sink.latency(Duration.ofMillis(10));
        StreamingReply reply = reply();
        reply.thinking();
        clock.runUntilIdle();
        reply.status("🔎 Searching…");
        clock.runUntilIdle();
        assertThat(sink.displayed()).containsExactly("🔎 Searching…");

        reply.append("Found it.");
        clock.runUntilIdle();
        reply.status("too late");
        finish(reply, null);
        assertThat(sink.calls()).extracting(RecordingSink.Call::text)
                .containsExactly("Thinking…", "🔎 Searching…", "Found it.▌", "Found it.");
    }

    @Test
    void aSinkWithAStatusLineShowsThePlaceholderThereAndStartsWithTheFirstWords() {
        List<String> statuses = new ArrayList<>();
        MessageSink withStatus = new MessageSink() {
            @Override
            public CompletableFuture<MessageRef> post(String text, boolean live) {
                return sink.post(text, live);
            }

            @Override
            public CompletableFuture<Void> edit(MessageRef message, String text, boolean live) {
                return sink.edit(message, text, live);
            }

            @Override
            public int maxLength() {
                return sink.maxLength();
            }

            @Override
            public boolean placeholderAsStatus() {
                return true;
            }

            @Override
            public void showStatus(String status) {
                statuses.add(status);
            }
        };
        StreamingReply reply = new StreamingReply(withStatus, ReplyOptions.defaults(INTERVAL), clock, EditPacer.NONE);
        reply.thinking();
        reply.status("🔎 Searching…");
        clock.runUntilIdle();
        assertThat(sink.calls()).isEmpty();
        assertThat(statuses).containsExactly("Thinking…", "🔎 Searching…");

        reply.append("First words.");
        finish(reply, null);
        assertThat(sink.calls()).extracting(RecordingSink.Call::kind, RecordingSink.Call::text)
                .containsExactly(tuple(RecordingSink.Kind.POST, "First words.▌"),
                        tuple(RecordingSink.Kind.EDIT, "First words."));
    }

    @Test
    void aSinkWithAnAppendStreamGetsOnlyWhatIsNewAndAnEditWhenTextIsRewritten() {
        List<String> calls = new ArrayList<>();
        MessageSink streaming = new MessageSink() {
            @Override
            public CompletableFuture<MessageRef> post(String text, boolean live) {
                calls.add("post " + text);
                return CompletableFuture.completedFuture(new MessageRef("m1"));
            }

            @Override
            public CompletableFuture<Void> edit(MessageRef message, String text, boolean live) {
                calls.add("edit " + text);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public int maxLength() {
                return 4000;
            }

            @Override
            public Optional<AppendStream> appendStream() {
                return Optional.of(new AppendStream() {
                    @Override
                    public CompletableFuture<Void> append(MessageRef message, String more) {
                        calls.add("append " + more);
                        return CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public CompletableFuture<Void> stop(MessageRef message, String more) {
                        calls.add("stop " + more);
                        return CompletableFuture.completedFuture(null);
                    }
                });
            }
        };
        StreamingReply reply = new StreamingReply(streaming, ReplyOptions.defaults(INTERVAL), clock, EditPacer.NONE);
        reply.append("Some words");
        clock.advance(INTERVAL);
        reply.append(" and more words ");
        clock.advance(INTERVAL);
        reply.append("then code:\n```py\nx = 1\n");
        clock.advance(INTERVAL);
        reply.append("y = 2\n```\nDone.");
        finish(reply, null);

        assertThat(calls).containsExactly(
                "post Some words",                      // no cursor: a stream cannot take it back
                "append  and more words",
                "append  then code:\n```py\nx = 1\n```",  // healed: the open block is closed…
                "edit Some words and more words then code:\n```py\nx = 1\ny = 2\n```\n", // …so it is rewritten
                "edit Some words and more words then code:\n```py\nx = 1\ny = 2\n```\nDone."); // no stream now
    }

    @Test
    void intermediateEditsAreCutAtWordsAndHealed() {
        sink.latency(Duration.ofMillis(10));
        StreamingReply reply = reply();
        reply.append("Use **bo");
        clock.runUntilIdle();
        assertThat(sink.displayed()).containsExactly("Use▌");

        clock.advance(INTERVAL);
        reply.append("ld** text and code:\n```python\nprint(1)\nprin");
        clock.advance(Duration.ofMillis(20)); // the edit lands; the held "prin" would go at the next edit
        assertThat(sink.displayed()).containsExactly("Use **bold** text and code:\n```python\nprint(1)▌\n```");

        clock.advance(INTERVAL);
        reply.append("t(2)\n```\n| a | b |\n");
        clock.runUntilIdle();
        assertThat(sink.displayed())
                .containsExactly("Use **bold** text and code:\n```python\nprint(1)\nprint(2)\n```\n▌");

        clock.advance(INTERVAL);
        reply.append("|---|---|\n| 1 | 2 |\n");
        clock.runUntilIdle();
        assertThat(sink.displayed().get(0)).endsWith("| a | b |\n|---|---|\n| 1 | 2 |▌");

        finish(reply, null);
        assertThat(sink.displayed()).containsExactly(reply.text());
    }

    @Test
    void longAnswerContinuesInNewMessagesAndFinishedPartsNeverChange() {
        sink.maxLength(120).latency(Duration.ofMillis(30));
        StreamingReply reply = reply();
        String text = """
                The first paragraph talks about streaming replies and why they matter to users.

                The second paragraph is longer: it explains how edits are paced, coalesced and split.
                It has a second line. And several sentences! Does it end? Yes.

                ```java
                class Example {
                    void run() { System.out.println("hello"); }
                    void walk() { System.out.println("world"); }
                    void jump() { System.out.println("again"); }
                }
                ```
                A closing remark with 日本語のテキスト and emoji 😀🎉 at the end.
                """;
        for (int i = 0; i < text.length(); i += 7) {
            reply.append(text.substring(i, Math.min(text.length(), i + 7)));
            clock.advance(Duration.ofMillis(40));
        }
        ReplyResult result = finish(reply, "⏹ stopped");

        assertThat(sink.violations()).isEmpty();
        assertThat(result.messages().size()).isGreaterThan(3);
        assertThat(result.shownText()).isEqualTo(text + "\n⏹ stopped");
        assertPartsStable(sink);
        assertThat(sink.displayed()).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(120));
        // The code block is closed at the end of one part and reopened, with its language, in the next.
        List<String> parts = sink.displayed();
        for (int i = 0; i + 1 < parts.size(); i++) {
            if (parts.get(i + 1).startsWith("```java\n    void")) {
                assertThat(parts.get(i)).endsWith("\n```");
            }
        }
        assertThat(parts).anySatisfy(part -> assertThat(part).startsWith("```java\n    void"));
    }

    /** Once a message got its final text (live=false), it is never touched again, and only the last part ends the answer. */
    static void assertPartsStable(RecordingSink sink) {
        List<Call> calls = sink.calls();
        List<Object> finished = new ArrayList<>();
        for (Call call : calls) {
            assertThat(finished).as("call %s touches a finished part", call.index()).doesNotContain(call.message());
            if (call.succeeded() && !call.live()) {
                finished.add(call.message());
            }
        }
        for (var message : sink.messages()) {
            List<String> history = sink.history(message);
            assertThat(history).isNotEmpty();
        }
    }

    @Test
    void emojiAndIdeographsAreNeverTornApart() {
        sink.maxLength(25).latency(Duration.ofMillis(20));
        StreamingReply reply = reply();
        String text = "😀😃😄😁😆😅😂🤣😊😇🙂🙃😉😌😍🥰😘😗😙😚😋😛😝😜🤪🤨🧐🤓😎🥸🤩🥳"
                + "中文文本没有空格所以每个字都可以作为分割点这是一个很长的句子。" + "👍🏽👨‍👩‍👧‍👦".repeat(6);
        int i = 0;
        while (i < text.length()) {
            int next = text.offsetByCodePoints(i, 1);
            reply.append(text.substring(i, next));
            clock.advance(Duration.ofMillis(15));
            i = next;
        }
        ReplyResult result = finish(reply, null);
        for (Call call : sink.calls()) {
            String t = call.text();
            for (int k = 0; k < t.length(); k++) {
                char c = t.charAt(k);
                if (Character.isHighSurrogate(c)) {
                    assertThat(k + 1 < t.length() && Character.isLowSurrogate(t.charAt(k + 1))).isTrue();
                } else if (Character.isLowSurrogate(c)) {
                    assertThat(k > 0 && Character.isHighSurrogate(t.charAt(k - 1))).isTrue();
                }
            }
            assertThat(t).doesNotStartWith("\u200D").doesNotEndWith("\u200D");
        }
        assertThat(String.join("", sink.displayed())).isEqualTo(text);
        assertThat(result.shownText()).isEqualTo(text);
        assertThat(sink.violations()).isEmpty();
    }

    @Test
    void finalEditRetriesThroughTransientAnd429() {
        StreamingReply reply = reply();
        reply.append("Some text ");
        int calls = sink.calls().size();
        sink.failCall(calls + 1, new PlatformException(PlatformException.Kind.TRANSIENT, "502"))
                .failCall(calls + 2, PlatformException.rateLimited(Duration.ofSeconds(3)))
                .failCall(calls + 3, new PlatformException(PlatformException.Kind.TRANSIENT, "timeout"));
        ReplyResult result = finish(reply, null);
        assertThat(sink.displayed()).containsExactly("Some text ");
        assertThat(result.failedCalls()).isEqualTo(3);
        assertThat(result.rateLimited()).isEqualTo(1);
        List<Call> all = sink.calls();
        assertThat(Duration.between(all.get(calls + 1).end(), all.get(calls + 2).start()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void finalEditIsGivenUpAfterItsAttempts() {
        StreamingReply reply = new StreamingReply(sink,
                new ReplyOptions(INTERVAL, "▌", null, Duration.ofMinutes(5), 3), clock, EditPacer.NONE);
        reply.append("Some text ");
        sink.failures(r -> r.live() ? null : new PlatformException(PlatformException.Kind.TRANSIENT, "503"));
        ReplyResult result = finish(reply, null);
        assertThat(sink.calls().stream().filter(c -> !c.live())).hasSize(3);
        assertThat(result.shownText()).isEqualTo("Some text ");
        assertThat(sink.displayed()).containsExactly("Some text▌");
    }

    @Test
    void goneStopsEverythingAndTellsTheEngine() {
        sink.latency(Duration.ofMillis(50));
        StreamingReply reply = reply();
        AtomicInteger goneCalls = new AtomicInteger();
        reply.onGone(goneCalls::incrementAndGet);
        reply.append("Hello there ");
        clock.runUntilIdle();
        sink.deleteMessage(sink.messages().get(0));
        clock.advance(INTERVAL);
        reply.append("more text ");
        clock.runUntilIdle();

        assertThat(reply.gone()).isTrue();
        assertThat(goneCalls).hasValue(1);
        int calls = sink.calls().size();
        reply.append("even more ");
        CompletableFuture<ReplyResult> result = reply.finish("⏹ stopped");
        clock.runUntilIdle();
        assertThat(result.join().gone()).isTrue();
        assertThat(sink.calls()).hasSize(calls);
        AtomicInteger late = new AtomicInteger();
        reply.onGone(late::incrementAndGet);
        assertThat(late).hasValue(1);
    }

    @Test
    void goneDuringTheFinalEditCompletesTheResult() {
        StreamingReply reply = reply();
        reply.append("Hello there ");
        sink.deleteMessage(sink.messages().get(0));
        AtomicInteger goneCalls = new AtomicInteger();
        reply.onGone(goneCalls::incrementAndGet);
        ReplyResult result = finish(reply, null);
        assertThat(result.gone()).isTrue();
        assertThat(goneCalls).hasValue(1);
    }

    @Test
    void forbiddenStopsIntermediateEditsButTheFinalIsStillTried() {
        sink.failCall(2, new PlatformException(PlatformException.Kind.FORBIDDEN, "Missing Permissions"));
        StreamingReply reply = reply();
        reply.append("one ");
        clock.advance(INTERVAL);
        reply.append("two ");
        clock.runUntilIdle();
        for (int i = 0; i < 10; i++) {
            clock.advance(INTERVAL);
            reply.append("more" + i + " ");
        }
        assertThat(sink.calls()).hasSize(2);
        finish(reply, null);
        assertThat(sink.calls()).hasSize(3);
        assertThat(sink.displayed()).containsExactly(reply.text());
    }

    @Test
    void synchronousSinkWithoutIntervalDoesNotRecurse() {
        sink.maxLength(20_000);
        StreamingReply reply = new StreamingReply(sink, ReplyOptions.defaults(Duration.ZERO), clock, EditPacer.NONE);
        for (int i = 0; i < 5000; i++) {
            reply.append("w ");
        }
        finish(reply, null);
        assertThat(sink.calls().size()).isEqualTo(5001);
        assertThat(sink.displayed()).containsExactly("w ".repeat(5000));
    }

    @Test
    void appendsFromManyThreadsAllArrive() throws Exception {
        StreamingReply reply = new StreamingReply(sink, ReplyOptions.defaults(Duration.ZERO), clock, EditPacer.NONE);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < 500; i++) {
                    reply.append("t" + id + " ");
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        ReplyResult result = finish(reply, null);
        assertThat(reply.text()).hasSize(threads * 500 * 3);
        assertThat(result.shownText()).isEqualTo(reply.text());
        assertThat(sink.violations()).isEmpty();
    }

    @Test
    void editIntervalDefaultsToTheSinks() {
        sink.defaultEditInterval(Duration.ofSeconds(1));
        StreamingReply reply = new StreamingReply(sink, ReplyOptions.defaults(null), clock, EditPacer.NONE);
        reply.append("a ");
        clock.advance(Duration.ofMillis(600));
        reply.append("b ");
        assertThat(sink.calls()).hasSize(1);
        clock.advance(Duration.ofMillis(400));
        assertThat(sink.calls()).hasSize(2);
    }

    @Test
    void aRejectedFinalPartIsGivenUpAndTheRestStillPosted() {
        sink.maxLength(40).failures(r -> r.text().startsWith("First") && !r.live()
                ? new PlatformException(PlatformException.Kind.REJECTED, "msg_too_long") : null);
        StreamingReply reply = reply();
        reply.append("First part of the answer is here.\n\nSecond part of the answer is here.");
        ReplyResult result = finish(reply, null);
        // Rejected once as an intermediate call, once as the final attempt; then the next part goes on.
        assertThat(result.failedCalls()).isEqualTo(2);
        assertThat(sink.displayed()).containsExactly("Second part of the answer is here.");
        assertThat(result.shownText()).isEqualTo("Second part of the answer is here.");
    }

    @Test
    void thinkingAfterTextIsANoOp() {
        StreamingReply reply = reply();
        reply.append("Hello ");
        reply.thinking();
        clock.runUntilIdle();
        assertThat(sink.calls()).hasSize(1);
        assertThat(sink.displayed()).containsExactly("Hello▌");
    }

    @Test
    void thinkingWhileTheFirstWordsAreHeldBackShowsThePlaceholder() {
        StreamingReply reply = reply();
        reply.append("**Importa");
        assertThat(sink.calls()).isEmpty();
        reply.thinking();
        assertThat(sink.displayed()).containsExactly("Thinking…");
        reply.append("nt:** yes ");
        assertThat(sink.displayed()).containsExactly("**Important:** yes▌");
    }

    @Test
    void partsAreMeasuredAfterRendering() {
        TextRenderer slackLike = md -> md.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        sink.maxLength(100).renderer(slackLike).latency(Duration.ofMillis(40));
        StreamingReply reply = reply();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            String delta = "a<b & c>d ";
            all.append(delta);
            reply.append(delta);
            clock.advance(Duration.ofMillis(30));
        }
        ReplyResult result = finish(reply, null);
        assertThat(sink.violations()).isEmpty();
        assertThat(result.shownText()).isEqualTo(all.toString());
        assertThat(String.join("", sink.displayed())).isEqualTo(slackLike.render(all.toString()));
    }

    // ---- read pacing: the model stream's reader holds its reads until the edit that shows them ----

    /** A reader's side of {@link StreamingReply#readPacing()}: counts wake-ups, holding or not. */
    private static final class Reader {
        final AtomicInteger wakes = new AtomicInteger();
        volatile boolean holding;

        Duration caughtUp(StreamingReply reply) {
            holding = true;
            Duration hold = reply.readPacing().caughtUp(() -> {
                wakes.incrementAndGet();
                boolean was = holding;
                holding = false;
                return was;
            });
            if (hold.isZero()) {
                holding = false;
            }
            return hold;
        }
    }

    @Test
    void untilTheFirstTextIsShownTheReaderReadsOn() {
        StreamingReply reply = reply();
        Reader reader = new Reader();
        assertThat(reader.caughtUp(reply)).isZero();

        clock.advance(Duration.ofSeconds(2)); // thinking: the first text must still go out the moment it comes
        assertThat(reader.caughtUp(reply)).isZero();
    }

    @Test
    void theDueEditWakesTheHoldingReaderAndGoesWhenItHasCaughtUp() {
        StreamingReply reply = reply();
        reply.append("Hello there, ");
        assertThat(sink.calls()).hasSize(1);
        Reader reader = new Reader();

        assertThat(reader.caughtUp(reply)).isEqualTo(INTERVAL); // hold until the next edit may start
        clock.advance(INTERVAL.minusMillis(1));
        assertThat(reader.wakes).hasValue(0);
        clock.advance(Duration.ofMillis(1)); // the edit is due, with nothing appended: it wakes the reader
        assertThat(reader.wakes).hasValue(1);
        reply.append("world, "); // what arrived during the hold
        reply.append("how are you? ");
        assertThat(sink.calls()).as("the edit waits for the reader to catch up").hasSize(1);

        assertThat(reader.caughtUp(reply)).isEqualTo(INTERVAL); // the next hold starts with the edit
        assertThat(sink.calls()).hasSize(2);
        assertThat(sink.calls().get(1).text()).startsWith("Hello there, world, how are you?");

        clock.advance(INTERVAL);
        assertThat(reader.wakes).hasValue(2);
        // Nothing new came: no edit, and the reader reads on, so that the next text shows the moment it comes.
        assertThat(reader.caughtUp(reply)).isZero();
        assertThat(sink.calls()).hasSize(2);
    }

    /**
     * A reply that showed "Hello there, " and whose {@code reader} held: the next live edit is now due (at 500 ms),
     * has woken the reader and waits for it to catch up.
     */
    private StreamingReply editAwaitingItsReader(Reader reader) {
        StreamingReply reply = reply();
        reply.append("Hello there, ");
        reader.caughtUp(reply);
        clock.advance(INTERVAL);
        return reply;
    }

    @Test
    void aReaderThatDoesNotCatchUpInTimeDelaysTheEditByTheGraceAtMost() {
        Reader reader = new Reader();
        StreamingReply reply = editAwaitingItsReader(reader);
        assertThat(reader.wakes).hasValue(1);
        reply.append("world ");

        clock.advance(StreamingReply.READER_GRACE.minusMillis(1));
        assertThat(sink.calls()).hasSize(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(sink.calls()).hasSize(2); // the edit goes with what it has
        assertThat(sink.calls().get(1).text()).as("what the reader appended while the edit waited for it")
                .startsWith("Hello there, world");
    }

    @Test
    void whatTheReaderAppendsWhileTheEditAwaitsItIsInTheFinalTextWhenTheAnswerEndsFirst() {
        StreamingReply reply = editAwaitingItsReader(new Reader());
        reply.append("world, ");
        reply.append("bye.");

        ReplyResult result = finish(reply, null); // the stream ended before the reader reported catching up

        assertThat(result.shownText()).isEqualTo("Hello there, world, bye.");
        assertThat(sink.calls().getLast().text()).isEqualTo("Hello there, world, bye.");
    }

    @Test
    void aReaderSlowToCatchUpDoesNotStretchTheInterval() {
        Reader reader = new Reader();
        StreamingReply reply = editAwaitingItsReader(reader);
        clock.advance(Duration.ofMillis(60)); // the reader gets a CPU only now
        reply.append("world ");
        assertThat(reader.caughtUp(reply)).as("the next edit is due an interval after this one was")
                .isEqualTo(INTERVAL.minusMillis(60));
        assertThat(sink.calls()).hasSize(2);
        assertThat(sink.calls().get(1).start()).isEqualTo(VirtualScheduler.EPOCH.plusMillis(560));

        clock.advance(INTERVAL.minusMillis(60));
        assertThat(reader.wakes).hasValue(2);
    }

    @Test
    void aWakeThatFindsTheReaderReadingDoesNotDelayTheEdit() {
        StreamingReply reply = reply();
        reply.append("Hello there, ");
        Reader reader = new Reader();
        reader.caughtUp(reply);
        reader.holding = false; // its hold ended on its own (a guard timer): it reads on
        reply.append("world ");

        clock.advance(INTERVAL);
        assertThat(reader.wakes).hasValue(1);
        assertThat(sink.calls()).hasSize(2);
    }

    @Test
    void whenNoMoreLiveEditsComeTheReaderIsWokenAndReadsOn() {
        StreamingReply reply = reply();
        reply.append("Hello there, ");
        Reader reader = new Reader();
        assertThat(reader.caughtUp(reply)).isPositive();
        reply.finish(null);
        assertThat(reader.wakes).hasValue(1);
        assertThat(reader.caughtUp(reply)).isZero();

        StreamingReply whole = new StreamingReply(new RecordingSink(clock),
                ReplyOptions.defaults(INTERVAL).withMode(ReplyOptions.Mode.FINAL), clock, EditPacer.NONE);
        whole.append("Hello there, ");
        clock.advance(Duration.ofMillis(100));
        Reader eager = new Reader();
        assertThat(eager.caughtUp(whole)).isZero(); // nothing shows before the end: read as it comes
        clock.advance(Duration.ofSeconds(5));
        assertThat(eager.wakes).as("a reader told to read on is not woken (that would only be spurious)").hasValue(0);
    }
}
