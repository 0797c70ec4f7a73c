package dev.geminibot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK search behind {@code ./mvnw} and {@code ./gemini-bot} ({@code .mvn/jdk.sh}), run by {@code sh} over a
 * fake layout of Java homes: a default {@code java} 17 on the PATH, JDKs and a JRE of several versions.
 */
class JdkSearchTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    /** What the launcher adds for the short-lived {@code ask} and {@code chat}. */
    private static final String QUICK = " -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    /** What it adds for the long-lived {@code run}. */
    private static final String RUN = " -XX:+UseParallelGC -XX:SurvivorRatio=3";

    @TempDir
    Path tmp;

    @Test
    void anOldDefaultJavaIsPassedOverForTheNewestJdk21PlusAndARunNeedsNoJavac() throws Exception {
        Path jvms = tmp.resolve("jvm");
        Path old = fakeJava(jvms.resolve("java-17-openjdk"), "17.0.15", true);
        fakeJava(jvms.resolve("jdk-21"), "21.0.2", true);
        Path jre = fakeJava(jvms.resolve("jre-23"), "23.0.1", false);
        fakeJava(jvms.resolve("broken"), "", false);

        Map<String, String> env = Map.of("PATH", old.resolve("bin") + ":/usr/bin:/bin", "GEMINI_BOT_JDK_DIRS",
                tmp.resolve("nothing-here") + ":" + jvms);
        assertThat(sh("gemini_bot_find_jdk build", env).out()).isEqualTo(jvms.resolve("jdk-21").toString());
        assertThat(sh("gemini_bot_find_jdk run", env).out()).isEqualTo(jre.toString());
    }

    @Test
    void aJavaHomeOf21PlusIsUsedAsItIsAndAnOlderOneIsIgnored() throws Exception {
        Path jvms = tmp.resolve("jvm");
        Path jdk21 = fakeJava(jvms.resolve("jdk-21"), "21", true);
        Path jdk25 = fakeJava(jvms.resolve("jdk-25"), "25.0.1", true);
        Path jdk8 = fakeJava(tmp.resolve("jdk8"), "1.8.0_292", true);
        assertThat(sh("gemini_bot_find_jdk build", withJavaHome(jdk21, jvms)).out()).isEqualTo(jdk21.toString());
        assertThat(sh("gemini_bot_use_jdk build && echo \"$JAVA_HOME\" && command -v java", withJavaHome(jdk8, jvms))
                .out()).isEqualTo(jdk25 + "\n" + jdk25.resolve("bin/java"));
    }

    @Test
    void withNoJdk21AnywhereOneLineSaysWhatToInstall() throws Exception {
        Path jvms = tmp.resolve("jvm");
        Path old = fakeJava(jvms.resolve("java-17"), "17.0.15", true);
        Result result = sh("gemini_bot_use_jdk build", Map.of("PATH", old.resolve("bin") + ":/usr/bin:/bin",
                "GEMINI_BOT_JDK_DIRS", jvms.toString()));
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.err()).startsWith("error: gemini-bot needs a JDK 21 or newer").contains("openjdk-21-jdk");
    }

    @Test
    void theLauncherRunsTheJarWithTheJdkItFoundAndTheClassDataArchiveWhenThereIsOne() throws Exception {
        Path jvms = tmp.resolve("jvm");
        Path old = fakeJava(jvms.resolve("java-17"), "17.0.15", true);
        Path jdk21 = fakeJava(jvms.resolve("jdk-21"), "21.0.2", true);
        Path jdk25 = fakeJava(tmp.resolve("other/jdk-25"), "25", true);
        Path repo = launcherRepo();
        Map<String, String> env = Map.of("PATH", old.resolve("bin") + ":/usr/bin:/bin",
                "GEMINI_BOT_JDK_DIRS", jvms.toString());

        Result noJar = run(repo, env, "chat");
        assertThat(noJar.status()).isEqualTo(1);
        assertThat(noJar.err()).contains("./mvnw -B -q package -DskipTests");

        Path jar = Files.writeString(repo.resolve("app/target/gemini-bot.jar"), "jar");
        assertThat(run(repo, env, "ask", "what is a monad?").out())
                .isEqualTo(jdk21 + QUICK + " -jar " + jar + " ask what is a monad?");
        assertThat(run(repo, env, "run").out()).isEqualTo(jdk21 + RUN + " -jar " + jar + " run");
        Path jsa = Files.writeString(repo.resolve("app/target/gemini-bot.jsa"), "jsa");
        assertThat(run(repo, env, "chat").out())
                .isEqualTo(jdk21 + QUICK + " -XX:SharedArchiveFile=" + jsa + " -Xshare:auto -jar " + jar + " chat");
        // The AOT cache needs JDK 25; with 21 the AppCDS archive is used instead.
        Path aot = Files.writeString(repo.resolve("app/target/gemini-bot.aot"), "aot");
        assertThat(run(repo, env, "chat").out()).contains("-XX:SharedArchiveFile=");
        Map<String, String> with25 = withJavaHome(jdk25, jvms);
        assertThat(run(repo, with25, "chat").out())
                .isEqualTo(jdk25 + QUICK + " -XX:AOTCache=" + aot + " -jar " + jar + " chat");
        assertThat(run(repo, with25, "ask", "hi").out())
                .isEqualTo(jdk25 + QUICK + " -XX:AOTCache=" + aot + " -jar " + jar + " ask hi");
    }

    @Test
    void onlyAskAndChatStartWithTheSerialCollectorAndC1() throws Exception {
        Path jvms = tmp.resolve("jvm");
        Path jdk25 = fakeJava(jvms.resolve("jdk-25"), "25", true);
        Path repo = launcherRepo();
        Path jar = Files.writeString(repo.resolve("app/target/gemini-bot.jar"), "jar");
        Path aot = Files.writeString(repo.resolve("app/target/gemini-bot.aot"), "aot");
        Map<String, String> env = withJavaHome(jdk25, jvms);

        // run is the long-lived bot: it keeps C2, with the parallel collector, whatever follows it.
        assertThat(run(repo, env, "run", "ask").out()).isEqualTo(jdk25 + RUN + " -XX:AOTCache=" + aot + " -jar "
                + jar + " run ask");
        assertThat(run(repo, env, "--help").out()).isEqualTo(jdk25 + " -XX:AOTCache=" + aot + " -jar " + jar
                + " --help");
        assertThat(run(repo, env).out()).isEqualTo(jdk25 + " -XX:AOTCache=" + aot + " -jar " + jar);
        assertThat(run(repo, env, "ask", "run").out()).isEqualTo(jdk25 + QUICK + " -XX:AOTCache=" + aot + " -jar "
                + jar + " ask run");
    }

    @Test
    void operatorsJavaOptionsComeBeforeTheJarAndTheirCollectorReplacesTheLaunchers() throws Exception {
        Path jvms = tmp.resolve("jvm");
        Path jdk21 = fakeJava(jvms.resolve("jdk-21"), "21", true);
        Path repo = launcherRepo();
        Path jar = Files.writeString(repo.resolve("app/target/gemini-bot.jar"), "jar");
        Files.writeString(repo.resolve("-Xlog:gc.txt"), "a file that -Xlog:gc* would match if it were globbed");
        Map<String, String> base = withJavaHome(jdk21, jvms);

        Map<String, String> sized = withJavaOpts(base, "-Xmx2g -Xlog:gc*");
        assertThat(run(repo, sized, "run").out()).isEqualTo(jdk21 + RUN + " -Xmx2g -Xlog:gc* -jar " + jar + " run");
        assertThat(run(repo, sized, "ask", "hi").out()).isEqualTo(jdk21 + QUICK + " -Xmx2g -Xlog:gc* -jar " + jar
                + " ask hi");

        Map<String, String> g1 = withJavaOpts(base, "-XX:+UseG1GC");
        assertThat(run(repo, g1, "run").out()).isEqualTo(jdk21 + " -XX:+UseG1GC -jar " + jar + " run");
        Path jsa = Files.writeString(repo.resolve("app/target/gemini-bot.jsa"), "jsa");
        assertThat(run(repo, g1, "chat").out()).isEqualTo(jdk21 + " -XX:TieredStopAtLevel=1 -XX:+UseG1GC"
                + " -XX:SharedArchiveFile=" + jsa + " -Xshare:auto -jar " + jar + " chat");
        // ZGC cannot map the start-up cache (compressed pointers), so it is left out rather than refused noisily.
        Map<String, String> zgc = withJavaOpts(base, "-XX:+UseZGC");
        assertThat(run(repo, zgc, "run").out()).isEqualTo(jdk21 + " -XX:+UseZGC -jar " + jar + " run");
        assertThat(run(repo, zgc, "chat").out()).isEqualTo(jdk21 + " -XX:TieredStopAtLevel=1 -XX:+UseZGC -jar " + jar
                + " chat");
    }

    @Test
    void mvnwLooksForAJdkBeforeAnythingElse() throws IOException {
        String mvnw = Files.readString(REPO.resolve("mvnw"));
        assertThat(mvnw.indexOf("gemini_bot_use_jdk build")).isPositive().isLessThan(mvnw.indexOf("set -euf"));
        assertThat(Files.readString(REPO.resolve(".ci/run"))).doesNotContain("/usr/lib/jvm");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** A machine whose {@code JAVA_HOME} is {@code home}, with the JDKs under {@code jvms} and no java on the path. */
    private static Map<String, String> withJavaHome(Path home, Path jvms) {
        return Map.of("JAVA_HOME", home.toString(), "PATH", "/usr/bin:/bin", "GEMINI_BOT_JDK_DIRS", jvms.toString());
    }

    private static Map<String, String> withJavaOpts(Map<String, String> env, String options) {
        Map<String, String> with = new java.util.HashMap<>(env);
        with.put("GEMINI_BOT_JAVA_OPTS", options);
        return with;
    }

    /** A copy of the launcher and its JDK search in a fresh layout, with {@code app/target} still empty. */
    private Path launcherRepo() throws IOException {
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve(".mvn"));
        Files.createDirectories(repo.resolve("app/target"));
        Files.copy(REPO.resolve("gemini-bot"), repo.resolve("gemini-bot"));
        Files.copy(REPO.resolve(".mvn/jdk.sh"), repo.resolve(".mvn/jdk.sh"));
        return repo;
    }

    /** A Java home whose {@code release} names {@code version}; its {@code java} prints its home and arguments. */
    private static Path fakeJava(Path home, String version, boolean withJavac) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        if (!version.isEmpty()) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Fake\"\nJAVA_VERSION=\"" + version + "\"\n");
        }
        executable(home.resolve("bin/java"), "#!/bin/sh\necho \"" + home + " $*\"\n");
        if (withJavac) {
            executable(home.resolve("bin/javac"), "#!/bin/sh\nexit 0\n");
        }
        return home;
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    record Result(int status, String out, String err) {
    }

    private static Result sh(String script, Map<String, String> env) throws Exception {
        return exec(List.of("sh", "-c", ". \"" + REPO.resolve(".mvn/jdk.sh") + "\"; " + script), env, REPO);
    }

    private static Result run(Path repo, Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("sh", repo.resolve("gemini-bot").toString()));
        command.addAll(List.of(args));
        return exec(command, env, repo);
    }

    private static Result exec(List<String> command, Map<String, String> env, Path dir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().put("HOME", dir.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip(),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }
}
