# Shared by every framebench script: find the checkout, a JDK 25+, Maven, and build when sources changed;
# print a script's help with no build. Source it; it defines functions and FB_ROOT, and changes nothing else.

FB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FB_JAR="$FB_ROOT/harness/target/benchmarks.jar"
# The one JDK floor, as the parent pom's java.release (which the build enforces); scripts/test.sh checks they agree.
FB_MIN_JAVA=25

fb_say() { printf '[framebench] %s\n' "$*" >&2; }
fb_die() { printf 'framebench: %s\n' "$*" >&2; exit 2; }

# Major version of a java binary, or empty when it does not run.
fb_java_major() {
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1)
  printf '%s' "${v%%.*}"
}

# Sets JAVA_HOME to a JDK >= FB_MIN_JAVA: JAVA_HOME first, then java on PATH, then the newest under the usual
# install folders. Says which one; fails with one line listing what it saw when none will do.
fb_find_jdk() {
  local seen=() candidates=() c major best="" best_major=0
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    c=$(readlink -f "$(command -v java)")
    candidates+=("$(dirname "$(dirname "$c")")")
  fi
  # FB_JDK_SEARCH replaces the usual install folders (the fault suite uses it to offer only an old JDK).
  for c in ${FB_JDK_SEARCH:-/usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*}; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    case " ${seen[*]:-} " in *" $c="*) continue ;; esac
    major=$(fb_java_major "$c/bin/java")
    if [ -z "$major" ]; then seen+=("$c=does-not-run"); continue; fi
    seen+=("$c=$major")
    if [ "$c" = "${JAVA_HOME:-}" ] && [ "$major" -ge "$FB_MIN_JAVA" ]; then best=$c; best_major=$major; break; fi
    if [ "$major" -ge "$FB_MIN_JAVA" ] && [ "$major" -gt "$best_major" ]; then best=$c; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    fb_die "no JDK $FB_MIN_JAVA+ found (saw: ${seen[*]:-none}); install JDK 25 (e.g. Temurin or Amazon Corretto 25) or set JAVA_HOME to one"
  fi
  # JAVA_TOOL_OPTIONS and JDK_JAVA_OPTIONS reach every JVM and land in JMH's records (jvmArgs, jmh.log)
  # with their values: the runs do without them, so every figure comes from the flags framebench sets,
  # and env.json names the variables that were dropped, never their values.
  local dropped=""
  for var in JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS; do
    if [ -n "${!var:-}" ]; then dropped="$dropped $var"; unset "$var"; fi
  done
  if [ -n "$dropped" ]; then
    export FRAMEBENCH_DROPPED_JVM_ENV="${dropped# }"
    fb_say "note: ignoring${dropped} (its flags would reach every JVM of the run and its records); env.json names it, without its value"
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  FB_JAVA="$JAVA_HOME/bin/java"
  # Agrona 2 (and Aeron on it) reaches jdk.internal.misc.Unsafe; without this it fails with IllegalAccessError.
  # framebench.watchParent: the command-line JVM ends its run when the script that started it is killed.
  FB_JAVA_OPTS=(--enable-native-access=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED -Dframebench.watchParent=true)
  # JMH 1.37 reads fields through sun.misc.Unsafe; JDK 24+ warns on every start unless allowed.
  [ "$best_major" -ge 24 ] && FB_JAVA_OPTS+=(--sun-misc-unsafe-memory-access=allow)
  # FB_EXTRA_JAVA_OPTS: more options for the command-line JVM (the fault suite passes -Djmh.ignoreLock=true,
  # since a benchmark of another session may hold JMH's lock); the forks and senders keep their own.
  local extra
  if [ -n "${FB_EXTRA_JAVA_OPTS:-}" ]; then read -r -a extra <<<"$FB_EXTRA_JAVA_OPTS"; FB_JAVA_OPTS+=("${extra[@]}"); fi
  if [ "${FB_QUIET_JDK:-}" != 1 ]; then fb_say "JDK $best_major at $JAVA_HOME"; fi
}

# Runs Maven (system mvn 3.8+, else the wrapper) with the JDK found above, batch mode, no colour, on the
# root pom; fb_mvn_project POM ... on another project (examples/custom-transport).
fb_mvn() {
  fb_mvn_project "$FB_ROOT/pom.xml" "$@"
}

fb_mvn_project() {
  local mvn pom=$1
  shift
  if command -v mvn >/dev/null 2>&1; then mvn=mvn; else mvn="$FB_ROOT/mvnw"; fi
  # Maven's bundled Guava calls sun.misc.Unsafe; JDK 24+ warns about it on every build unless allowed.
  # framebench.commit goes into build.properties, for 'framebench --version'.
  MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" "$mvn" -B -ntp -Dstyle.color=never \
    -Dframebench.commit="$(fb_git_commit "$(dirname "$pom")")" -f "$pom" "$@"
}

