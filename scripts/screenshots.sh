#!/usr/bin/env bash
# Takes a screenshot of every screen with the demo office into docs/screenshots/.
# Usage: scripts/screenshots.sh   (VANTHU_BIN: the binary, default target/release/vanthu)
# Needs: xvfb, x11-utils, xdotool, imagemagick.. xdotool drops many Vietnamese letters
# under Xvfb, so the scripts type only user names and the password. Coordinates are those of the
# 1280×820 window; the sidebar entries are 37 px apart from y = 93.
set -euo pipefail
export VANTHU_BIN=${VANTHU_BIN:-target/release/vanthu}
out=docs/screenshots
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$VANTHU_BIN" --db "$work/demo.db" demo >/dev/null
# A few workflow steps so that the audit log has events to show.
for step in "approve 16 doquanghuy" "check-format 15 lythihongnhung"; do
  set -- $step
  VANTHU_PASSWORD=demo "$VANTHU_BIN" --db "$work/demo.db" doc "$1" "$2" --as "$3" >/dev/null
done
# A recent backup, so that no reminder banner moves the pages down.
"$VANTHU_BIN" --db "$work/demo.db" backup --out "$work/backup.db" >/dev/null
shot() { scripts/screenshot.sh "$@" >/dev/null; echo "$2"; sleep 0.5; }
login() { echo key:Tab "type:$1" key:Tab type:demo key:Return sleep:1; }
nav() { echo "click:100,$((93 + 37 * $1))" sleep:1; }

shot "$work/empty.db" "$out/first-run.png"
shot "$work/demo.db" "$out/login-demo.png"
# Drafter: dashboard, kind picker, a new công văn with live findings.
shot "$work/demo.db" "$out/dashboard.png" $(login buivantoan)
shot "$work/demo.db" "$out/editor-kinds.png" $(login buivantoan) $(nav 1)
shot "$work/demo.db" "$out/editor-new.png" $(login buivantoan) $(nav 1) click:898,187 sleep:1
shot "$work/demo.db" "$out/editor-form.png" $(login buivantoan) $(nav 1) click:500,331 sleep:1
# Leader: queue, a document with its diff and the sign dialog.
shot "$work/demo.db" "$out/review-queue.png" $(login phamvanthang) $(nav 1)
shot "$work/demo.db" "$out/document.png" $(login phamvanthang) $(nav 1) click:700,170 sleep:1
shot "$work/demo.db" "$out/sign-dialog.png" $(login phamvanthang) $(nav 1) click:700,170 sleep:1 \
  click:878,167 sleep:1
# Văn thư: queue, incoming mail, registers.
shot "$work/demo.db" "$out/vanthu-queue.png" $(login lythihongnhung) $(nav 1)
shot "$work/demo.db" "$out/incoming.png" $(login lythihongnhung) $(nav 2)
shot "$work/demo.db" "$out/registers.png" $(login lythihongnhung) $(nav 3)
# Văn thư: the file plan, a closed dossier, search as you type.
shot "$work/demo.db" "$out/file-plan.png" $(login lythihongnhung) $(nav 4)
shot "$work/demo.db" "$out/dossier.png" $(login lythihongnhung) $(nav 4) click:500,300 sleep:1
shot "$work/demo.db" "$out/search.png" $(login lythihongnhung) $(nav 5) "type:ke hoach" sleep:1
# Administrator: administration and the audit log with its verification.
shot "$work/demo.db" "$out/admin.png" $(login admin) $(nav 3)
shot "$work/demo.db" "$out/audit.png" $(login admin) $(nav 4) click:1187,75 sleep:2
