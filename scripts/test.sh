#!/usr/bin/env bash
# Builds everything and runs every test: unit, architecture, conformance across two JVMs, command line,
# then the transport built outside the modules (examples/custom-transport) against the installed test kit,
# and that transport in a smoke benchmark through --with-jar.
# First, the housekeeping a published project owes its readers (no build needed): LICENSE, THIRD-PARTY and
# the pom's metadata, one JDK floor everywhere, and every script's --help on a clean copy with no Maven or
# JDK in reach; after the build, 'framebench --version'.
# Finds a JDK 25+ by itself; extra arguments go to Maven (e.g. -Dtest=TcpConformanceTest) and then skip
# the example, whose build knows none of them, and the --version check.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
  cat <<'HELP'
usage: scripts/test.sh [MAVEN-ARGS...]

Checks the housekeeping (LICENSE, THIRD-PARTY, the pom's licence/scm/developer entries, that the README,
the scripts, JdkGate and the build state one JDK floor, that every script's --help works on a clean copy
with no Maven or JDK), then builds everything and runs every test (mvn install: unit, architecture,
conformance across two JVMs, command line), checks 'scripts/framebench --version', then the transport
built outside the modules (examples/custom-transport) against the installed test kit, and that transport
in a smoke benchmark through --with-jar. Finds a JDK 25+ by itself.

MAVEN-ARGS go to Maven (e.g. -Dtest=TcpConformanceTest -Dsurefire.failIfNoSpecifiedTests=false) and
then skip the example and the --version check. MAVEN_OPTS=-Dmaven.repo.local=DIR uses another local repository.
Exit status: 0 all passed; non-zero otherwise, with what failed on the last lines.
HELP
  exit 0
fi
source "$FB_ROOT/scripts/lib/housekeeping.sh"
fb_say "housekeeping: LICENSE, THIRD-PARTY, pom metadata, one JDK floor, --help with no build"
fb_check_licence_files "$FB_ROOT"
fb_check_pom_metadata "$FB_ROOT/pom.xml"
fb_check_jdk_floor "$FB_ROOT"
fb_check_help_without_build "$FB_ROOT"
# The tests drive the seed's own ends, a real headless Chromium and a real Python receiver.
source "$FB_ROOT/scripts/lib/seed-ends.sh"
fb_say "the seed's ends: Debian's chromium, python3-websockets, python3-crcmod, linux-perf and gcc (installed with apt-get when missing)"
fb_need_seed_ends chromium python perf gcc
fb_find_jdk
# install, not just verify: the example is its own Maven project and finds framebench's artifacts
# (transports, test kit) in the local repository, as a transport outside this repo would.
fb_say "running the tests: mvn install"
fb_mvn install "$@"
if [ $# -gt 0 ]; then
  fb_say "extra Maven arguments given: skipping the --version check and examples/custom-transport"
  exit 0
fi
fb_check_version "$FB_ROOT"
fb_say "examples/custom-transport: a transport from outside the modules, with the conformance suite of the test kit"
fb_mvn_project "$FB_ROOT/examples/custom-transport/pom.xml" verify
jar=$(ls "$FB_ROOT"/examples/custom-transport/target/framebench-example-*.jar | grep -v -- '-sources\|-tests' | head -1)
out=$(mktemp -d "${TMPDIR:-/tmp}/framebench-example-run.XXXXXX")
trap 'rm -rf "$out"' EXIT
fb_say "examples/custom-transport in a benchmark: scripts/bench.sh --with-jar ${jar#"$FB_ROOT"/} --transport fifo --profile smoke"
"$FB_ROOT/scripts/bench.sh" --with-jar "$jar" --transport fifo --profile smoke --no-baseline --out "$out/run" >"$out/bench.log" 2>&1 \
  || { tail -20 "$out/bench.log" >&2; fb_die "the example transport failed in scripts/bench.sh (log above)"; }
grep -q '^fifo ' "$out/run/summary.txt" || { cat "$out/run/summary.txt" >&2; fb_die "fifo is missing from the benchmark's summary.txt"; }
fb_say "examples/custom-transport: fifo ran in a benchmark and is in its summary:"
grep -E '^(transport|fifo) ' "$out/run/summary.txt" >&2
