package dev.geminibot.slack;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The Block Kit of a finished answer's last message: its text, an actions block with 🔄 Regenerate (and
 * ▶ Continue after the model stopped at its length limit), and the feedback: Slack's {@code context_actions}
 * block with {@code feedback_buttons} (👍/👎), or, where Slack refuses that block, two buttons whose text is
 * 👍 and 👎.
 */
final class AnswerBlocks {
    static final String REGENERATE = "gemini_regenerate";
    static final String CONTINUE = "gemini_continue";
    static final String FEEDBACK = "gemini_feedback";
    static final String VOTE_UP = "gemini_vote_up";
    static final String VOTE_DOWN = "gemini_vote_down";

    private AnswerBlocks() {
    }

    /**
     * @param text      what the message shows (mrkdwn, or Markdown when {@code markdown})
     * @param thread    the conversation's thread ts, or empty for the channel itself
     * @param nativeFeedback {@code context_actions} with {@code feedback_buttons}; false: plain buttons
     */
    static String of(String text, boolean markdown, String answerId, String askerId, String thread, boolean cut,
                     boolean nativeFeedback) {
        JsonArray blocks = new JsonArray();
        if (markdown) {
            JsonObject block = new JsonObject();
            block.addProperty("type", "markdown");
            block.addProperty("text", text.isEmpty() ? " " : text);
            blocks.add(block);
        } else {
            for (String part : MessageBlocks.sections(text)) {
                blocks.add(MessageBlocks.section(part));
            }
        }
        JsonArray actions = new JsonArray();
        actions.add(button(REGENERATE, "🔄 Regenerate", answerId + "|" + askerId + "|" + thread));
        if (cut) {
            actions.add(button(CONTINUE, "▶ Continue", answerId + "|" + thread));
        }
        if (!nativeFeedback) {
            actions.add(button(VOTE_UP, "👍", "up|" + answerId));
            actions.add(button(VOTE_DOWN, "👎", "down|" + answerId));
        }
        JsonObject actionsBlock = new JsonObject();
        actionsBlock.addProperty("type", "actions");
        actionsBlock.addProperty("block_id", "gemini_answer_controls");
        actionsBlock.add("elements", actions);
        blocks.add(actionsBlock);
        if (nativeFeedback) {
            JsonObject feedback = new JsonObject();
            feedback.addProperty("type", "feedback_buttons");
            feedback.addProperty("action_id", FEEDBACK);
            feedback.add("positive_button", feedbackButton("👍", "up|" + answerId, "Good answer"));
            feedback.add("negative_button", feedbackButton("👎", "down|" + answerId, "Bad answer"));
            JsonArray elements = new JsonArray();
            elements.add(feedback);
            JsonObject context = new JsonObject();
            context.addProperty("type", "context_actions");
            context.add("elements", elements);
            blocks.add(context);
        }
        return blocks.toString();
    }

    /** The message's text in mrkdwn sections and nothing else: a message whose controls were taken off. */
    static String textOnly(String text) {
        JsonArray blocks = new JsonArray();
        for (String part : MessageBlocks.sections(text)) {
            blocks.add(MessageBlocks.section(part));
        }
        return blocks.toString();
    }

    private static JsonObject button(String actionId, String label, String value) {
        JsonObject button = new JsonObject();
        button.addProperty("type", "button");
        button.addProperty("action_id", actionId);
        button.addProperty("value", value);
        button.add("text", plain(label));
        return button;
    }

    private static JsonObject feedbackButton(String label, String value, String accessibility) {
        JsonObject button = new JsonObject();
        button.add("text", plain(label));
        button.addProperty("value", value);
        button.addProperty("accessibility_label", accessibility);
        return button;
    }

    private static JsonObject plain(String text) {
        JsonObject object = new JsonObject();
        object.addProperty("type", "plain_text");
        object.addProperty("text", text);
        object.addProperty("emoji", true);
        return object;
    }
}
