#!/usr/bin/env bash
# Regenerates docs/RELIABILITY.md from what the fault-injection suite observes: runs the transports
# module's StrangerTest (its cases become section 6), then the tests tagged 'faults' (a few minutes), then
# copies the matrix they wrote (harness/target/reliability-matrix.md).
# --copy-only skips the run and copies the matrix of the last one. The doc is never typed by hand.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
case "${1:-}" in
  -h | --help)
    cat <<'HELP'
usage: scripts/reliability-doc.sh [--copy-only]

Regenerates docs/RELIABILITY.md from what the fault-injection suite observes: runs the transports module's
StrangerTest, then the harness tests tagged 'faults' (a few minutes, mvn verify -Dgroups=faults), then
copies the matrix they wrote (harness/target/reliability-matrix.md) over docs/RELIABILITY.md; refuses a
matrix with failed rows. The doc is never typed by hand.

  --copy-only   skip the run; copy the matrix of the last one
  --help        this text
HELP
    exit 0 ;;
  "" | --copy-only) ;;
  *) fb_die "reliability-doc: unknown argument '$1'; valid: --copy-only --help" ;;
esac
matrix="$FB_ROOT/harness/target/reliability-matrix.md"
if [ "${1:-}" != "--copy-only" ]; then
  fb_find_jdk
  fb_say "running the fault suite: mvn verify -Dgroups=faults"
  rm -f "$matrix"
  strangers="$FB_ROOT/transports/target/stranger-rows.tsv"
  rm -f "$strangers"
  fb_say "running the stranger cases: mvn test -pl transports -Dtest=StrangerTest"
  fb_mvn -q -pl transports -Dtest=StrangerTest -Dsurefire.failIfNoSpecifiedTests=false test
  [ -s "$strangers" ] || fb_die "StrangerTest wrote no $strangers"
  fb_mvn -q -pl harness -am -DskipITs -Dgroups=faults -Dsurefire.failIfNoSpecifiedTests=false \
    -Dframebench.faults.import="$strangers" verify
fi
[ -f "$matrix" ] || fb_die "no $matrix: run scripts/reliability-doc.sh without --copy-only"
if grep -q 'FAILED' "$matrix"; then
  fb_die "the matrix has failed rows; fix them before publishing it ($matrix)"
fi
cp "$matrix" "$FB_ROOT/docs/RELIABILITY.md"
fb_say "docs/RELIABILITY.md updated from $matrix"
