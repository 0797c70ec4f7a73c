package dev.geminibot.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * A local Discord that the real JDA talks to: REST under {@code /api/v10/} and a gateway WebSocket at
 * {@code /gateway}. It keeps the messages it was sent (so a test can read a message's final content),
 * records every REST call, and lets a test push gateway events and script failures.
 */
final class FakeDiscord implements AutoCloseable {

    static final String BOT_ID = "1000000000000000001";
    static final String APP_ID = BOT_ID;
    static final String GUILD_ID = "2000000000000000001";
    static final String CHANNEL_ID = "3000000000000000001";
    static final String BOT_ROLE_ID = "2000000000000000009";
    static final String ALICE = "4000000000000000001";
    static final String BOB = "4000000000000000002";
    /** Carol holds the moderators' role: Manage Channels and Manage Messages everywhere. */
    static final String CAROL = "4000000000000000003";
    static final String MOD_ROLE_ID = "2000000000000000010";
    static final long MANAGE_CHANNELS = 1L << 4;
    static final long MANAGE_MESSAGES = 1L << 13;
    static final String DM_CHANNEL_ID = "3000000000000000099";
    /** #announcements: the bot's role is denied Send Messages there by a permission overwrite. */
    static final String READ_ONLY_CHANNEL_ID = "3000000000000000002";
    /**
     * A second guild, only present when the bot connects with more than one shard: with 2 shards it is on
     * shard 0 ({@code (id >> 22) % 2}), while {@link #GUILD_ID} is on shard 1.
     */
    static final String GUILD2_ID = "2000000000004194305";
    static final String CHANNEL2_ID = "3000000000000000011";
    private static final String BOT_ROLE2_ID = "2000000000004194309";

    /** View, send, read history, create public threads, send in threads: what @everyone may do here. */
    private static final long EVERYONE_PERMISSIONS = (1L << 10) | (1L << 11) | (1L << 16) | (1L << 35) | (1L << 38);
    private static final long SEND_MESSAGES = 1L << 11;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One REST call as the fake received it, and when (System.nanoTime()). */
    record Call(String method, String path, JsonNode body, long receivedNanos) {
        String content() {
            return body == null || !body.hasNonNull("content") ? null : body.get("content").asText();
        }

        boolean hasStopButton() {
            return body != null && body.path("components").toString().contains(DiscordMessages.STOP_BUTTON_PREFIX);
        }
    }

    /** A scripted failure for the next matching call. */
    record Failure(String method, Pattern path, int status, String body, Headers headers) {
    }

    private final MockWebServer server = new MockWebServer();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> messages = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> threads = new ConcurrentHashMap<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    /** Snowflakes carry their creation time (ms since 2015) in the top bits; JDA reads it back. */
    private final AtomicLong ids = new AtomicLong((System.currentTimeMillis() - 1_420_070_400_000L) << 22);
    private final AtomicInteger sequence = new AtomicInteger();
    private final List<JsonNode> gatewayFrames = new CopyOnWriteArrayList<>();
    private volatile WebSocket socket;
    /** The connection of each shard, by shard id, once it identified with {@code shard: [id, total]}. */
    private final Map<Integer, WebSocket> shardSockets = new ConcurrentHashMap<>();
    private volatile int shardTotal = 1;
    final List<String> gatewayPaths = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    /** DM channel ids by recipient; Alice's is the one the tests write to. */
    private final Map<String, String> dmChannels = new ConcurrentHashMap<>(Map.of(ALICE, DM_CHANNEL_ID));
    /** What the bot's role grants; an administrator ignores channel overwrites. */
    private volatile long botRolePermissions = 8;

    FakeDiscord() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return route(request);
            }
        });
        server.start();
    }

    String restBaseUrl() {
        return server.url("/api/v10/").toString();
    }

    String gatewayUrl() {
        return "ws://" + server.getHostName() + ":" + server.getPort() + "/gateway";
    }

    // ---- REST -------------------------------------------------------------------------------------

    private MockResponse route(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        String method = request.getMethod();
        if (path.startsWith("/gateway") && refuseGateway) {
            return new MockResponse.Builder().code(503).body("gateway unavailable").build();
        }
        if (path.startsWith("/gateway")) {
            connections.incrementAndGet();
            gatewayPaths.add(path);
            return new MockResponse.Builder().webSocketUpgrade(new Gateway()).build();
        }
        // Decoded segments: JDA percent-encodes "@original" and "@me".
        String api = String.join("/", request.getUrl().pathSegments().subList(2, request.getUrl().pathSegments().size()));
        JsonNode body = null;
        if (request.getBody() != null && request.getBody().size() > 0) {
            try {
                String text = request.getBody().utf8();
                body = JSON.readTree(multipartJson(text, request.getHeaders().get("Content-Type")));
            } catch (IOException notJson) {
                body = null;
            }
        }
        calls.add(new Call(method, api, body, System.nanoTime()));
        synchronized (failures) {
            for (var it = failures.iterator(); it.hasNext(); ) {
                Failure failure = it.next();
                if (failure.method().equals(method) && failure.path().matcher(api).matches()) {
                    it.remove();
                    return new MockResponse.Builder().code(failure.status()).headers(failure.headers())
                            .setHeader("Content-Type", "application/json").body(failure.body()).build();
                }
            }
        }
        Matcher m;
        if (method.equals("GET") && api.equals("users/@me")) {
            return json(user(BOT_ID, "Gemini", true));
        }
        if (method.equals("GET") && api.equals("gateway/bot")) {
            ObjectNode gateway = NODES.objectNode().put("url", gatewayUrl()).put("shards", 1);
            gateway.putObject("session_start_limit").put("total", 1000).put("remaining", 1000)
                    .put("reset_after", 0).put("max_concurrency", 1);
            return json(gateway);
        }
        if (method.equals("GET") && api.equals("applications/@me")) {
            return json(NODES.objectNode().put("id", APP_ID).put("name", "Gemini").put("description", "")
                    .put("bot_public", true).put("bot_require_code_grant", false).put("flags", 0)
                    .put("verify_key", "0").set("owner", user(ALICE, "alice", false)));
        }
        if (method.equals("PUT") && api.matches("applications/\\d+(/guilds/\\d+)?/commands")) {
            return json(NODES.arrayNode());
        }
        if (method.equals("POST") && api.equals("users/@me/channels")) {
            String recipient = body.path("recipient_id").asText();
            String id = dmChannels.computeIfAbsent(recipient, r -> Long.toString(ids.incrementAndGet()));
            ObjectNode dm = NODES.objectNode().put("id", id).put("type", 1).putNull("last_message_id");
            dm.putArray("recipients").add(user(recipient, recipient.equals(ALICE) ? "alice" : "bob", false));
            return json(dm);
        }
        if ((m = match("channels/(\\d+)/typing", api)) != null && method.equals("POST")) {
            return new MockResponse.Builder().code(204).build();
        }
        if ((m = match("channels/(\\d+)/messages", api)) != null && method.equals("POST")) {
            return json(store(m.group(1), BOT_ID, body));
        }
        if ((m = match("channels/(\\d+)/messages/(\\d+)", api)) != null && method.equals("PATCH")) {
            return edit(m.group(2), body);
        }
        if ((m = match("channels/(\\d+)/messages/(\\d+)", api)) != null && method.equals("GET")) {
            ObjectNode message = messages.get(m.group(2));
            return message == null ? unknownMessage() : json(message);
        }
        if ((m = match("channels/(\\d+)/messages", api)) != null && method.equals("GET")) {
            ArrayNode history = NODES.arrayNode();
            String channel = m.group(1);
            messages.values().stream().filter(msg -> msg.get("channel_id").asText().equals(channel))
                    .sorted((a, b) -> Long.compare(b.get("id").asLong(), a.get("id").asLong()))
                    .forEach(history::add);
            return json(history);
        }
        if ((m = match("channels/(\\d+)/messages/(\\d+)/threads", api)) != null && method.equals("POST")) {
            ObjectNode thread = thread(m.group(2), m.group(1), body.get("name").asText());
            threads.put(m.group(2), thread);
            return json(thread);
        }
        if ((m = match("interactions/(\\d+)/([^/]+)/callback", api)) != null && method.equals("POST")) {
            String pressed = pressedMessages.get(m.group(2));
            if (pressed != null && body != null && body.path("type").asInt() == 7) {
                edit(pressed, body.path("data")); // UPDATE_MESSAGE: the ack edits the pressed message
            }
            return new MockResponse.Builder().code(204).build();
        }
        if ((m = match("webhooks/(\\d+)/([^/]+)/messages/@original", api)) != null && method.equals("PATCH")) {
            String id = originals.computeIfAbsent(m.group(2), token -> {
                ObjectNode created = store(interactionChannels.get(token), BOT_ID, NODES.objectNode().put("content", ""));
                return created.get("id").asText();
            });
            return edit(id, body);
        }
        if ((m = match("webhooks/(\\d+)/([^/]+)", api)) != null && method.equals("POST")) {
            // A follow-up message: a message of the bot in the interaction's channel, whatever the
            // bot's permissions there, editable through this token or (as the bot's) the channel endpoint.
            ObjectNode created = store(interactionChannels.get(m.group(2)), BOT_ID, body);
            followUps.computeIfAbsent(m.group(2), token -> ConcurrentHashMap.newKeySet()).add(created.get("id").asText());
            return json(created);
        }
        if ((m = match("webhooks/(\\d+)/([^/]+)/messages/(\\d+)", api)) != null && method.equals("PATCH")) {
            // Discord edits only the messages of this interaction through its token.
            return followUps.getOrDefault(m.group(2), Set.of()).contains(m.group(3)) ? edit(m.group(3), body) : unknownMessage();
        }
        return new MockResponse.Builder().code(404).setHeader("Content-Type", "application/json")
                .body("{\"message\":\"404: Not Found\",\"code\":0}").build();
    }

    private final Map<String, String> originals = new ConcurrentHashMap<>();
    /** The message each button interaction (by token) was pressed on. */
    private final Map<String, String> pressedMessages = new ConcurrentHashMap<>();
    private final Map<String, String> interactionChannels = new ConcurrentHashMap<>();
    /** Ids of the follow-up messages posted with each interaction token. */
    private final Map<String, Set<String>> followUps = new ConcurrentHashMap<>();

    private MockResponse edit(String id, JsonNode body) {
        ObjectNode message = messages.get(id);
        if (message == null) {
            return unknownMessage();
        }
        if (body != null && body.has("content")) {
            message.put("content", body.get("content").asText());
        }
        if (body != null && body.has("components")) {
            message.set("components", body.get("components"));
        }
        message.put("edited_timestamp", Instant.now().toString());
        return json(message);
    }

    private static MockResponse unknownMessage() {
        return new MockResponse.Builder().code(404).setHeader("Content-Type", "application/json")
                .body("{\"message\":\"Unknown Message\",\"code\":10008}").build();
    }

    private static Matcher match(String regex, String path) {
        Matcher m = Pattern.compile(regex).matcher(path);
        return m.matches() ? m : null;
    }

    /** JDA sends JSON bodies, or multipart with a {@code payload_json} part; take the JSON either way. */
    private static String multipartJson(String text, String contentType) {
        if (contentType == null || !contentType.startsWith("multipart/")) {
            return text;
        }
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        return text.substring(start, end + 1);
    }

    private static MockResponse json(JsonNode node) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(node.toString()).build();
    }

    ObjectNode store(String channelId, String authorId, JsonNode body) {
        String id = Long.toString(ids.incrementAndGet());
        ObjectNode message = message(id, channelId, authorId, body.path("content").asText(""));
        if (body.has("components")) {
            message.set("components", body.get("components"));
        }
        JsonNode reference = body.get("message_reference");
        if (reference != null) {
            message.put("type", 19);
            message.set("message_reference", reference);
        }
        messages.put(id, message);
        return message;
    }

    // ---- scripting and inspection -------------------------------------------------------------------

    /**
     * Makes the bot's role an ordinary one granting what {@code @everyone} may do, instead of an
     * administrator (whom no overwrite binds), from the next GUILD_CREATE: call it before connecting.
     */
    void botIsNoAdministrator() {
        botRolePermissions = EVERYONE_PERMISSIONS;
    }

    void failNext(String method, String pathRegex, int status, String body, Headers headers) {
        synchronized (failures) {
            failures.add(new Failure(method, Pattern.compile(pathRegex), status, body, headers));
        }
    }

    List<Call> calls() {
        return new ArrayList<>(calls);
    }

    List<Call> calls(Predicate<Call> filter) {
        return calls.stream().filter(filter).toList();
    }

    String content(String messageId) {
        ObjectNode message = messages.get(messageId);
        return message == null ? null : message.get("content").asText();
    }

    JsonNode message(String messageId) {
        return messages.get(messageId);
    }

    void deleteMessage(String messageId) {
        messages.remove(messageId);
    }

    /** Ids of the bot's messages in {@code channelId}, newest first. */
    List<String> botMessageIds(String channelId) {
        return messages.values().stream()
                .filter(m -> m.get("channel_id").asText().equals(channelId) && m.path("author").path("id").asText().equals(BOT_ID))
                .map(m -> m.get("id").asText())
                .sorted(java.util.Comparator.comparingLong((String id) -> Long.parseLong(id)).reversed())
                .toList();
    }

    String originalMessageId(String token) {
        return originals.get(token);
    }

    /** Ids of the follow-up messages posted with the interaction token {@code token}, oldest first. */
    List<String> followUpIds(String token) {
        return followUps.getOrDefault(token, Set.of()).stream().sorted(java.util.Comparator.comparingLong(Long::parseLong))
                .toList();
    }

    List<JsonNode> gatewayFrames() {
        return new ArrayList<>(gatewayFrames);
    }

    int gatewayConnections() {
        return connections.get();
    }

    /** Waits until {@code condition} holds, polling the recorded state. */
    static void await(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    // ---- gateway ----------------------------------------------------------------------------------

    /** A user posts {@code content} in {@code channelId}; returns the message's id. */
    String userMessage(String channelId, String guildId, String authorId, String content, String replyToId) {
        String id = Long.toString(ids.incrementAndGet());
        ObjectNode message = message(id, channelId, authorId, content);
        if (guildId != null) {
            message.put("guild_id", guildId);
            message.set("member", member(null));
        }
        ArrayNode mentions = message.putArray("mentions");
        if (content.contains("<@" + BOT_ID + ">")) {
            mentions.add(user(BOT_ID, "Gemini", true));
        }
        if (content.contains("<@" + BOB + ">")) {
            ObjectNode bob = user(BOB, "bob", false);
            if (guildId != null) {
                bob.set("member", member(null)); // as Discord sends a mentioned member in a guild
            }
            mentions.add(bob);
        }
        if (replyToId != null) {
            message.put("type", 19);
            message.putObject("message_reference").put("message_id", replyToId).put("channel_id", channelId)
                    .put("guild_id", guildId);
            ObjectNode referenced = messages.get(replyToId);
            if (referenced != null) {
                message.set("referenced_message", referenced.deepCopy());
            }
        }
        messages.put(id, message);
        dispatch("MESSAGE_CREATE", message);
        return id;
    }

    /**
     * A user posts {@code content} with files in {@code channelId}; each attachment is a JSON object as
     * Discord sends it ({@code id, filename, size, url, proxy_url, content_type}). Returns the message's id.
     */
    String userMessageWithAttachments(String channelId, String guildId, String authorId, String content,
                                      List<ObjectNode> attachments) {
        String id = Long.toString(ids.incrementAndGet());
        ObjectNode message = message(id, channelId, authorId, content);
        if (guildId != null) {
            message.put("guild_id", guildId);
            message.set("member", member(null));
        }
        if (content.contains("<@" + BOT_ID + ">")) {
            message.withArray("mentions").add(user(BOT_ID, "Gemini", true));
        }
        ArrayNode files = message.putArray("attachments");
        attachments.forEach(files::add);
        messages.put(id, message);
        dispatch("MESSAGE_CREATE", message);
        return id;
    }

    /** One attachment object as Discord describes it. */
    static ObjectNode attachment(String id, String fileName, String contentType, long size, String url) {
        ObjectNode a = NODES.objectNode().put("id", id).put("filename", fileName).put("size", size)
                .put("url", url).put("proxy_url", url);
        if (contentType != null) {
            a.put("content_type", contentType);
        }
        return a;
    }

    /** A slash command from {@code userId}; returns the interaction token. */
    String slashCommand(String channelId, String userId, String name, String prompt) {
        String id = Long.toString(ids.incrementAndGet());
        String token = "itoken-" + id;
        interactionChannels.put(token, channelId);
        ObjectNode data = NODES.objectNode().put("id", "5000000000000000001").put("name", name).put("type", 1);
        if (prompt != null) {
            data.putArray("options").addObject().put("name", "prompt").put("type", 3).put("value", prompt);
        }
        dispatch("INTERACTION_CREATE", interaction(id, token, 2, channelId, userId, data));
        return token;
    }

    /**
     * A slash command whose options are {@code options} as Discord sends them ({@code name}, {@code type},
     * {@code value}); a subcommand is an option of type 1 with its own {@code options}. Returns the token.
     */
    String slashCommandWith(String channelId, String userId, String name, ArrayNode options) {
        String id = Long.toString(ids.incrementAndGet());
        String token = "itoken-" + id;
        interactionChannels.put(token, channelId);
        ObjectNode data = NODES.objectNode().put("id", "5000000000000000002").put("name", name).put("type", 1);
        data.set("options", options);
        dispatch("INTERACTION_CREATE", interaction(id, token, 2, channelId, userId, data));
        return token;
    }

    /** One option of a slash command: {@code {"name":…,"type":…,"value":…}} (3 string, 5 boolean). */
    static ObjectNode option(String name, int type, Object value) {
        ObjectNode option = NODES.objectNode().put("name", name).put("type", type);
        if (value instanceof Boolean b) {
            option.put("value", b);
        } else if (value != null) {
            option.put("value", value.toString());
        }
        return option;
    }

    static ArrayNode options(ObjectNode... options) {
        ArrayNode array = NODES.arrayNode();
        for (ObjectNode option : options) {
            array.add(option);
        }
        return array;
    }

    /** {@code userId} presses the button {@code customId} on message {@code messageId}; returns the token. */
    String buttonClick(String channelId, String messageId, String userId, String customId) {
        String id = Long.toString(ids.incrementAndGet());
        String token = "itoken-" + id;
        ObjectNode data = NODES.objectNode().put("custom_id", customId).put("component_type", 2);
        ObjectNode interaction = interaction(id, token, 3, channelId, userId, data);
        interaction.set("message", messages.get(messageId).deepCopy());
        pressedMessages.put(token, messageId);
        dispatch("INTERACTION_CREATE", interaction);
        return token;
    }

    private ObjectNode interaction(String id, String token, int type, String channelId, String userId, ObjectNode data) {
        if (dmChannels.containsValue(channelId)) {
            return dmInteraction(id, token, type, channelId, userId, data);
        }
        ObjectNode interaction = NODES.objectNode().put("id", id).put("application_id", APP_ID).put("type", type)
                .put("token", token).put("version", 1).put("guild_id", GUILD_ID).put("channel_id", channelId)
                .put("locale", "en-US").put("guild_locale", "en-US").put("app_permissions", "8").put("context", 0);
        interaction.set("data", data);
        interaction.putObject("guild").put("id", GUILD_ID).put("locale", "en-US").putArray("features");
        interaction.set("channel", channelJson(channelId));
        ObjectNode member = member(user(userId, nameOf(userId), false));
        member.put("permissions", Long.toString(EVERYONE_PERMISSIONS));
        if (userId.equals(CAROL)) {
            ((ArrayNode) member.get("roles")).add(MOD_ROLE_ID);
        }
        interaction.set("member", member);
        interaction.putObject("authorizing_integration_owners").put("0", GUILD_ID);
        interaction.putArray("entitlements");
        return interaction;
    }

    /**
     * While true, DM interactions come as from a DM between two people (context 2, the other person as the
     * channel's recipient), where a bot may answer the interaction but not touch the channel's messages.
     */
    volatile boolean friendDmInteractions;

    /**
     * An interaction in the bot's DM with {@code userId}, as Discord sends it: no guild and no member, the
     * {@code user}, the DM channel whose recipient (seen from the user) is the bot, context 1 (BOT_DM), and "0"
     * for the guild install's owner.
     */
    private ObjectNode dmInteraction(String id, String token, int type, String channelId, String userId, ObjectNode data) {
        boolean friends = friendDmInteractions;
        ObjectNode interaction = NODES.objectNode().put("id", id).put("application_id", APP_ID).put("type", type)
                .put("token", token).put("version", 1).put("channel_id", channelId).put("locale", "en-US")
                .put("app_permissions", "8").put("context", friends ? 2 : 1);
        interaction.set("data", data);
        ObjectNode user = user(userId, nameOf(userId), false);
        ObjectNode channel = NODES.objectNode().put("id", channelId).put("type", 1).put("flags", 0);
        channel.putArray("recipients").add(friends ? user(BOB, nameOf(BOB), false) : user(BOT_ID, "Gemini", true));
        interaction.set("channel", channel);
        interaction.set("user", user);
        interaction.putObject("authorizing_integration_owners").put("0", "0");
        interaction.putArray("entitlements");
        return interaction;
    }

    private JsonNode channelJson(String channelId) {
        ObjectNode thread = threads.get(channelId);
        return thread != null ? thread : channelId.equals(READ_ONLY_CHANNEL_ID) ? readOnlyChannel() : textChannel();
    }

    /** While true, the gateway refuses new connections (503 to the WebSocket upgrade), as an outage would. */
    volatile boolean refuseGateway;

    /** Closes the gateway connection abnormally, as a network drop would; JDA resumes on its own. */
    void dropGateway() {
        WebSocket current = socket;
        if (current != null) {
            current.close(4000, "unknown error");
        }
    }

    void dispatch(String type, JsonNode data) {
        WebSocket current = socket;
        if (shardTotal > 1) {
            // Discord sends a guild's events on the shard (guild_id >> 22) % shards; DMs on shard 0.
            String guild = data.path("guild_id").asText("");
            current = shardSockets.get(guild.isEmpty() ? 0 : shardOf(guild, shardTotal));
        }
        if (current == null) {
            throw new IllegalStateException("no gateway connection");
        }
        dispatchTo(current, type, data);
    }

    private void dispatchTo(WebSocket target, String type, JsonNode data) {
        ObjectNode frame = NODES.objectNode().put("op", 0).put("t", type).put("s", sequence.incrementAndGet());
        frame.set("d", data);
        target.send(frame.toString());
    }

    static int shardOf(String guildId, int total) {
        return (int) ((Long.parseLong(guildId) >> 22) % total);
    }

    /** The guilds a connection identified as {@code shard} of {@code total} serves. */
    private static List<String> guildsOf(int shard, int total) {
        if (total <= 1) {
            return List.of(GUILD_ID);
        }
        return java.util.stream.Stream.of(GUILD_ID, GUILD2_ID).filter(g -> shardOf(g, total) == shard).toList();
    }

    private final class Gateway extends WebSocketListener {
        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            socket = webSocket;
            ObjectNode hello = NODES.objectNode().put("op", 10);
            hello.putObject("d").put("heartbeat_interval", 41250);
            webSocket.send(hello.toString());
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            JsonNode frame;
            try {
                frame = JSON.readTree(text);
            } catch (IOException e) {
                return;
            }
            gatewayFrames.add(frame);
            switch (frame.path("op").asInt()) {
                case 1 -> webSocket.send("{\"op\":11}");
                case 2 -> {
                    JsonNode shard = frame.path("d").path("shard");
                    int id = shard.isArray() ? shard.get(0).asInt() : 0;
                    int total = shard.isArray() ? shard.get(1).asInt() : 1;
                    shardTotal = total;
                    shardSockets.put(id, webSocket);
                    List<String> guilds = guildsOf(id, total);
                    dispatchTo(webSocket, "READY", ready(guilds));
                    guilds.forEach(guild -> dispatchTo(webSocket, "GUILD_CREATE", guild(guild)));
                }
                case 6 -> dispatchTo(webSocket, "RESUMED", NODES.objectNode());
                default -> { }
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(code, reason);
        }
    }

    // ---- payloads ---------------------------------------------------------------------------------

    private ObjectNode ready(List<String> guilds) {
        ObjectNode ready = NODES.objectNode().put("v", 10).put("session_id", "session-1")
                .put("resume_gateway_url", gatewayUrl() + "-resume");
        ObjectNode self = user(BOT_ID, "Gemini", true);
        self.put("verified", true).put("mfa_enabled", false).put("flags", 0);
        ready.set("user", self);
        ArrayNode unavailable = ready.putArray("guilds");
        guilds.forEach(guild -> unavailable.addObject().put("id", guild).put("unavailable", true));
        ready.putArray("private_channels");
        ready.putObject("application").put("id", APP_ID).put("flags", 0);
        return ready;
    }

    private ObjectNode guild(String guildId) {
        boolean first = guildId.equals(GUILD_ID);
        String botRole = first ? BOT_ROLE_ID : BOT_ROLE2_ID;
        ObjectNode guild = NODES.objectNode().put("id", guildId).put("name", first ? "Test Guild" : "Second Guild")
                .put("owner_id", ALICE)
                .put("member_count", 3).put("large", false).put("unavailable", false)
                .put("joined_at", "2024-01-01T00:00:00.000000+00:00").put("premium_progress_bar_enabled", false)
                .put("preferred_locale", "en-US").put("afk_timeout", 300);
        ArrayNode roles = guild.putArray("roles");
        roles.add(role(guildId, "@everyone", EVERYONE_PERMISSIONS, 0));
        roles.add(role(botRole, "Gemini", botRolePermissions, 1));
        roles.add(role(MOD_ROLE_ID, "moderators", MANAGE_CHANNELS | MANAGE_MESSAGES, 2));
        if (first) {
            guild.putArray("channels").add(textChannel()).add(readOnlyChannel());
        } else {
            ObjectNode general = textChannel().put("id", CHANNEL2_ID).put("guild_id", GUILD2_ID);
            guild.putArray("channels").add(general);
        }
        // Discord names the guild's active threads in GUILD_CREATE, so a restarted bot knows them.
        ArrayNode active = guild.putArray("threads");
        if (first) {
            threads.values().forEach(thread -> active.add(thread.deepCopy()));
        }
        ArrayNode members = guild.putArray("members");
        ObjectNode botMember = member(user(BOT_ID, "Gemini", true));
        ((ArrayNode) botMember.get("roles")).add(botRole);
        members.add(botMember);
        members.add(member(user(ALICE, "alice", false)));
        members.add(member(user(BOB, "bob", false)));
        ObjectNode carol = member(user(CAROL, "carol", false));
        ((ArrayNode) carol.get("roles")).add(MOD_ROLE_ID);
        members.add(carol);
        for (String empty : List.of("emojis", "stickers", "voice_states", "presences", "guild_scheduled_events",
                "features", "stage_instances", "soundboard_sounds")) {
            guild.putArray(empty);
        }
        return guild;
    }

    private static ObjectNode role(String id, String name, long permissions, int position) {
        return NODES.objectNode().put("id", id).put("name", name).put("permissions", Long.toString(permissions))
                .put("position", position).put("color", 0).put("hoist", false).put("managed", false)
                .put("mentionable", false).put("flags", 0)
                // Role colours as Discord sends them since 2025 (JDA 6.4+ requires the object).
                .set("colors", NODES.objectNode().put("primary_color", 0).putNull("secondary_color")
                        .putNull("tertiary_color"));
    }

    private static ObjectNode textChannel() {
        ObjectNode channel = NODES.objectNode().put("id", CHANNEL_ID).put("type", 0).put("guild_id", GUILD_ID)
                .put("name", "general").put("position", 0).put("nsfw", false).put("rate_limit_per_user", 0)
                .put("flags", 0);
        channel.putArray("permission_overwrites");
        return channel;
    }

    private static ObjectNode readOnlyChannel() {
        ObjectNode channel = NODES.objectNode().put("id", READ_ONLY_CHANNEL_ID).put("type", 0).put("guild_id", GUILD_ID)
                .put("name", "announcements").put("position", 1).put("nsfw", false).put("rate_limit_per_user", 0)
                .put("flags", 0);
        ArrayNode overwrites = channel.putArray("permission_overwrites");
        overwrites.addObject().put("id", BOT_ROLE_ID).put("type", 0)
                .put("allow", "0").put("deny", Long.toString(SEND_MESSAGES));
        // Bob manages this channel (a member overwrite); the moderators' role may not here.
        overwrites.addObject().put("id", BOB).put("type", 1)
                .put("allow", Long.toString(MANAGE_CHANNELS)).put("deny", "0");
        overwrites.addObject().put("id", MOD_ROLE_ID).put("type", 0)
                .put("allow", "0").put("deny", Long.toString(MANAGE_CHANNELS));
        return channel;
    }

    private static ObjectNode thread(String id, String parentId, String name) {
        ObjectNode thread = NODES.objectNode().put("id", id).put("type", 11).put("guild_id", GUILD_ID)
                .put("parent_id", parentId).put("name", name).put("owner_id", BOT_ID).put("message_count", 0)
                .put("member_count", 1).put("rate_limit_per_user", 0).put("flags", 0).put("last_message_id", id);
        thread.putObject("thread_metadata").put("archived", false).put("auto_archive_duration", 1440)
                .put("archive_timestamp", Instant.now().toString()).put("locked", false);
        return thread;
    }

    /** Stores a message as if it had been posted earlier (no gateway event); returns its id. */
    String seed(String channelId, String authorId, String content) {
        String id = Long.toString(ids.incrementAndGet());
        messages.put(id, message(id, channelId, authorId, content));
        return id;
    }

    /** Adds a thread the bot started (as after a restart, delivered by THREAD_CREATE). */
    void threadCreated(String threadId, String ownerId) {
        ObjectNode thread = thread(threadId, CHANNEL_ID, "earlier question");
        thread.put("owner_id", ownerId);
        threads.put(threadId, thread);
        dispatch("THREAD_CREATE", thread.deepCopy().put("newly_created", true));
    }

    private static String nameOf(String userId) {
        return userId.equals(ALICE) ? "alice" : userId.equals(CAROL) ? "carol" : "bob";
    }

    private static ObjectNode user(String id, String name, boolean bot) {
        return NODES.objectNode().put("id", id).put("username", name).put("discriminator", "0")
                .put("global_name", name).putNull("avatar").put("bot", bot).put("public_flags", 0);
    }

    private static ObjectNode member(ObjectNode user) {
        ObjectNode member = NODES.objectNode().put("joined_at", "2024-01-01T00:00:00.000000+00:00")
                .put("deaf", false).put("mute", false).put("flags", 0);
        if (user != null) {
            member.set("user", user);
        }
        member.putArray("roles");
        return member;
    }

    private ObjectNode message(String id, String channelId, String authorId, String content) {
        ObjectNode message = NODES.objectNode().put("id", id).put("channel_id", channelId).put("type", 0)
                .put("content", content).put("timestamp", Instant.now().toString()).putNull("edited_timestamp")
                .put("tts", false).put("mention_everyone", false).put("pinned", false).put("flags", 0);
        message.set("author", user(authorId, authorId.equals(BOT_ID) ? "Gemini" : authorId.equals(ALICE) ? "alice" : "bob",
                authorId.equals(BOT_ID)));
        message.putArray("mentions");
        message.putArray("mention_roles");
        message.putArray("attachments");
        message.putArray("embeds");
        message.putArray("components");
        if (!dmChannels.containsValue(channelId)) {
            message.put("guild_id", GUILD_ID);
        }
        return message;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
