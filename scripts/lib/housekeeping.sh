# The housekeeping checks of scripts/test.sh: what a published project owes its readers, checked on every
# run so that it stays true. Source it after common.sh. Each check fails the run with one line naming what
# is wrong, the values, and how to fix it.

FB_HOUSEKEEPING_TMP=""
fb_fail() {
  printf 'framebench: housekeeping: %s\n' "$*" >&2
  [ -z "$FB_HOUSEKEEPING_TMP" ] || rm -rf "$FB_HOUSEKEEPING_TMP"
  exit 1
}

# LICENSE is the Apache License 2.0; THIRD-PARTY lists the bundled libraries and is current: it names the
# version of each library the parent pom pins (a bump without regenerating it fails here).
fb_check_licence_files() {
  local root=$1 property artifact version
  [ -f "$root/LICENSE" ] || fb_fail "no LICENSE at the root of the checkout"
  grep -q 'Apache License' "$root/LICENSE" && grep -q 'Version 2.0, January 2004' "$root/LICENSE" \
    || fb_fail "LICENSE is not the Apache License, Version 2.0 the poms declare"
  [ -s "$root/THIRD-PARTY" ] || fb_fail "no THIRD-PARTY at the root; regenerate it: $FB_THIRD_PARTY_COMMAND"
  for pair in jmh.version:org.openjdk.jmh:jmh-core netty.version:io.netty:netty-codec-http agrona.version:org.agrona:agrona \
      aeron.version:io.aeron:aeron-client jackson.version:com.fasterxml.jackson.core:jackson-databind \
      java-websocket.version:org.java-websocket:Java-WebSocket awssdk.version:software.amazon.awssdk:s3; do
    property=${pair%%:*}
    artifact=${pair#*:}
    version=$(fb_pom_property "$root/pom.xml" "$property")
    [ -n "$version" ] || fb_fail "the parent pom has no <$property>"
    grep -qF "($artifact:$version " "$root/THIRD-PARTY" \
      || fb_fail "THIRD-PARTY does not list $artifact:$version (the parent pom's $property); regenerate it: $FB_THIRD_PARTY_COMMAND"
  done
}

# How THIRD-PARTY is made (README.md, Licence, says the same).
FB_THIRD_PARTY_COMMAND="mvn -q license:aggregate-add-third-party"

# <NAME>value</NAME> of a pom, the first one.
fb_pom_property() {
  sed -n "s:.*<$2>\(.*\)</$2>.*:\1:p" "$1" | head -1
}

# The parent pom carries what a published artifact needs (modules inherit it): name, description, url,
# licences, scm, developers and organization.
fb_check_pom_metadata() {
  local pom=$1 element
  for element in name description url licenses scm developers organization inceptionYear; do
    grep -q "^  <$element>" "$pom" || fb_fail "$pom has no <$element> (the project's metadata, inherited by every module)"
  done
  grep -q '<name>Apache-2.0</name>' "$pom" || fb_fail "$pom declares no Apache-2.0 licence; LICENSE is Apache-2.0"
  grep -q '<connection>scm:git:' "$pom" || fb_fail "$pom has no scm <connection>scm:git:...</connection>"
}

# One JDK floor: the parent pom's java.release, which its enforcer rule requires; the scripts' finder
# (FB_MIN_JAVA), JdkGate, the README and the workflows' JDK must all say the same number.
fb_check_jdk_floor() {
  local root=$1 release gate readme_numbers n workflow
  release=$(fb_pom_property "$root/pom.xml" java.release)
  [ -n "$release" ] || fb_fail "the parent pom has no <java.release>"
  grep -A1 '<requireJavaVersion>' "$root/pom.xml" | grep -qF '<version>[${java.release},)</version>' \
    || fb_fail "the parent pom's enforcer requireJavaVersion is not [\${java.release},): the build would not enforce JDK $release"
  [ "$FB_MIN_JAVA" = "$release" ] || fb_fail "scripts/lib/common.sh FB_MIN_JAVA=$FB_MIN_JAVA but the pom's java.release=$release"
  gate=$(sed -n 's/.*static final int MIN_FEATURE = \([0-9]*\);.*/\1/p' "$root/harness/src/launcher/java/dev/framebench/launcher/JdkGate.java")
  [ "$gate" = "$release" ] || fb_fail "JdkGate.MIN_FEATURE=$gate but the pom's java.release=$release"
  readme_numbers=$(grep -oE '(JDK|Java) [0-9]+(\+| or newer)' "$root/README.md" | grep -oE '[0-9]+' | sort -u | tr '\n' ' ')
  [ -n "$readme_numbers" ] || fb_fail "README.md states no JDK floor ('JDK $release+'); say it where it lists the prerequisites"
  for n in $readme_numbers; do
    [ "$n" = "$release" ] || fb_fail "README.md says JDK $n+ (or newer) but the build enforces JDK $release (pom java.release)"
  done
  for workflow in "$root"/.github/workflows/*.yml; do
    [ -f "$workflow" ] || continue
    while read -r n; do
      [ "$n" = "$release" ] || fb_fail "${workflow#"$root"/} sets up JDK $n but the build needs JDK $release"
    done < <(sed -n "s/.*java-version: *'\{0,1\}\([0-9]*\)'\{0,1\}.*/\1/p" "$workflow")
  done
}

# Every script's --help (and -h) prints its usage on a clean copy of the checkout (no target/ folders)
# with no Maven and no JDK in reach: fakes of mvn, java and javac come first on PATH, record that they were
# called and fail; the JDK search finds nothing else. Each must exit 0 and print 'usage:' first.
fb_check_help_without_build() {
  local root=$1 tmp script args out status
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/framebench-help-check.XXXXXX")
  FB_HOUSEKEEPING_TMP=$tmp
  mkdir -p "$tmp/checkout" "$tmp/bin" "$tmp/none"
  tar -C "$root" --exclude=.git --exclude=target --exclude=./runs -cf - . | tar -C "$tmp/checkout" -xf -
  for tool in mvn java javac; do
    printf '#!/bin/sh\necho "%s $*" >>"%s/called"\nexit 97\n' "$tool" "$tmp" >"$tmp/bin/$tool"
    chmod +x "$tmp/bin/$tool"
  done
  for args in "bench.sh --help" "bench.sh -h" "bench-all.sh --help" "capacity.sh --help" "compare.sh --help" \
      "flamediff.sh --help" "paced.sh --help" "regress.sh --help" "regress.sh -h" "reliability-doc.sh --help" \
      "setup-ec2.sh --help" "test.sh --help" "framebench --help" "framebench -h" "framebench help" \
      "framebench bench --help" "framebench paced --help" "framebench regress --help" "framebench compare --help"; do
    script=${args%% *}
    [ -f "$root/scripts/$script" ] || fb_fail "no scripts/$script"
    status=0
    # shellcheck disable=SC2086 # the script's arguments, split on purpose.
    out=$(env -i HOME="$tmp" PATH="$tmp/bin:/usr/bin:/bin" JAVA_HOME="$tmp" FB_JDK_SEARCH="$tmp/none" \
      "$tmp/checkout/scripts/$script" ${args#* } 2>"$tmp/stderr") || status=$?
    [ "$status" = 0 ] || fb_fail "scripts/$args exits $status on a clean copy with no JDK or Maven (stderr: $(head -c 300 "$tmp/stderr" | tr '\n' ' '))"
    case "$out" in usage:*) ;; *) fb_fail "scripts/$args does not start with 'usage:' on a clean copy: $(printf '%s' "$out" | head -c 120 | tr '\n' ' ')" ;; esac
    [ ! -e "$tmp/called" ] || fb_fail "scripts/$args ran $(head -1 "$tmp/called") before printing its help; --help must need no build and no JDK"
    [ ! -e "$tmp/checkout/harness/target" ] || fb_fail "scripts/$args built something (harness/target appeared) for its help"
  done
  # Every script is in the list above.
  for script in "$root"/scripts/*; do
    [ -f "$script" ] && [ -x "$script" ] || continue
    case " bench.sh bench-all.sh capacity.sh compare.sh flamediff.sh paced.sh regress.sh reliability-doc.sh setup-ec2.sh test.sh framebench " in
      *" $(basename "$script") "*) ;;
      *) fb_fail "scripts/$(basename "$script") is not in the --help check of scripts/lib/housekeeping.sh; add it" ;;
    esac
  done
  rm -rf "$tmp"
  FB_HOUSEKEEPING_TMP=""
}

# 'framebench --version' names the pom's version, the commit the jar was built from (the checkout's, or
# unknown outside git) and a UTC build time.
fb_check_version() {
  local root=$1 out version commit
  out=$("$root/scripts/framebench" --version) || fb_fail "scripts/framebench --version failed"
  version=$(fb_pom_property "$root/pom.xml" version)
  commit=$(fb_git_commit "$root")
  [ "$(printf '%s\n' "$out" | sed -n 1p)" = "framebench $version" ] \
    || fb_fail "framebench --version's first line is '$(printf '%s\n' "$out" | sed -n 1p)', not 'framebench $version'"
  case "$(printf '%s\n' "$out" | sed -n 2p)" in
    "commit $commit" | "commit $commit "*) ;;
    *) fb_fail "framebench --version says '$(printf '%s\n' "$out" | sed -n 2p)' but the checkout is at $commit" ;;
  esac
  printf '%s\n' "$out" | sed -n 3p | grep -qE '^built [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
    || fb_fail "framebench --version's third line is '$(printf '%s\n' "$out" | sed -n 3p)', not 'built <UTC time>'"
  fb_say "framebench --version: $(printf '%s' "$out" | tr '\n' ' ')"
}
