package dev.geminibot.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.config.BotConfig;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.model.ChatMessage;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.ChannelRef;
import dev.geminibot.core.state.MemoryStateStore;
import dev.geminibot.core.testing.ScriptedModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Regenerate, Continue and channel settings as the engine applies them to the conversation and the requests. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AnswerControlsTest {
    private static final ConversationKey GENERAL = ConversationKey.channel("test", "guild", "general");
    private static final ConversationKey THREAD = new ConversationKey("test", "guild", "general", "t1");

    private final ScriptedModel model = new ScriptedModel();
    private final BotConfig config = BotConfig.defaults().withGemini(BotConfig.defaults().gemini()
            .withAllowedModels(List.of("gemini-2.5-flash", "gemini-2.5-pro")));
    private final ChatEngine engine = new ChatEngine(model, config, Scheduler.system(), new MemoryStateStore());

    @AfterEach
    void shutDown() {
        engine.shutdown(Duration.ofSeconds(5));
    }

    private static AnswerResult await(Answer answer) {
        return answer.done().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private Answer ask(ConversationKey key, String user, String text) {
        return engine.submit(new Incoming(key, user, user, text, Trigger.MENTION, ""), new MemorySink());
    }

    private static List<String> contents(ChatRequest request) {
        return request.messages().stream().map(m -> m.role() + ":" + m.text()).toList();
    }

    @Test
    void regenerateAnswersTheSameQuestionAgainAndTheConversationKeepsOnlyTheNewAnswer() {
        model.answer("First answer.");
        model.answer("Second answer.");
        model.answer("Noted.");
        Answer first = ask(GENERAL, "ann", "what is a monad?");
        await(first);
        assertThat(engine.isLatest(GENERAL, first.id())).isTrue();

        MemorySink again = new MemorySink();
        Answer second = engine.regenerate(GENERAL, first.id(), again);
        assertThat(await(second).outcome()).isEqualTo(Answer.Outcome.COMPLETED);
        assertThat(again.text()).isEqualTo("Second answer.");
        assertThat(contents(model.requests().get(1))).containsExactly("USER:[ann] what is a monad?");
        assertThat(engine.isLatest(GENERAL, first.id())).as("the old answer's buttons no longer apply").isFalse();
        assertThat(engine.isLatest(GENERAL, second.id())).isTrue();

        await(ask(GENERAL, "bob", "thanks"));
        assertThat(contents(model.requests().get(2))).containsExactly(
                "USER:[ann] what is a monad?", "MODEL:Second answer.", "USER:[bob] thanks");
    }

    @Test
    void aStaleRegenerateOrContinueAsksNothing() {
        model.answer("One.");
        model.answer("Two.");
        Answer first = ask(GENERAL, "ann", "one");
        await(first);
        await(ask(GENERAL, "ann", "two"));

        MemorySink sink = new MemorySink();
        assertThat(await(engine.regenerate(GENERAL, first.id(), sink)).outcome()).isEqualTo(Answer.Outcome.REFUSED);
        assertThat(engine.canContinue(GENERAL, first.id())).isFalse();
        assertThat(sink.text()).contains("no longer the latest");
        assertThat(model.requests()).hasSize(2);

        Answer third = ask(GENERAL, "ann", "three");
        model.answer("Three.");
        await(third);
        engine.reset(GENERAL);
        assertThat(engine.isLatest(GENERAL, third.id())).as("a reset ends what the buttons offer").isFalse();
    }

    @Test
    void continueOnAnAnswerThatWasNotCutIsRefusedWithTheReason() {
        model.answer("Complete.");
        Answer done = ask(GENERAL, "ann", "short one");
        await(done);
        assertThat(engine.canContinue(GENERAL, done.id())).isFalse();

        MemorySink sink = new MemorySink();
        assertThat(await(engine.continueAnswer(GENERAL, done.id(), "ann", "ann", sink)).outcome())
                .isEqualTo(Answer.Outcome.REFUSED);
        assertThat(sink.text()).contains("nothing to continue");
        assertThat(model.requests()).hasSize(1);
        assertThat(engine.isLatest(GENERAL, done.id())).as("a refused press changes nothing").isTrue();
        assertThat(engine.state().latestAnswer(GENERAL)).map(latest -> latest.askerId()).contains("ann");
    }

    @Test
    void continueSendsTheCutAnswerAsAModelTurnAndJoinsTheContinuation() {
        model.finish(FinishReason.MAX_TOKENS, "The first half, ");
        model.answer("and the second half.");
        model.answer("ok");
        Answer cut = ask(GENERAL, "ann", "write a lot");
        AnswerResult result = await(cut);
        assertThat(result.cutAtMaxTokens()).isTrue();
        assertThat(engine.canContinue(GENERAL, cut.id())).isTrue();

        MemorySink more = new MemorySink();
        Answer continued = engine.continueAnswer(GENERAL, cut.id(), "bob", "bob", more);
        assertThat(await(continued).cutAtMaxTokens()).isFalse();
        assertThat(more.text()).isEqualTo("and the second half.");
        List<String> request = contents(model.requests().get(1));
        assertThat(request).hasSize(3);
        assertThat(request.get(0)).isEqualTo("USER:[ann] write a lot");
        assertThat(request.get(1)).isEqualTo("MODEL:The first half, ");
        assertThat(request.get(2)).startsWith("USER:").contains("Continue");
        assertThat(engine.canContinue(GENERAL, continued.id())).isFalse();
        assertThat(engine.isLatest(GENERAL, continued.id())).isTrue();

        await(ask(GENERAL, "ann", "thanks"));
        assertThat(contents(model.requests().get(2))).containsExactly(
                "USER:[ann] write a lot", "MODEL:The first half, and the second half.", "USER:[ann] thanks");
    }

    @Test
    void aChannelsSettingsReachTheRequestOfItsThreadsExactly() {
        ChannelRef channel = ChannelRef.of(GENERAL);
        engine.settings().setModel(channel, "gemini-2.5-pro");
        engine.settings().setSystemPrompt(channel, "Answer in French.");
        engine.settings().setSearch(channel, true);
        model.answer("Oui.");
        model.answer("Yes.");

        await(ask(THREAD, "ann", "hello"));
        ChatRequest request = model.requests().getFirst();
        assertThat(request.model()).isEqualTo("gemini-2.5-pro");
        assertThat(request.systemPrompt()).isEqualTo("Answer in French.");
        assertThat(request.tools()).containsExactly(dev.geminibot.config.GeminiTool.GOOGLE_SEARCH);

        engine.settings().resetSystemPrompt(channel);
        await(ask(ConversationKey.channel("test", "guild", "random"), "ann", "hello"));
        ChatRequest elsewhere = model.requests().get(1);
        assertThat(elsewhere.model()).as("the configured model").isEmpty();
        assertThat(elsewhere.systemPrompt()).isEqualTo(config.gemini().systemPrompt());
        assertThat(elsewhere.tools()).isEmpty();
        assertThat(elsewhere.messages()).extracting(ChatMessage::text).containsExactly("[ann] hello");
    }
}