# The commit of the checkout holding folder $1, with -dirty when tracked files differ from it; "unknown"
# outside git (a source archive) or without git installed.
fb_git_commit() {
  local sha
  sha=$(git -C "$1" rev-parse HEAD 2>/dev/null) || { printf unknown; return 0; }
  if git -C "$1" diff --quiet HEAD -- 2>/dev/null; then printf '%s' "$sha"; else printf '%s-dirty' "$sha"; fi
}

# True when the arguments before a '--' ask for help (-h or --help): the scripts then print it and stop,
# before looking for a JDK or building anything.
fb_wants_help() {
  local arg
  for arg in "$@"; do
    case "$arg" in
      --) return 1 ;;
      -h | --help) return 0 ;;
    esac
  done
  return 1
}

# Prints the help text a command of the Java CLI prints, read from its source (the HELP text block of the
# class at path $1 under harness/src/main/java/dev/framebench/harness/), so it needs neither a build nor a
# JDK. With --formatted, it is a format string: %% becomes %, and each %s the next argument after it (the
# lists the jar fills in from the transports it finds, which only a build can know).
FB_HELP_TRANSPORTS="(listed by 'scripts/framebench transports' once built)"
FB_HELP_FRAMES="(listed by 'scripts/framebench transports' once built)"
FB_HELP_TOPOLOGIES="thread-per-stream, process-per-stream"
fb_help_from_source() {
  local file="$FB_ROOT/harness/src/main/java/dev/framebench/harness/$1" formatted=0
  shift
  if [ "${1:-}" = --formatted ]; then formatted=1; shift; fi
  [ -f "$file" ] || fb_die "no $file to read the help from; is this a whole framebench checkout?"
  awk -v formatted="$formatted" -v fills="$(printf '%s\036' "$@")" '
    BEGIN { n = split(fills, fill, "\036") }
    /static final String HELP = """/ { inside = 1; next }
    inside && /^ *""";/ { exit }
    inside {
      sub(/^            /, "")
      if (formatted) {
        out = ""
        while ((i = index($0, "%")) > 0) {
          c = substr($0, i + 1, 1)
          out = out substr($0, 1, i - 1)
          if (c == "%") out = out "%"
          else if (c == "s") { k++; out = out fill[k] }
          else out = out "%" c
          $0 = substr($0, i + 2)
        }
        $0 = out $0
      }
      print
    }' "$file"
}

# Builds harness/target/benchmarks.jar when it is missing or older than any source or pom.
# FB_CLASSPATH (the fault suite sets it) runs the scripts on that class path instead, with no build.
fb_build_if_needed() {
  if [ -n "${FB_CLASSPATH:-}" ]; then
    FB_JAR="$FB_CLASSPATH"
    return 0
  fi
  if [ -f "$FB_JAR" ] && [ -z "$(find "$FB_ROOT/pom.xml" "$FB_ROOT/transports" "$FB_ROOT/harness/pom.xml" "$FB_ROOT/harness/src" \
        -newer "$FB_JAR" \( -name '*.java' -o -name 'pom.xml' -o -path '*/resources/*' \) -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  fb_say "building harness/target/benchmarks.jar (mvn package, tests skipped; scripts/test.sh runs them)"
  local build_log
  build_log=$(mktemp "${TMPDIR:-/tmp}/framebench-build.XXXXXX")
  if ! fb_mvn -q -DskipTests package >"$build_log" 2>&1; then
    grep -E '^\[ERROR\]' "$build_log" | head -20 >&2
    rm -f "$build_log"
    fb_die "build failed (errors above); run 'scripts/test.sh' to see the whole build"
  fi
  rm -f "$build_log"
}

# Splits "$@" into FB_ARGS (what the command gets) and the jars of --with-jar PATH (repeatable), which
# join benchmarks.jar on FB_CP: a transport built outside this repo (its jar lists it for ServiceLoader)
# then runs in the command, its JMH forks and its sender JVMs, which all inherit the class path.
fb_with_jars() {
  FB_CP="$FB_JAR"
  FB_ARGS=()
  while [ $# -gt 0 ]; do
    case "$1" in
      # What follows '--' is another program's (JMH's), passed on as given.
      --) FB_ARGS+=("$@"); break ;;
      --with-jar)
        [ $# -ge 2 ] || fb_die "--with-jar needs a value: the path of a jar with a transport in it"
        [ -f "$2" ] || fb_die "--with-jar $2: no such file; build it first (e.g. mvn -f examples/custom-transport/pom.xml package)"
        case "$2" in *.jar) ;; *) fb_die "--with-jar $2: not a .jar file; give the jar that holds the transport";; esac
        FB_CP="$FB_CP:$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
        shift 2 ;;
      --with-jar=*)
        set -- --with-jar "${1#--with-jar=}" "${@:2}" ;;
      *) FB_ARGS+=("$1"); shift ;;
    esac
  done
}
