# shellcheck shell=sh
# Finds a JDK 21 or newer for ./mvnw and ./gemini-bot when the default `java` is older (POSIX sh; sourced).
#
# Order: JAVA_HOME, then the `java` on PATH, when either is 21+; otherwise the newest 21+ under
# /usr/lib/jvm, /opt/java, /opt, /usr/java, /Library/Java/JavaVirtualMachines and ~/.sdkman.
# GEMINI_BOT_JDK_DIRS (colon-separated) replaces that list of places: the tests use it with fake JDKs.

gemini_bot_java_major() { # $1 = a Java home; prints its major version, or 0
  _gb_v=""
  if [ -f "$1/release" ]; then
    _gb_v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}.*/\1/p' "$1/release" | head -n 1)
  fi
  if [ -z "$_gb_v" ] && [ -x "$1/bin/java" ]; then
    _gb_v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \(.*\)$/\1/p' | head -n 1)
  fi
  case "$_gb_v" in
    1.*) _gb_v=${_gb_v#1.} ;;
  esac
  _gb_v=${_gb_v%%[!0-9]*}
  echo "${_gb_v:-0}"
}

gemini_bot_usable() { # $1 = home, $2 = build|run: a java (and javac to build) of version 21+
  [ -x "$1/bin/java" ] || return 1
  if [ "$2" = build ] && [ ! -x "$1/bin/javac" ]; then
    return 1
  fi
  [ "$(gemini_bot_java_major "$1")" -ge 21 ]
}

gemini_bot_find_jdk() { # $1 = build|run; prints the Java home to use, or nothing
  if [ -n "${JAVA_HOME-}" ] && gemini_bot_usable "$JAVA_HOME" "$1"; then
    echo "$JAVA_HOME"
    return 0
  fi
  if command -v java >/dev/null 2>&1; then
    _gb_java=$(command -v java)
    _gb_real=$(readlink -f "$_gb_java" 2>/dev/null || echo "$_gb_java")
    _gb_home=$(dirname "$(dirname "$_gb_real")")
    if gemini_bot_usable "$_gb_home" "$1"; then
      echo "$_gb_home"
      return 0
    fi
  fi
  _gb_dirs=${GEMINI_BOT_JDK_DIRS-/usr/lib/jvm:/opt/java:/opt:/usr/java:/Library/Java/JavaVirtualMachines:$HOME/.sdkman/candidates/java}
  _gb_best="" _gb_best_v=0
  _gb_ifs=$IFS
  IFS=:
  for _gb_dir in $_gb_dirs; do
    IFS=$_gb_ifs
    [ -d "$_gb_dir" ] || continue
    for _gb_home in "$_gb_dir"/* "$_gb_dir"/*/Contents/Home; do
      [ -d "$_gb_home" ] || continue
      gemini_bot_usable "$_gb_home" "$1" || continue
      _gb_v=$(gemini_bot_java_major "$_gb_home")
      if [ "$_gb_v" -gt "$_gb_best_v" ]; then
        _gb_best=$_gb_home
        _gb_best_v=$_gb_v
      fi
    done
  done
  IFS=$_gb_ifs
  [ -n "$_gb_best" ] && echo "$_gb_best"
  return 0
}

gemini_bot_use_jdk() { # $1 = build|run; exports JAVA_HOME (and PATH) to a JDK 21+, or says what to install
  _gb_found=$(gemini_bot_find_jdk "$1")
  if [ -z "$_gb_found" ]; then
    _gb_what="JDK"
    [ "$1" = run ] && _gb_what="Java runtime"
    echo "error: gemini-bot needs a $_gb_what 21 or newer and found none (looked at JAVA_HOME, java on the PATH, /usr/lib/jvm, /opt/java); install one, e.g. 'sudo apt-get install openjdk-21-jdk' or https://adoptium.net" >&2
    return 1
  fi
  if [ "${JAVA_HOME-}" != "$_gb_found" ]; then
    JAVA_HOME=$_gb_found
    export JAVA_HOME
    PATH="$JAVA_HOME/bin:$PATH"
    export PATH
  fi
  return 0
}
