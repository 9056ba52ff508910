#!/usr/bin/env bash
# Capacity: the largest number of paced streams (1080p30 by default) a transport holds on this machine,
# and streams per core. 'scripts/capacity.sh --help' explains every flag.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
if fb_wants_help "$@"; then fb_help_from_source cli/CapacityCommand.java --formatted "$FB_HELP_TRANSPORTS" "$FB_HELP_FRAMES" "$FB_HELP_TOPOLOGIES"; exit 0; fi
fb_find_jdk
fb_build_if_needed
fb_with_jars "$@"
exec "$FB_JAVA" "${FB_JAVA_OPTS[@]}" -Dframebench.home="$FB_ROOT" -cp "$FB_CP" \
  dev.framebench.harness.cli.Main capacity ${FB_ARGS[@]+"${FB_ARGS[@]}"}
