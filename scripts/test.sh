#!/usr/bin/env bash
# Builds everything and runs every test: unit, architecture, conformance across two JVMs, command line,
# then the transport built outside the modules (examples/custom-transport) against the installed test kit,
# and that transport in a smoke benchmark through --with-jar.
# Finds a JDK 25+ by itself; extra arguments go to Maven (e.g. -Dtest=TcpConformanceTest) and then skip
# the example, whose build knows none of them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
fb_find_jdk
# install, not just verify: the example is its own Maven project and finds framebench's artifacts
# (transports, test kit) in the local repository, as a transport outside this repo would.
fb_say "running the tests: mvn install"
fb_mvn install "$@"
if [ $# -gt 0 ]; then
  fb_say "extra Maven arguments given: skipping examples/custom-transport"
  exit 0
fi
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
