/**
 * State that outlives a process or is seen by every instance, behind one interface: {@link
 * dev.geminibot.core.state.StateStore}. Backends: {@link dev.geminibot.core.state.MemoryStateStore} here
 * (tests, {@code chat}, {@code ask}); SQLite and Redis in the {@code state} module.
 *
 * <h2>What stays process-local (deliberately not in the store)</h2>
 * <ul>
 *   <li>The Caffeine conversation cache in {@code ConversationStore}: a read-through layer in front of the
 *       store, checked against the store's conversation version before each answer, so it never serves a
 *       conversation older than what another instance stored.</li>
 *   <li>{@code ConversationLanes} (the in-process queue per conversation) and the answer slots semaphore:
 *       across instances the conversation lease orders answers.</li>
 *   <li>Running answers ({@code AnswerRun}: the model call and its cancel handle) and the streaming reply's
 *       own state; a stop from another instance reaches them through the store's stop signals.</li>
 *   <li>The files attached to a conversation's latest question (engine {@code LatestAnswers}): their download
 *       headers are credentials, so only the latest answer's ids, turns and cut flag go to the store.</li>
 *   <li>The per-message edit timers of {@code StreamingReply} and Discord's per-channel pacer buckets
 *       (Discord's rate limits are per bot token and route, which JDA already tracks per process).</li>
 *   <li>With the {@code sqlite} backend (one instance by design): leases, rate windows and stop signals;
 *       a lease on disk would only block a restarted bot behind its dead predecessor.</li>
 *   <li>JDA's and Bolt's own state: gateway sessions, caches of guilds/channels/users, Socket Mode
 *       connections, Slack interaction tokens, Discord interaction hooks (15 minutes, bound to the
 *       process that received the interaction).</li>
 * </ul>
 */
package dev.geminibot.core.state;
