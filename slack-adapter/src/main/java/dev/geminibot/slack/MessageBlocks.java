package dev.geminibot.slack;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The Block Kit layout of a message that is still being written: its text in mrkdwn sections and a
 * Stop button under it. A message with blocks shows the blocks, not its {@code text}, so the text has
 * to move into sections while the button is shown.
 */
final class MessageBlocks {

    /** The {@code action_id} of the Stop button; its {@code value} is the thread the answer is written in. */
    static final String STOP_ACTION = "gemini_stop";

    /** Slack refuses a section text longer than this (the message itself may hold more). */
    static final int SECTION_LIMIT = 3000;

    /** {@code blocks} value that removes every block from a message on {@code chat.update}. */
    static final String NONE = "[]";

    private MessageBlocks() {
    }

    /** Sections holding {@code mrkdwn} and an actions block with the Stop button, as JSON. */
    static String liveWithStop(String mrkdwn, String conversationThread) {
        JsonArray blocks = new JsonArray();
        for (String part : sections(mrkdwn)) {
            blocks.add(section(part));
        }
        JsonObject label = new JsonObject();
        label.addProperty("type", "plain_text");
        label.addProperty("text", "Stop");
        JsonObject button = new JsonObject();
        button.addProperty("type", "button");
        button.addProperty("action_id", STOP_ACTION);
        button.addProperty("value", conversationThread);
        button.add("text", label);
        JsonArray elements = new JsonArray();
        elements.add(button);
        JsonObject actions = new JsonObject();
        actions.addProperty("type", "actions");
        actions.add("elements", elements);
        blocks.add(actions);
        return blocks.toString();
    }

    /** A section block holding {@code mrkdwn}. */
    static JsonObject section(String mrkdwn) {
        JsonObject body = new JsonObject();
        body.addProperty("type", "mrkdwn");
        body.addProperty("text", mrkdwn);
        JsonObject section = new JsonObject();
        section.addProperty("type", "section");
        section.add("text", body);
        return section;
    }

    /**
     * Cuts text into section-sized parts at line breaks where it can; a code fence open at a cut is
     * closed there and reopened in the next part so neither renders half as code.
     */
    static List<String> sections(String mrkdwn) {
        List<String> parts = new ArrayList<>();
        String rest = mrkdwn.isEmpty() ? " " : mrkdwn;
        // Room for a closing and an opening fence added at a cut.
        int budget = SECTION_LIMIT - 8;
        while (rest.length() > SECTION_LIMIT) {
            int cut = rest.lastIndexOf('\n', budget);
            if (cut < budget / 2) {
                cut = budget;
            }
            String part = rest.substring(0, cut);
            rest = rest.substring(cut).stripLeading();
            if (countFences(part) % 2 == 1) {
                part = part + "\n```";
                rest = "```\n" + rest;
            }
            parts.add(part);
        }
        parts.add(rest);
        return parts;
    }

    private static int countFences(String text) {
        int count = 0;
        for (int i = text.indexOf("```"); i >= 0; i = text.indexOf("```", i + 3)) {
            count++;
        }
        return count;
    }
}
