/**
 * The bot's settings: immutable records ({@link dev.geminibot.config.BotConfig} and its sections),
 * loaded once at start by {@link dev.geminibot.config.ConfigLoader} from an optional YAML file and
 * the environment, validated as a whole.
 *
 * <p>Public surface: the records, {@link dev.geminibot.config.Secret} (a value whose
 * {@code toString} never shows it), {@link dev.geminibot.config.ConfigLoader},
 * {@link dev.geminibot.config.ConfigException} with its {@link dev.geminibot.config.ConfigProblem}s,
 * and {@link dev.geminibot.config.ConfigKeys} (key names and their environment variables, for help
 * and documentation). Everything else is package-private. {@code docs/bot.example.yaml} shows every
 * key with its default.
 *
 * <p>A {@code ConfigException}'s message is written for the operator: print it as it is and exit
 * with status 2.
 */
package dev.geminibot.config;
