#!/usr/bin/env bash
# End-to-end tests of the Windows build under Wine (and Xvfb for the window):
# installs dist/vanthu-setup-VERSION.exe silently (/S) into a throw-away Wine
# prefix, runs a subset of the command line with Windows paths (drive letters,
# backslashes, spaces and Vietnamese in names), opens the window through the
# Start-menu launcher and screenshots it, uninstalls (the data must stay), and
# checks the portable zip. Fails when the exe fails.
#
# Usage: scripts/wine-tests.sh [DIST_DIR] [LINUX_VANTHU]
#   DIST_DIR      where scripts/windows-release.sh wrote the installer and zip (dist)
#   LINUX_VANTHU  a Linux build of the same source (target/debug/vanthu): the
#                 Windows PDF and JSON outputs must equal its outputs byte for byte
# Needs: wine (Debian's Wine 8, 64-bit), gcc-mingw-w64-x86-64, xvfb, x11-utils,
# imagemagick, unzip, poppler-utils. Keeps its files in $WINE_TESTS_KEEP if set;
# VANTHU_WINE_SCREENSHOT=FILE.png saves the window (the README picture).
set -uo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
linux_vanthu=${2:-target/debug/vanthu}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
setup="$dist/vanthu-setup-$version.exe"
portable="$dist/vanthu-$version-windows-x64.zip"
[ -f "$setup" ] && [ -f "$portable" ] || { echo "wine-tests: run scripts/windows-release.sh first ($setup)" >&2; exit 1; }

work=${WINE_TESTS_KEEP:-$(mktemp -d /tmp/vanthu-wine.XXXXXX)}
mkdir -p "$work"
# A HOME of its own: Wine links the prefix's Desktop to $HOME and would put the
# shortcuts' .lnk and menu entries (winemenubuilder, disabled too) in the real one.
mkdir -p "$work/home"
export HOME="$work/home" WINEPREFIX="$work/prefix" WINEARCH=win64 WINEDEBUG=-all \
  WINEDLLOVERRIDES="mscoree,mshtml=,winemenubuilder.exe=d" LC_ALL=C.UTF-8
