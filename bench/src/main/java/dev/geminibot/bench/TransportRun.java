package dev.geminibot.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * The floor under the scale run: the same N paced streams from the lean fake, read by nothing but an HTTP
 * client that counts {@code data:} lines; no JSON, no engine, no reply. Two readers: OkHttp with one virtual
 * thread blocked on each stream (how the bot reads), and the JDK's {@link HttpClient} delivering every
 * line on its selector thread (a direct executor: one thread for all sockets, no hand-off). What each costs
 * per event is what waking a thread per event costs on this machine, before the bot does any work.
 */
final class TransportRun {
    private TransportRun() {
    }

    static void run(PrintStream out, int n, int deltas, int periodMs) throws Exception {
        Table table = new Table(String.format(Locale.ROOT, "Transport floor: %,d streams x %d events, one per %d ms, "
                + "from the lean fake; the client only counts lines (second of two rounds)", n, deltas, periodMs),
                "reader", "events", "CPU us/event", "CPU us/stream-s", "wall s");
        Process server = ScaleRun.startServer(n);
        try (var stdin = server.getOutputStream()) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            int port = Integer.parseInt(lines.readLine().substring(5).trim());
            String url = "http://127.0.0.1:" + port + "/v1beta/models/bench:streamGenerateContent?alt=sse";
            for (String reader : new String[] {"OkHttp, a virtual thread per stream", "JDK HttpClient, selector thread"}) {
                double[] last = null;
                for (int round = 0; round < 2; round++) {
                    last = reader.startsWith("OkHttp") ? okHttp(url, n, deltas, periodMs, round)
                            : jdk(url, n, deltas, periodMs, round);
                }
                table.row(reader, (long) last[0], String.format(Locale.ROOT, "%.1f", last[1]),
                        String.format(Locale.ROOT, "%.0f", last[1] * 1000.0 / periodMs),
                        String.format(Locale.ROOT, "%.1f", last[2]));
            }
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        table.print(out);
    }

    private static String body(int id, int deltas, int periodMs) {
        return "{\"contents\":[{\"parts\":[{\"text\":\"bench id=" + id + " deltas=" + deltas + " period=" + periodMs + "\"}]}]}";
    }

    /** events, CPU microseconds per event, wall seconds. */
    private static double[] measure(int n, Runnable start, CountDownLatch done, AtomicLong events) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        start.run();
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("streams did not end");
        }
        cpu = os.getProcessCpuTime() - cpu;
        return new double[] {events.get(), cpu / 1_000.0 / Math.max(1, events.get()), (System.nanoTime() - wall) / 1e9};
    }

    private static double[] okHttp(String url, int n, int deltas, int periodMs, int round) throws Exception {
        OkHttpClient client = new OkHttpClient.Builder().connectionPool(new ConnectionPool(n + 16, 5, TimeUnit.MINUTES))
                .readTimeout(Duration.ZERO).build();
        AtomicLong events = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        MediaType json = MediaType.get("application/json");
        try {
            return measure(n, () -> ramp(n, id -> Thread.ofVirtual().start(() -> {
                Request request = new Request.Builder().url(url)
                        .post(RequestBody.create(body(round * 1_000_000 + id, deltas, periodMs), json)).build();
                try (Response response = client.newCall(request).execute()) {
                    BufferedSource source = response.body().source();
                    for (String line; (line = source.readUtf8Line()) != null; ) {
                        if (line.startsWith("data:")) {
                            events.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            })), done, events);
        } finally {
            client.connectionPool().evictAll();
        }
    }

    private static double[] jdk(String url, int n, int deltas, int periodMs, int round) throws Exception {
        AtomicLong events = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run).build()) {
            return measure(n, () -> ramp(n, id -> client.sendAsync(HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body(round * 1_000_000 + id, deltas, periodMs))).build(),
                    HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                        @Override
                        public void onSubscribe(Flow.Subscription subscription) {
                            subscription.request(Long.MAX_VALUE);
                        }

                        @Override
                        public void onNext(String line) {
                            if (line.startsWith("data:")) {
                                events.incrementAndGet();
                            }
                        }

                        @Override
                        public void onError(Throwable error) {
                            error.printStackTrace();
                            done.countDown();
                        }

                        @Override
                        public void onComplete() {
                            done.countDown();
                        }
                    }))), done, events);
        }
    }

    /** Starts the streams over half a millisecond each, as the scale run ramps. */
    private static void ramp(int n, java.util.function.IntConsumer start) {
        for (int id = 0; id < n; id++) {
            start.accept(id);
            if (id % 2 == 1) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
