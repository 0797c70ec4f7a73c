package dev.geminibot.config;

/**
 * The operations side of {@code run}: where {@code /healthz}, {@code /readyz} and {@code /metrics} are
 * served, and how logs are written.
 *
 * @param port      {@code ops.port}: the listener's port, default 8081; 0 means no listener at all
 * @param host      {@code ops.host}: the address to bind, default {@code 0.0.0.0} (all interfaces)
 * @param logFormat {@code logging.format}: text (default) or JSON lines on stdout
 */
public record OpsConfig(int port, String host, LogFormat logFormat) {

    public static final int DEFAULT_PORT = 8081;

    public static OpsConfig defaults() {
        return new OpsConfig(DEFAULT_PORT, "0.0.0.0", LogFormat.TEXT);
    }

    /** Whether the operations listener runs. */
    public boolean enabled() {
        return port != 0;
    }
}
