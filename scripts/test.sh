#!/usr/bin/env bash
# Builds everything and runs every test (unit, conformance across two JVMs, command line).
# Finds a JDK 22+ by itself; extra arguments go to Maven (e.g. -Dtest=TcpConformanceTest).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
fb_find_jdk
fb_say "running the tests: mvn verify"
fb_mvn verify "$@"
