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
# A letter directed to a lead handler with a co-handler, who writes an opinion.
VANTHU_PASSWORD=demo "$VANTHU_BIN" --db "$work/demo.db" incoming direct 4 --as phamvanthang --handler hovanphuc \
  --co-handler buivantoan --working-days 5 \
  --direction "Giao Phòng HC-TC chủ trì, phối hợp Phòng KT tham mưu phương án trình UBND tỉnh." >/dev/null
VANTHU_PASSWORD=demo "$VANTHU_BIN" --db "$work/demo.db" incoming opinion 4 --as buivantoan \
  --text "Phòng KT thống nhất phương án; đề nghị bổ sung dự toán kinh phí ứng phó." >/dev/null
# A recent backup, so that no reminder banner moves the pages down.
VANTHU_PASSWORD=demo "$VANTHU_BIN" --db "$work/demo.db" backup --out "$work/backup.db" --as admin >/dev/null
shot() { scripts/screenshot.sh "$@" >/dev/null; echo "$2"; sleep 0.5; }
login() { echo "type:$1" key:Tab type:demo key:Return sleep:3; }
nav() { echo "click:100,$((93 + 37 * $1))" sleep:1; }

shot "$work/empty.db" "$out/first-run.png"
shot "$work/demo.db" "$out/login-demo.png"
# Drafter: dashboard, kind picker, a new thông báo with live findings, a returned draft.
shot "$work/demo.db" "$out/dashboard.png" $(login buivantoan)
shot "$work/demo.db" "$out/editor-kinds.png" $(login buivantoan) $(nav 1)
shot "$work/demo.db" "$out/editor-new.png" $(login buivantoan) $(nav 1) click:898,193 sleep:1.5
shot "$work/demo.db" "$out/editor-form.png" $(login buivantoan) $(nav 1) click:500,373 sleep:1.5
# Signer (Chủ tịch): queue, a tờ trình awaiting signature with its preview, the sign dialog.
shot "$work/demo.db" "$out/review-queue.png" $(login hoangminhduc) $(nav 1)
shot "$work/demo.db" "$out/document.png" $(login hoangminhduc) $(nav 1) click:700,205 sleep:2
shot "$work/demo.db" "$out/sign-dialog.png" $(login hoangminhduc) $(nav 1) click:700,205 sleep:2 \
  click:878,204 sleep:1
# Văn thư: queue, incoming mail, registers.
shot "$work/demo.db" "$out/vanthu-queue.png" $(login lythihongnhung) $(nav 1)
shot "$work/demo.db" "$out/incoming.png" $(login lythihongnhung) $(nav 2)
shot "$work/demo.db" "$out/registers.png" $(login lythihongnhung) $(nav 3)
# Văn thư: the file plan, a closed dossier, search as you type, the in-app open dialog.
shot "$work/demo.db" "$out/file-plan.png" $(login lythihongnhung) $(nav 4)
shot "$work/demo.db" "$out/dossier.png" $(login lythihongnhung) $(nav 4) click:500,300 sleep:1
shot "$work/demo.db" "$out/search.png" $(login lythihongnhung) $(nav 5) "type:ke hoach" sleep:1
mkdir -p "$work/Documents"
"$VANTHU_BIN" --db "$work/demo.db" archive export 3 --out "$work/Documents/ho-so-03.VTLT.zip" >/dev/null
HOME=$work VANTHU_FILE_DIALOG=app shot "$work/demo.db" "$out/open-dialog.png" $(login lythihongnhung) $(nav 4) \
  click:1010,75 sleep:1.5 click:640,355 sleep:1
# Lead handler: the card of a directed letter with the co-handler's opinion.
shot "$work/demo.db" "$out/incoming-card.png" $(login hovanphuc) click:700,666 sleep:1.5
# Administrator: administration and the audit log with its verification.
shot "$work/demo.db" "$out/admin.png" $(login admin) $(nav 4)
shot "$work/demo.db" "$out/admin-rules.png" $(login admin) $(nav 4) click:954,75 sleep:1
shot "$work/demo.db" "$out/audit.png" $(login admin) $(nav 5) click:1187,75 sleep:2
