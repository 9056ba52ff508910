#!/usr/bin/env bash
# Paced mode: N streams at a fixed frame rate (1080p30 by default) through JMH; latency percentiles,
# cores per stream and the price of a process per stream. 'scripts/paced.sh --help' explains every flag.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
if fb_wants_help "$@"; then fb_help_from_source cli/PacedCommand.java --formatted "$FB_HELP_TRANSPORTS" "$FB_HELP_FRAMES" "$FB_HELP_TOPOLOGIES"; exit 0; fi
# The seed's ends a command names (--sender chromium, --receiver python) need Debian's packages: installed here when missing.
source "$FB_ROOT/scripts/lib/seed-ends.sh"
seed_ends=$(fb_seed_ends_named "$@")
[ -n "$seed_ends" ] && fb_need_seed_ends $seed_ends
fb_find_jdk
fb_build_if_needed
fb_with_jars "$@"
exec "$FB_JAVA" "${FB_JAVA_OPTS[@]}" -Dframebench.home="$FB_ROOT" -cp "$FB_CP" \
  dev.framebench.harness.cli.Main paced ${FB_ARGS[@]+"${FB_ARGS[@]}"}
