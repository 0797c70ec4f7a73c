package dev.geminibot.core.media;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Locale;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Downloads one shared file, bounded in time (by default {@link #TIMEOUT} for the whole call) and in bytes (never
 * more than the platform stated, nor the limit). Blocking: call it on a virtual thread. A failure is a
 * {@link Refused} whose message is fit to show the user, naming no URL and no credential.
 */
final class FileDownloader {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A file that will not be sent; the message says why, in words for the user. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final OkHttpClient client;
    private final Duration timeout;

    FileDownloader(OkHttpClient shared, Duration timeout) {
        this.timeout = timeout;
        // Redirects are followed (Discord's CDN, Slack's file host); OkHttp drops Authorization when a
        // redirect leaves the host, so the bot token never reaches a third party.
        this.client = shared.newBuilder()
                .callTimeout(timeout)
                .readTimeout(timeout)
                .followRedirects(true)
                .build();
    }

    /**
     * @param limit the most bytes accepted: the stated size when known, else the configured maximum
     * @param expectsHtml whether the file itself is a web page (else HTML means a sign-in page)
     */
    byte[] download(SharedFile file, long limit, boolean expectsHtml) throws Refused {
        Request.Builder request = new Request.Builder().url(file.url()).get();
        file.headers().forEach(request::header);
        Call call = client.newCall(request.build());
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                throw new Refused("the download failed (HTTP " + response.code() + ")");
            }
            ResponseBody body = response.body();
            String contentType = body.contentType() == null ? "" : body.contentType().type() + "/" + body.contentType().subtype();
            if (!expectsHtml && contentType.toLowerCase(Locale.ROOT).equals("text/html")) {
                throw new Refused(loginPage());
            }
            if (body.contentLength() > limit) {
                throw new Refused(overLimit(file, limit));
            }
            byte[] bytes = readAtMost(body.source(), limit, file);
            if (!expectsHtml && FileTypes.looksLikeHtml(bytes)) {
                throw new Refused(loginPage());
            }
            return bytes;
        } catch (InterruptedIOException e) {
            throw new Refused("the download took longer than " + Math.max(1, timeout.toSeconds()) + " s");
        } catch (IOException e) {
            throw new Refused("the download failed (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            throw new Refused("the platform gave no usable download address");
        }
    }

    /** Reads until the end, or fails as soon as the body grows past {@code limit}. */
    private static byte[] readAtMost(BufferedSource source, long limit, SharedFile file) throws IOException, Refused {
        Buffer buffer = new Buffer();
        while (!source.exhausted()) {
            source.read(buffer, 64 * 1024);
            if (buffer.size() > limit) {
                throw new Refused(overLimit(file, limit));
            }
        }
        return buffer.readByteArray();
    }

    private static String loginPage() {
        return "a web page came back instead of the file (a sign-in page: the bot may lack the files:read scope)";
    }

    /** The body is longer than allowed: past the size the platform stated, or past the limit. */
    private static String overLimit(SharedFile file, long limit) {
        return file.size() >= 0 && limit >= file.size()
                ? "it grew past its stated size of " + dev.geminibot.config.ByteSizes.describe(file.size())
                : "it is over the " + dev.geminibot.config.ByteSizes.describe(limit) + " limit";
    }
}
