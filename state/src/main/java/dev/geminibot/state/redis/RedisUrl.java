package dev.geminibot.state.redis;

import dev.geminibot.state.StateOpenException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code REDIS_URL} taken apart: {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://}
 * for TLS. {@link #toString()} and {@link #where()} show the host and port only: the password never
 * reaches a log, an exception or a health response.
 */
public final class RedisUrl {
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final int database;
    private final boolean tls;

    private RedisUrl(String host, int port, String user, String password, int database, boolean tls) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.database = database;
        this.tls = tls;
    }

    /** @throws StateOpenException naming {@code REDIS_URL} (never its value) when it cannot be used */
    public static RedisUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new StateOpenException("REDIS_URL: is required by state.backend: redis (e.g. redis://localhost:6379)");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            // The message would quote the URL, password included: say what is wrong without it.
            throw new StateOpenException("REDIS_URL: is not a URL (write redis://[:password@]host:port)");
        }
        String scheme = uri.getScheme();
        if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)) {
            throw new StateOpenException("REDIS_URL: must start with redis:// or rediss://");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new StateOpenException("REDIS_URL: names no host (write redis://[:password@]host:port)");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String rawUser = colon < 0 ? "" : userInfo.substring(0, colon);
            String rawPassword = colon < 0 ? userInfo : userInfo.substring(colon + 1);
            user = rawUser.isEmpty() ? null : decode(rawUser);
            password = rawPassword.isEmpty() ? null : decode(rawPassword);
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new StateOpenException("REDIS_URL: the part after the port must be a database number, e.g. /0");
            }
        }
        return new RedisUrl(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), user, password, database,
                "rediss".equalsIgnoreCase(scheme));
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    int database() {
        return database;
    }

    boolean tls() {
        return tls;
    }

    /** {@code host:port}, for logs and health. */
    public String where() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + (password != null ? "****@" : "") + where()
                + (database != 0 ? "/" + database : "");
    }
}
