#!/usr/bin/env bash
# The project's one test command (README "Run the tests"; .ci/run calls exactly this):
#   0. installs the system packages the tests need (scripts/test-deps.sh) when run as
#      root or with password-less sudo, and starts a throwaway PostgreSQL cluster
#      (scripts/pg-test-cluster.sh; stopped and removed on exit);
#   1. cargo test --workspace (Linux: unit, end-to-end and window simulator tests,
#      on SQLite; the PostgreSQL end-to-end and two-desk window tests use the cluster);
#   1b. the core's tests again on PostgreSQL (VANTHU_TEST_POSTGRES: every store test
#      gets a fresh schema on the cluster), with the many-desk and copy tests;
#   2. the Windows build: scripts/windows-release.sh builds the installer and the
#      portable zip once (release profile: what ships is what is tested), then
#      scripts/wine-tests.sh installs and runs it under Wine and Xvfb.
# VANTHU_SKIP_WINDOWS=1 runs step 1 only (a machine without the Windows tools).
# Each step prints its duration; the whole must stay under CI's 60-minute budget.
# Measured 2026-11-29 on the 2-core machine shared with five other builds: Windows
# release build from warm dependencies 490-670 s (a cold one: 12.5 min on an idle
# machine, issue #18), installer and zip 60-100 s more, Wine tests 70-140 s.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
if [ "${VANTHU_SKIP_INSTALL:-}" != 1 ] && { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then
  scripts/test-deps.sh
fi
pg_dir=$(mktemp -d /tmp/vanthu-pg-XXXXXX)
trap 'scripts/pg-test-cluster.sh stop "$pg_dir"' EXIT
pg_url=$(scripts/pg-test-cluster.sh start "$pg_dir")
echo "test.sh: throwaway PostgreSQL at $pg_url"
VANTHU_E2E_POSTGRES="$pg_url" cargo test --workspace
echo "test.sh: cargo test --workspace took $(( $(date +%s) - t0 )) s"
t1=$(date +%s)
VANTHU_TEST_POSTGRES="$pg_url" cargo test -p vanthu-core --lib
echo "test.sh: core tests on PostgreSQL took $(( $(date +%s) - t1 )) s"
if [ "${VANTHU_SKIP_WINDOWS:-}" = 1 ]; then
  echo "test.sh: Windows tests skipped (VANTHU_SKIP_WINDOWS=1)"
  exit 0
fi
t1=$(date +%s)
scripts/windows-release.sh dist
echo "test.sh: Windows build and packages took $(( $(date +%s) - t1 )) s"
t2=$(date +%s)
# The Linux binary that `cargo test` just built: Windows outputs must equal its own.
scripts/wine-tests.sh dist target/debug/vanthu
echo "test.sh: Wine tests took $(( $(date +%s) - t2 )) s; total $(( $(date +%s) - t0 )) s"
