#!/usr/bin/env bash
# Differential flame graph of two collapsed profiles (from a --flames run's flames/ folder):
#   scripts/flamediff.sh A.collapsed B.collapsed OUT.html
# Red frames grew from A to B, blue ones shrank (by share of each profile's samples); prints what grew
# and what shrank most. Finds a JDK 25+, builds if needed.
set -euo pipefail
FB_QUIET_JDK=1
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
if fb_wants_help "$@"; then
  cat <<'HELP'
usage: scripts/flamediff.sh A.collapsed B.collapsed OUT.html

Writes OUT.html, a differential flame graph of two collapsed profiles (the .collapsed files in the
flames/ folder of a --flames run): red frames grew from A to B, blue ones shrank, by share of each
profile's samples; prints what grew and what shrank most.
Exit status: 0 written; 2 bad input (a missing or unreadable profile, wrong number of arguments).
HELP
  exit 0
fi
fb_find_jdk
fb_build_if_needed
exec "$FB_JAVA" -Xmx1g -cp "$FB_JAR" dev.framebench.harness.profiler.FlameDiff "$@"
