package dev.geminibot.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.response.Response;
import com.slack.api.methods.MethodsClient;
import com.slack.api.model.assistant.AssistantThread;
import com.slack.api.model.assistant.SuggestedPrompt;
import com.slack.api.model.event.AssistantThreadContextChangedEvent;
import com.slack.api.model.event.AssistantThreadStartedEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's assistant panel (the app's assistant view): when someone opens a thread there, the configured
 * suggested prompts ({@code slack.suggestedPrompts}); the thread's title from its first question; the status
 * line ("Thinking…") from the moment a question arrives; and the channel the person is looking at
 * ({@code assistant_thread_started} and {@code assistant_thread_context_changed} carry it), which the model is
 * told about with each question. Every Web API call here is decoration: a failure is logged and the answer
 * goes on.
 */
final class AssistantPanel {
    private static final Logger log = LoggerFactory.getLogger(AssistantPanel.class);
    static final int TITLE_MAX = 60;

    private final MethodsClient client;
    private final List<String> prompts;
    private final String thinkingText;
    private final Executor workers;
    /** The channel each assistant thread ({@code channel/thread_ts}) is looking at. */
    private final Cache<String, String> contexts = Caffeine.newBuilder()
            .maximumSize(50_000).expireAfterAccess(Duration.ofDays(7)).build();
    /** Assistant threads that have their title. */
    private final Cache<String, Boolean> titled = Caffeine.newBuilder()
            .maximumSize(50_000).expireAfterAccess(Duration.ofDays(7)).build();
    private final Cache<String, String> channelNames = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofHours(1)).build();

    AssistantPanel(MethodsClient client, List<String> prompts, String thinkingText, Executor workers) {
        this.client = client;
        this.prompts = List.copyOf(prompts);
        this.thinkingText = thinkingText;
        this.workers = workers;
    }

    void register(App app) {
        app.event(AssistantThreadStartedEvent.class, this::onStarted);
        app.event(AssistantThreadContextChangedEvent.class, this::onContextChanged);
    }

    private Response onStarted(EventsApiPayload<AssistantThreadStartedEvent> payload, EventContext ctx) {
        AssistantThread thread = payload.getEvent().getAssistantThread();
        if (thread != null && thread.getChannelId() != null && thread.getThreadTs() != null) {
            remember(thread);
            workers.execute(() -> suggest(thread.getChannelId(), thread.getThreadTs()));
        }
        return ctx.ack();
    }

    private Response onContextChanged(EventsApiPayload<AssistantThreadContextChangedEvent> payload, EventContext ctx) {
        AssistantThread thread = payload.getEvent().getAssistantThread();
        if (thread != null) {
            remember(thread);
        }
        return ctx.ack();
    }

    private void remember(AssistantThread thread) {
        if (thread.getContext() != null && thread.getContext().getChannelId() != null) {
            contexts.put(thread.getChannelId() + "/" + thread.getThreadTs(), thread.getContext().getChannelId());
        }
    }

    private void suggest(String channel, String threadTs) {
        List<SuggestedPrompt> suggested = prompts.stream().map(p -> new SuggestedPrompt(title(p), p)).toList();
        try {
            SlackCalls.call("assistant.threads.setSuggestedPrompts", () -> client.assistantThreadsSetSuggestedPrompts(r -> r
                    .channelId(channel).threadTs(threadTs).prompts(suggested)));
        } catch (RuntimeException e) {
            log.warn("Could not set the assistant's suggested prompts: {}", e.getMessage());
        }
    }

    /**
     * A question arrived in an assistant thread (a DM thread): shows the status line at once, names the
     * thread after its first question (the bot, or its state store after a restart, knows no earlier one), and returns the question as the model should read it, with the
     * channel the person is looking at. Blocks on the Web API (call it on a worker).
     */
    String questionArrived(String channel, String threadTs, String question, boolean firstInThread) {
        status(channel, threadTs);
        String thread = channel + "/" + threadTs;
        if (firstInThread && titled.asMap().putIfAbsent(thread, Boolean.TRUE) == null) {
            try {
                SlackCalls.call("assistant.threads.setTitle", () -> client.assistantThreadsSetTitle(r -> r
                        .channelId(channel).threadTs(threadTs).title(title(question))));
            } catch (RuntimeException e) {
                log.debug("Could not set the assistant thread's title: {}", e.getMessage());
            }
        }
        String looking = contexts.getIfPresent(thread);
        if (looking == null) {
            return question;
        }
        return "(I am looking at the channel #" + channelName(looking) + " while I ask this.)\n" + question;
    }

    private void status(String channel, String threadTs) {
        try {
            SlackCalls.call("assistant.threads.setStatus", () -> client.assistantThreadsSetStatus(r -> r
                    .channelId(channel).threadTs(threadTs).status(thinkingText)));
        } catch (RuntimeException e) {
            log.debug("assistant.threads.setStatus failed: {}", e.getMessage());
        }
    }

    private String channelName(String channelId) {
        return channelNames.get(channelId, id -> {
            try {
                var info = SlackCalls.call("conversations.info", () -> client.conversationsInfo(r -> r.channel(id)));
                return info.getChannel() != null && info.getChannel().getName() != null ? info.getChannel().getName() : id;
            } catch (RuntimeException e) {
                return id;
            }
        });
    }

    /** The first line of {@code text}, short enough for a title. */
    static String title(String text) {
        String line = text.strip().lines().findFirst().orElse("").strip();
        return line.length() <= TITLE_MAX ? line : line.substring(0, TITLE_MAX - 1) + "…";
    }
}
