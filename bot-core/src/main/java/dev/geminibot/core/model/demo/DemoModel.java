package dev.geminibot.core.model.demo;

import dev.geminibot.core.model.ChatMessage;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.model.Finished;
import dev.geminibot.core.model.ModelException;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.Role;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.model.ThinkingDelta;
import dev.geminibot.core.model.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An offline model for trying the bot without an account: it answers every message with a fixed,
 * deterministic Markdown reply that quotes the question and the conversation so far, streamed word by
 * word at a realistic pace (a short thinking pause, then about 40 pieces a second). Ask for something
 * "long" to see an answer split over several messages.
 */
public final class DemoModel implements ChatModel {
    private static final Pattern PIECES = Pattern.compile("\\S+\\s*|\\s+");

    private final Duration perPiece;
    private final Duration thinking;

    /** Realistic pace: 300 ms of thinking, then 25 ms per piece. */
    public DemoModel() {
        this(Duration.ofMillis(25), Duration.ofMillis(300));
    }

    /** With an explicit pace; {@code Duration.ZERO} streams as fast as it is read. */
    public DemoModel(Duration perPiece, Duration thinking) {
        this.perPiece = perPiece;
        this.thinking = thinking;
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public ModelStream stream(ChatRequest request) {
        return new DemoStream(pieces(DemoAnswers.answer(request)));
    }

    /** The answer {@link #stream} would write for {@code request}, whole. */
    public String answerFor(ChatRequest request) {
        return DemoAnswers.answer(request);
    }

    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher matcher = PIECES.matcher(text);
        while (matcher.find()) {
            pieces.add(matcher.group());
        }
        return pieces;
    }

    private final class DemoStream implements ModelStream {
        private final List<String> pieces;
        private final CountDownLatch cancelled = new CountDownLatch(1);
        private boolean iterated;

        DemoStream(List<String> pieces) {
            this.pieces = pieces;
        }

        @Override
        public Iterator<StreamEvent> iterator() {
            if (iterated) {
                throw new IllegalStateException("a stream can be iterated once");
            }
            iterated = true;
            return new Iterator<>() {
                private int next = -1; // -1: the thinking event
                private boolean finished;

                @Override
                public boolean hasNext() {
                    if (cancelled.getCount() == 0) {
                        throw new ModelException(ModelException.Kind.CANCELLED, "cancelled");
                    }
                    return !finished;
                }

                @Override
                public StreamEvent next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    if (next == -1) {
                        next = 0;
                        return new ThinkingDelta("Reading the question…");
                    }
                    pause(next == 0 ? thinking : perPiece);
                    if (next < pieces.size()) {
                        return new TextDelta(pieces.get(next++));
                    }
                    finished = true;
                    int words = pieces.size();
                    return new Finished(FinishReason.STOP, new Usage(0, words, 0, words));
                }
            };
        }

        private void pause(Duration duration) {
            try {
                if (!duration.isZero() && cancelled.await(duration.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new ModelException(ModelException.Kind.CANCELLED, "cancelled");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelException(ModelException.Kind.CANCELLED, "interrupted");
            }
        }

        @Override
        public void cancel() {
            cancelled.countDown();
        }

        @Override
        public void close() {
            cancel();
        }
    }

    /** The demo's replies: plain text built from the request, no randomness. */
    static final class DemoAnswers {
        private DemoAnswers() {
        }

        static String answer(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            String question = messages.get(messages.size() - 1).text().strip();
            List<String> earlier = new ArrayList<>();
            for (int i = 0; i < messages.size() - 1; i++) {
                if (messages.get(i).role() == Role.USER) {
                    earlier.add(messages.get(i).text().strip());
                }
            }
            StringBuilder out = new StringBuilder();
            out.append("**Demo mode**: no `GEMINI_API_KEY` is set, so this answer comes from the bot's built-in ")
                    .append("offline model.\n\n");
            out.append("You asked: “").append(shorten(question, 200)).append("”.");
            if (earlier.isEmpty()) {
                out.append(" This is the start of our conversation.\n\n");
            } else {
                out.append(" This is message ").append(earlier.size() + 1).append(" of our conversation; ")
                        .append("your first one was “").append(shorten(earlier.get(0), 80)).append("”.\n\n");
            }
            out.append("""
                    Here is what streaming looks like:

                    1. The answer arrives in small pieces, word by word.
                    2. The message is edited in place, at most once per edit interval.
                    3. Code blocks stay well-formed while they grow:

                    ```java
                    record Greeting(String name) {
                        String text() {
                            return "Hello, " + name + "!";
                        }
                    }
                    ```

                    """);
            if (question.toLowerCase(java.util.Locale.ROOT).contains("long")) {
                for (int i = 1; i <= 12; i++) {
                    out.append("Paragraph ").append(i).append(" of a long answer. A long answer continues in ")
                            .append("further messages, split at a paragraph, a line or a word, never inside ")
                            .append("a word, and a code block that does not fit is closed at the end of one ")
                            .append("message and reopened at the start of the next.\n\n");
                }
            }
            out.append("Set `GEMINI_API_KEY` to talk to Gemini for real. Type `/reset` to start over.");
            return out.toString();
        }

        private static String shorten(String text, int max) {
            String oneLine = text.replaceAll("\\s+", " ");
            return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
        }
    }
}
