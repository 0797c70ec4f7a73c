# gemini-bot: build with the Maven wrapper, run the one jar on a JRE as a non-root user.
#   docker build -t gemini-bot .
#   docker run --env-file deploy/gemini-bot.env --stop-timeout 30 -p 8081:8081 gemini-bot
# (deploy/docker-compose.yml does the same with a Redis beside it.)

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY config config
COPY bot-core bot-core
COPY discord-adapter discord-adapter
COPY slack-adapter slack-adapter
COPY app app
COPY bench/pom.xml bench/pom.xml
# Only the launcher and what it needs: the bench module is not shipped, and the tests ran in CI.
RUN ./mvnw -B -q -pl app -am package -DskipTests

FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 gemini && useradd --system --uid 10001 --gid gemini --home-dir /app gemini \
    && mkdir -p /app/data && chown gemini:gemini /app/data
WORKDIR /app/data
COPY --from=build /src/app/target/gemini-bot.jar /app/gemini-bot.jar
USER 10001:10001
# ops.port (/healthz, /readyz, /metrics) and slack.http.port (Slack HTTP mode).
EXPOSE 8081 3000
# Liveness through the JVM itself, so the image needs no curl; it reads GEMINI_BOT_OPS_PORT like the bot.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["java", "-cp", "/app/gemini-bot.jar", "dev.geminibot.app.ops.HealthProbe"]
# run finishes the answers being written on SIGTERM within 10 s; give it 30 s (--stop-timeout 30 or
# stop_grace_period in compose) before SIGKILL: Docker's default of 10 s is not enough.
STOPSIGNAL SIGTERM
# The parallel collector and survivor ratio ./gemini-bot run uses: less CPU per streamed answer than G1
# (docs/BENCHMARKS.md 5.11), and a lower p99 staleness at 10,000 answers (5.13).
# To use another, override the entrypoint (the JVM refuses two collectors, even one from JAVA_TOOL_OPTIONS).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseParallelGC", "-XX:SurvivorRatio=3", "-jar", "/app/gemini-bot.jar"]
CMD ["run"]
