#!/usr/bin/env bash
# Compares two results folders per transport x frame (GB/s and cpu.total s/GB, each normalised by its own
# run's inproc-copy). Exit 0: no regression; 1: regression (named); 2: unusable input. '--help' explains.
set -euo pipefail
FB_QUIET_JDK=1
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
if fb_wants_help "$@"; then fb_help_from_source cli/RegressCommand.java; exit 0; fi
fb_find_jdk
fb_build_if_needed
exec "$FB_JAVA" "${FB_JAVA_OPTS[@]}" -Xmx512m -Dframebench.home="$FB_ROOT" -cp "$FB_JAR" \
  dev.framebench.harness.cli.Main regress "$@"
