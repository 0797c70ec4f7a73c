package dev.geminibot.discord;

import java.util.List;
import net.dv8tion.jda.api.components.MessageTopLevelComponent;

/** Replaces the buttons of a message a sink posted, leaving its text alone: one edit, after the answer is final. */
interface ButtonEditor {

    /** Sets {@code rows} (none removes every button) on {@code messageId}; failures are logged, never thrown. */
    void setButtons(String messageId, List<? extends MessageTopLevelComponent> rows);

    /** The id of the channel (or thread) the sink posts in. */
    String channelId();
}
