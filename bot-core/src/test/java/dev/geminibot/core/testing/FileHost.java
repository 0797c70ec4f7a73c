package dev.geminibot.core.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * A file server on loopback standing in for Discord's CDN or Slack's file host: serves bytes at paths,
 * or a scripted misbehaviour (a sign-in page, an error, a body longer than announced), and records every
 * request with its headers. Real bytes for tests: {@link #png()}, {@link #pdf()}, {@link #text()}.
 */
public final class FileHost implements AutoCloseable {
    private final MockWebServer server = new MockWebServer();
    private final Map<String, MockResponse> responses = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    public FileHost() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                MockResponse response = responses.get(request.getUrl().encodedPath());
                return response != null ? response : new MockResponse.Builder().code(404).body("not found").build();
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves {@code bytes} as {@code contentType} at {@code path}; returns the file's URL. */
    public String serve(String path, String contentType, byte[] bytes) {
        responses.put(path, new MockResponse.Builder().code(200).setHeader("Content-Type", contentType)
                .body(new Buffer().write(bytes)).build());
        return url(path);
    }

    /** Serves a sign-in page (HTTP 200, text/html) at {@code path}, as Slack does without the token. */
    public String serveLoginPage(String path) {
        return serve(path, "text/html; charset=utf-8",
                "<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to your workspace</body></html>"
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** Answers {@code path} with an HTTP error. */
    public String serveError(String path, int code) {
        responses.put(path, new MockResponse.Builder().code(code).body("error").build());
        return url(path);
    }

    public String url(String path) {
        return server.url(path).toString();
    }

    /** Every request so far, in order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests for {@code path}. */
    public List<RecordedRequest> requestsFor(String path) {
        return requests.stream().filter(r -> r.getUrl().encodedPath().equals(path)).toList();
    }

    @Override
    public void close() {
        server.close();
    }

    // ---- real files ----

    /** A real 3x2 PNG, drawn and encoded by ImageIO. */
    public static byte[] png() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0000);
        image.setRGB(2, 1, 0x00FF00);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A real one-page PDF saying "Hello", with a correct cross-reference table. */
    public static byte[] pdf() {
        String[] objects = {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R "
                    + "/Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length 41 >>\nstream\nBT /F1 24 Tf 20 40 Td (Hello) Tj ET\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
        int[] offsets = new int[objects.length];
        for (int i = 0; i < objects.length; i++) {
            offsets[i] = pdf.length();
            pdf.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
        for (int offset : offsets) {
            pdf.append(String.format("%010d 00000 n \n", offset));
        }
        pdf.append("trailer\n<< /Size ").append(objects.length + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A small UTF-8 text file. */
    public static byte[] text() {
        return "line one\nline two: café ☕\n".getBytes(StandardCharsets.UTF_8);
    }
}
