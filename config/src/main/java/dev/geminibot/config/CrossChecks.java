package dev.geminibot.config;

import java.util.Optional;

/**
 * Checks that involve more than one setting, run once every value has parsed. Each problem names
 * where the offending value came from.
 */
final class CrossChecks {
    private CrossChecks() {
    }

    static void check(BotConfig config, Settings settings, Problems problems) {
        checkShards(config.discord(), settings, problems);
        checkSlack(config.slack(), settings, problems);
        checkState(config.state(), settings, problems);
    }

    private static void checkState(StateConfig state, Settings settings, Problems problems) {
        if (state.backend().equals(Optional.of(StateBackend.REDIS)) && state.redisUrl().isEmpty()) {
            problems.add(SecretKey.REDIS_URL.envVar(), "is not set, but " + settings.origin(Key.STATE_BACKEND)
                    + " is redis (write redis://[:password@]host:port)");
        }
    }

    private static void checkShards(DiscordConfig discord, Settings settings, Problems problems) {
        if (discord.shardRange().isEmpty()) {
            return;
        }
        String where = settings.origin(Key.DISCORD_SHARD_RANGE);
        ShardRange range = discord.shardRange().get();
        if (discord.shards() == 0) {
            problems.add(where, "needs discord.shards: a range only means something once the total is fixed");
        } else if (!range.fitsIn(discord.shards())) {
            problems.add(where, "'" + range + "' goes past discord.shards (" + discord.shards()
                    + "): shards are numbered 0 to " + (discord.shards() - 1));
        }
    }

    /**
     * Slack needs the bot token and one way in. A half-configured Slack is reported rather than
     * silently left off: whoever set one of its secrets meant to run it.
     */
    private static void checkSlack(SlackConfig slack, Settings settings, Problems problems) {
        boolean bot = slack.botToken().isPresent();
        boolean app = slack.appToken().isPresent();
        boolean signing = slack.signingSecret().isPresent();
        Optional<SlackMode> mode = slack.mode();
        if (!bot && (app || signing)) {
            problems.add(SecretKey.SLACK_BOT_TOKEN.envVar(), "is not set, but "
                    + (app ? SecretKey.SLACK_APP_TOKEN : SecretKey.SLACK_SIGNING_SECRET).envVar()
                    + " is: Slack needs its bot token (xoxb-…) too");
        } else if (bot && !app && !signing) {
            problems.add(SecretKey.SLACK_BOT_TOKEN.envVar(), "is set, but neither " + SecretKey.SLACK_APP_TOKEN.envVar()
                    + " (Socket Mode) nor " + SecretKey.SLACK_SIGNING_SECRET.envVar() + " (HTTP mode) is");
        } else if (bot && mode.equals(Optional.of(SlackMode.SOCKET)) && !app) {
            problems.add(settings.origin(Key.SLACK_MODE), "is socket, but " + SecretKey.SLACK_APP_TOKEN.envVar()
                    + " is not set (Socket Mode connects with the app-level token, xapp-…)");
        } else if (bot && mode.equals(Optional.of(SlackMode.HTTP)) && !signing) {
            problems.add(settings.origin(Key.SLACK_MODE), "is http, but " + SecretKey.SLACK_SIGNING_SECRET.envVar()
                    + " is not set (HTTP mode needs it to verify that requests come from Slack)");
        }
    }
}
