#!/usr/bin/env bash
# Runs the frame-throughput benchmark over transports x frames in one JMH run and writes a results folder.
# Finds a JDK 25+, builds if needed. 'scripts/bench.sh --help' explains every flag (no build needed for it);
# everything after '--' goes to JMH: scripts/bench.sh --profile quick -- -prof gc
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
if fb_wants_help "$@"; then fb_help_from_source cli/BenchCommand.java --formatted "$FB_HELP_TRANSPORTS" "$FB_HELP_FRAMES"; exit 0; fi
# The seed's ends a command names (--sender chromium, --receiver python) need Debian's packages: installed here when missing.
source "$FB_ROOT/scripts/lib/seed-ends.sh"
seed_ends=$(fb_seed_ends_named "$@")
[ -n "$seed_ends" ] && fb_need_seed_ends $seed_ends
fb_find_jdk
fb_build_if_needed
fb_with_jars "$@"
exec "$FB_JAVA" "${FB_JAVA_OPTS[@]}" -Dframebench.home="$FB_ROOT" -cp "$FB_CP" \
  dev.framebench.harness.cli.Main bench ${FB_ARGS[@]+"${FB_ARGS[@]}"}