unset VANTHU_DB DISPLAY
xvfb_pid=""
cleanup() {
  wineserver -k >/dev/null 2>&1 || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  [ -z "${WINE_TESTS_KEEP:-}" ] && rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok     $1"; }
fail() { failed=$((failed + 1)); echo "FAILED $1"; [ -n "${2:-}" ] && sed 's/^/       | /' <<<"$2" | head -40; }
# check NAME COMMAND...: the command must succeed.
check() { local name=$1; shift; if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$out"; fi; }

echo "wine-tests: prefix $WINEPREFIX"
t0=$(date +%s)
wine wineboot -i >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log"; echo "wine-tests: wineboot failed" >&2; exit 1; }
wineserver -w
# TEST ONLY: Wine 8 lacks bcryptprimitives.dll (ProcessPrng), which Rust's std
# imports; a stand-in goes into this prefix's system32, never into a package.
x86_64-w64-mingw32-gcc -O2 -shared -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  scripts/windows/bcryptprimitives-stub.c -ladvapi32 || exit 1
echo "wine-tests: prefix ready in $(( $(date +%s) - t0 )) s"

# Windows paths of the prefix (winepath: Windows <-> Unix).
winvar() { wine cmd /c "echo %$1%" 2>/dev/null | tr -d '\r'; }
unix() { winepath -u "$1" 2>/dev/null; }
localappdata=$(winvar LOCALAPPDATA)
appdata=$(winvar APPDATA)
userprofile=$(winvar USERPROFILE)

# --- installer ---------------------------------------------------------------
cp "$setup" "$work/setup.exe"
check "installer /S exits 0" wine "$work/setup.exe" /S
wineserver -w
install_win="$localappdata\\Programs\\Vanthu"
install=$(unix "$install_win")
exe="$install_win\\vanthu.exe"
for f in vanthu.exe vanthu-window.exe uninstall.exe README.txt LICENSE-fonts.txt; do
  if [ -f "$install/$f" ]; then pass "installed $f"; else fail "installed $f" "$(ls -la "$install" 2>&1)"; fi
done
startmenu=$(unix "$appdata\\Microsoft\\Windows\\Start Menu\\Programs\\Vanthu")
if [ -f "$startmenu/Vanthu.lnk" ] && [ -f "$startmenu/Vanthu (dòng lệnh).lnk" ]; then pass "Start-menu shortcuts"; else fail "Start-menu shortcuts" "$(ls -la "$startmenu" 2>&1)"; fi
desktop=$(unix "$userprofile\\Desktop")
if [ -f "$desktop/Vanthu.lnk" ]; then pass "desktop shortcut"; else fail "desktop shortcut" "$(ls -la "$desktop/" 2>&1)"; fi
reg=$(wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Vanthu' /v DisplayVersion 2>&1 | tr -d '\r')
if grep -q "$version" <<<"$reg"; then pass "Apps & features entry (HKCU)"; else fail "Apps & features entry (HKCU)" "$reg"; fi
# The resources as windres reads them back from the exe: icon and VERSIONINFO.
resources=$(x86_64-w64-mingw32-windres -i "$install/vanthu.exe" -O rc 2>&1)
if grep -q "ICON" <<<"$resources" && grep -q "\"ProductVersion\", \"$version\"" <<<"$resources"; then
  pass "icon and version information in vanthu.exe"
else
  fail "icon and version information in vanthu.exe" "$(head -c 1500 <<<"$resources")"
fi
# (Outputs captured first: `grep -q` closing a pipe early fails it under pipefail.)
headers_window=$(x86_64-w64-mingw32-objdump -p "$install/vanthu-window.exe")
headers_cli=$(x86_64-w64-mingw32-objdump -p "$install/vanthu.exe")
if grep -q "Subsystem.*(Windows GUI)" <<<"$headers_window" && grep -q "Subsystem.*(Windows CUI)" <<<"$headers_cli"; then
  pass "vanthu.exe is a console program, vanthu-window.exe a window program"
else
  fail "subsystems" "$(grep Subsystem <<<"$headers_cli$headers_window")"
fi
if grep -qi "bcryptprimitives" <<<"$headers_cli" &&
  [ ! -e "$install/bcryptprimitives.dll" ]; then
  pass "no stand-in DLL shipped (the exe imports the real bcryptprimitives.dll)"
else
  fail "no stand-in DLL shipped"
fi

# --- command line with Windows paths --------------------------------------------
export VANTHU_PASSWORD=demo
data_win='C:\Dữ liệu Vanthu'
data=$(unix "$data_win")
mkdir -p "$data/Văn bản" "$data/Xuất" "$data/Gói lưu trữ"
db="$data_win\\cơ sở dữ liệu.db"
# vanthu ARGS...: the installed exe; stdout to $out, stderr to $err, status to $rc.
vanthu() { out=$(wine "$exe" "$@" 2>"$work/stderr"); rc=$?; err=$(cat "$work/stderr"); }
# expect NAME RC NEEDLE ARGS...: exit status RC and NEEDLE in stdout+stderr.
expect() {
  local name=$1 want=$2 needle=$3; shift 3
  vanthu "$@"
  if [ "$rc" = "$want" ] && grep -qF -- "$needle" <<<"$out$err"; then pass "$name"; else fail "$name" "exit $rc (want $want), want '$needle'
$out
$err"; fi
}

expect "--version" 0 "vanthu $version" --version
expect "--help in Vietnamese" 0 "Cách dùng / Usage" --help
VANTHU_PASSWORD=quan-tri-2026 expect "init on the default database in %APPDATA%" 0 "" init --admin quantri --full-name "Nguyễn Văn Quản"
default_db=$(unix "$appdata\\Vanthu\\vanthu\\data\\vanthu.db")
if [ -s "$default_db" ]; then pass "default database is %APPDATA%\\Vanthu\\vanthu\\data\\vanthu.db"; else fail "default database in %APPDATA%" "$(find "$(unix "$appdata")" -name '*.db' 2>&1)"; fi
expect "demo into C:\\Dữ liệu Vanthu\\cơ sở dữ liệu.db" 0 "" --db "$db" demo
if [ -s "$data/cơ sở dữ liệu.db" ]; then pass "database file at the Windows path"; else fail "database file at the Windows path" "$(ls -la "$data")"; fi
expect "list shows Vietnamese (UTF-8 output)" 0 "Chờ duyệt nội dung" --db "$db" list
expect "missing database: Vietnamese error, exit 3" 3 "không" --db 'C:\không có\v.db' list

# check and export of a fixture copied under a Vietnamese name; the results must
# equal the Linux build's byte for byte (no CRLF, no path or clock in them).
fixture=tests/fixtures/corpus/ok/state-bao-cao-cai-cach-hanh-chinh-6-thang-2026.json
cp "$fixture" "$data/Văn bản/báo cáo.json"
expect "check (4 đúng)" 0 "Đạt 4 đúng" check "$data_win\\Văn bản\\báo cáo.json" --today 2026-11-27
expect "check --json" 0 '"findings"' check "$data_win\\Văn bản\\báo cáo.json" --json --today 2026-11-27
if [ -x "$linux_vanthu" ]; then
  linux_json=$("$linux_vanthu" check "$fixture" --json --today 2026-11-27 2>/dev/null)
  # The JSON names the document as given: compare with its path taken out.
  strip() { sed 's/"document": *"[^"]*"/"document": ""/'; }
  if [ "$(strip <<<"$out")" = "$(strip <<<"$linux_json")" ]; then pass "check --json equals the Linux output"; else fail "check --json equals the Linux output" "$(diff <(strip <<<"$out") <(strip <<<"$linux_json") | head -20)"; fi
fi
expect "check a bad file: exit 2, Vietnamese error" 2 "" check "$data_win\\Văn bản\\không có.json"
expect "export to C:\\...\\Xuất\\báo cáo.pdf" 0 "" export "$data_win\\Văn bản\\báo cáo.json" --out "$data_win\\Xuất\\báo cáo.pdf"
pdf="$data/Xuất/báo cáo.pdf"
if [ "$(head -c 5 "$pdf" 2>/dev/null)" = "%PDF-" ] && pdftotext "$pdf" - 2>/dev/null | grep -q "BÁO CÁO"; then pass "exported PDF/A with Vietnamese text"; else fail "exported PDF" "$(ls -la "$data/Xuất" 2>&1)"; fi
if [ -x "$linux_vanthu" ]; then
  "$linux_vanthu" export "$fixture" --out "$work/linux.pdf" >/dev/null 2>&1
  if cmp -s "$pdf" "$work/linux.pdf"; then pass "PDF identical to the Linux build's"; else fail "PDF identical to the Linux build's" "$(cmp "$pdf" "$work/linux.pdf" 2>&1)"; fi
fi
expect "export --id from the database" 0 "" --db "$db" export --id 1 --out "$data_win\\Xuất\\văn bản 1.pdf"
expect "verify" 0 "toàn vẹn" --db "$db" verify

# backup and restore
expect "backup to C:\\...\\Sao lưu\\vanthu 2026.db" 0 "" --db "$db" backup --out "$data_win\\Sao lưu\\vanthu 2026.db" --as lythihongnhung
if [ -s "$data/Sao lưu/vanthu 2026.db" ] && [ -s "$data/Sao lưu/vanthu 2026.db.anchor.json" ]; then pass "backup and its anchor written"; else fail "backup and its anchor written" "$(ls -la "$data/Sao lưu" 2>&1)"; fi
expect "backup refuses the live database itself" 2 "" --db "$db" backup --out "$db" --as lythihongnhung --force
# Windows names are case-insensitive: the same file in other letters is still it.
expect "backup refuses the live database in other letters (.DB)" 2 "" --db "$db" backup --out "${db%.db}.DB" --as lythihongnhung --force
expect "backup refuses the live database's -wal" 2 "" --db "$db" backup --out "$db-wal" --as lythihongnhung --force
expect "restore the backup" 0 "" --db "$db" restore "$data_win\\Sao lưu\\vanthu 2026.db" --as admin
expect "verify after restore" 0 "toàn vẹn" --db "$db" verify

# a closed dossier, its archive package as a zip and a directory, verified
vanthu --db "$db" list --json --as lythihongnhung
# Issued and dated documents of her agencies (one flat JSON object per document).
issued=$(tr -d '\r\n' <<<"$out" | grep -o '{[^{}]*}' | grep '"state": *"issued"' | grep '"date": *"' |
  grep -o '"id": *[0-9]*' | grep -o '[0-9]*$' | head -2)
[ "$(wc -w <<<"$issued")" = 2 ] && pass "two issued documents to file" || fail "two issued documents to file" "$out"
vanthu --db "$db" dossier open --title "Hồ sơ về cải cách hành chính năm 2026" --heading "I. TỔNG HỢP" \
  --heading-code TH --retention "Vĩnh viễn" --year 2026 --start 2026-01-02 --as lythihongnhung
dossier=$(tr -d '\r[:space:]' <<<"$out")
[ "$rc" = 0 ] && [ -n "$dossier" ] && pass "dossier open" || fail "dossier open" "$out $err"
for d in $issued; do expect "dossier add $d" 0 "" --db "$db" dossier add "$dossier" --doc "$d" --as lythihongnhung; done
expect "dossier close" 0 "" --db "$db" dossier close "$dossier" --note "Hồ sơ gồm 2 văn bản" --as lythihongnhung
expect "archive export to C:\\...\\Gói lưu trữ\\hồ sơ.zip" 0 "" --db "$db" archive export "$dossier" --out "$data_win\\Gói lưu trữ\\hồ sơ.zip"
expect "archive verify the zip" 0 "toàn vẹn" archive verify "$data_win\\Gói lưu trữ\\hồ sơ.zip"
if unzip -Z1 "$data/Gói lưu trữ/hồ sơ.zip" | grep -q '\\'; then fail "zip member names use / (never \\)" "$(unzip -Z1 "$data/Gói lưu trữ/hồ sơ.zip")"; else pass "zip member names use / (never \\)"; fi
expect "archive export to a directory" 0 "" --db "$db" archive export "$dossier" --out "$data_win\\Gói lưu trữ\\thư mục"
expect "archive verify the directory" 0 "toàn vẹn" archive verify "$data_win\\Gói lưu trữ\\thư mục"
printf 'x' >>"$data/Gói lưu trữ/thư mục/dossier.json"
vanthu archive verify "$data_win\\Gói lưu trữ\\thư mục"
if [ "$rc" != 0 ] && grep -q "dossier.json" <<<"$out$err"; then pass "archive verify names an altered file"; else fail "archive verify names an altered file" "exit $rc $out $err"; fi

# search with and without diacritics
expect "search without diacritics" 0 "cải cách hành chính" --db "$db" search "cai cach hanh chinh"
expect "search with diacritics" 0 "cải cách hành chính" --db "$db" search "cải cách hành chính"
expect "search documents without diacritics" 0 "văn bản đi #" --db "$db" search "quyet dinh" --type document
expect "search documents with diacritics" 0 "văn bản đi #" --db "$db" search "quyết định" --type document
vanthu --db "$db" search "cải cách" --json
if [ "$rc" = 0 ] && head -1 <<<"$out" | grep -q '^{.*}$' && ! grep -q $'\r' <<<"$out"; then pass "search --json: JSON Lines, LF only"; else fail "search --json: JSON Lines, LF only" "$out"; fi

# --- the window -----------------------------------------------------------------
if command -v Xvfb >/dev/null; then
  exec 5>"$work/display"
  Xvfb -displayfd 5 -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 1 50); do [ -s "$work/display" ] && break; sleep 0.1; done
  export DISPLAY=":$(head -1 "$work/display")"
  # A fresh wineserver: the one the commands above started has no display.
  wineserver -k >/dev/null 2>&1
  wineserver -w
  # Through the Start-menu launcher, as a user would start it.
  ICED_BACKEND=tiny-skia wine "$install_win\\vanthu-window.exe" --db "$db" >"$work/window.log" 2>&1 &
  window_pid=$!
  wid=""
  for _ in $(seq 1 300); do
    wid=$(xwininfo -root -tree 2>/dev/null | awk '/"Vanthu/ {print $1; exit}')
    [ -n "$wid" ] && break
    sleep 0.2
  done
  if [ -n "$wid" ]; then
    sleep 4
    shot="$work/window.png"
    import -window root "$shot" 2>/dev/null
    colours=$(identify -format '%k' "$shot" 2>/dev/null || echo 0)
    if [ "${colours:-0}" -ge 64 ]; then pass "window drawn ($colours colours)"; else fail "window drawn" "$colours colours"; fi
    # The README's picture: the window alone.
    if [ -n "${VANTHU_WINE_SCREENSHOT:-}" ]; then import -window "$wid" "$VANTHU_WINE_SCREENSHOT"; fi
  else
    fail "window opened" "$(cat "$work/window.log")"
  fi
  kill "$window_pid" 2>/dev/null
  wineserver -k >/dev/null 2>&1
  wait "$window_pid" 2>/dev/null
  unset DISPLAY
else
  fail "window smoke test" "Xvfb is missing"
fi

# --- uninstall: the program goes, the data stays -----------------------------------
check "uninstaller /S exits 0" wine "$install_win\\uninstall.exe" /S
wineserver -w
sleep 1
wineserver -w
if [ ! -e "$install/vanthu.exe" ] && [ ! -e "$startmenu/Vanthu.lnk" ] && [ ! -e "$desktop/Vanthu.lnk" ]; then pass "program and shortcuts removed"; else fail "program and shortcuts removed" "$(ls -la "$install" "$startmenu" 2>&1)"; fi
if [ -s "$default_db" ] && [ -s "$data/cơ sở dữ liệu.db" ]; then pass "databases kept after uninstall"; else fail "databases kept after uninstall"; fi

# --- the portable zip ----------------------------------------------------------------
mkdir -p "$work/portable" && unzip -q "$portable" -d "$work/portable"
pexe=$(ls "$work"/portable/Vanthu-*/vanthu.exe 2>/dev/null | head -1)
if [ -n "$pexe" ] && out=$(wine "$pexe" --db "$db" verify 2>&1) && grep -q "toàn vẹn" <<<"$out"; then pass "portable zip runs (verify)"; else fail "portable zip runs (verify)" "$out"; fi

echo "wine-tests: $(( $(date +%s) - t0 )) s"
echo "wine: $passed passed, $failed failed"
[ "$failed" = 0 ]
