package dev.geminibot.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.app_backend.slash_commands.response.SlashCommandResponse;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.settings.SettingsCommand;
import dev.geminibot.core.settings.SettingsCommand.Setting;
import dev.geminibot.core.state.ChannelRef;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /model [name]}, {@code /system [text | reset]} and {@code /search [on|off]} on Slack. Each is acked at
 * once and answered on a worker through the command's {@code response_url}, visible only to the caller: the
 * settings live in the state backend and an admin check may ask {@code users.info}, neither of which belongs
 * on the ack path. Anyone may read; {@link SlackAdmins} decides who may change.
 */
final class SlackSettingsCommands {
    private static final Logger log = LoggerFactory.getLogger(SlackSettingsCommands.class);

    private final SettingsCommand command;
    private final SlackAdmins admins;
    private final Executor workers;

    SlackSettingsCommands(ChatEngine engine, SlackAdmins admins, Executor workers) {
        this.command = new SettingsCommand(engine.settings());
        this.admins = admins;
        this.workers = workers;
    }

    void register(App app) {
        for (Setting setting : Setting.values()) {
            app.command("/" + setting.command(), (request, ctx) -> handle(setting, request, ctx));
        }
    }

    private Response handle(Setting setting, SlashCommandRequest request, SlashCommandContext ctx) {
        SlashCommandPayload payload = request.getPayload();
        String team = payload.getTeamId() != null ? payload.getTeamId() : ctx.getTeamId() == null ? "" : ctx.getTeamId();
        ChannelRef channel = new ChannelRef(SlackRouter.PLATFORM, team, payload.getChannelId());
        // Slack escapes &, < and > in a command's text; the setting keeps what the person typed.
        String text = payload.getText() == null ? "" : payload.getText()
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        SettingsCommand.Request asked = SettingsCommand.parse(setting, text);
        workers.execute(() -> {
            String reply = command.run(asked, channel, () -> admins.mayChange(payload.getUserId()), admins.who());
            try {
                ctx.respond(SlashCommandResponse.builder().responseType("ephemeral").text(reply).build());
            } catch (Exception e) {
                log.warn("Could not answer {}: {}", payload.getCommand(), e.getMessage());
            }
        });
        return ctx.ack();
    }
}
