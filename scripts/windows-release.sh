#!/usr/bin/env bash
# Builds Vanthu for Windows (x86_64, MinGW-w64) on Debian and packages it:
#   dist/vanthu-setup-VERSION.exe        NSIS installer (per user, no admin rights)
#   dist/vanthu-VERSION-windows-x64.zip  portable zip (the same files, no installer)
# Needs: rustup target x86_64-pc-windows-gnu, gcc-mingw-w64-x86-64 (linker, and
# windres from binutils-mingw-w64-x86-64 for the icon and version information),
# nsis, zip. `.ci/run` installs them. Usage: scripts/windows-release.sh [OUT_DIR]
# VANTHU_WINDOWS_PROFILE=release (default) or dev picks the cargo profile.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
profile=${VANTHU_WINDOWS_PROFILE:-release}
target=x86_64-pc-windows-gnu
for tool in x86_64-w64-mingw32-gcc x86_64-w64-mingw32-windres makensis zip; do
  command -v "$tool" >/dev/null || { echo "windows-release: $tool is missing (see .ci/run)" >&2; exit 1; }
done
rustup target list --installed 2>/dev/null | grep -qx "$target" || rustup target add "$target"

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
[ -n "$version" ] || { echo "windows-release: no version in Cargo.toml" >&2; exit 1; }

start=$(date +%s)
# The linker is rustc's default for this target, x86_64-w64-mingw32-gcc (setting it
# explicitly would change every fingerprint and rebuild all dependencies).
cargo build --locked --profile "$profile" --target "$target" --bin vanthu --bin vanthu-window
dir=target/$target/$([ "$profile" = dev ] && echo debug || echo "$profile")
echo "windows-release: cargo build ($profile) took $(( $(date +%s) - start )) s"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$dir/vanthu.exe" "$dir/vanthu-window.exe" assets/windows/vanthu.ico "$stage/"
# Windows tools (Notepad before Windows 10 1809) expect CRLF in text files.
crlf() { sed 's/$/\r/' "$@"; }
{
  echo "Vanthu $version — Văn thư 4 đúng (Windows 10/11, 64-bit)"
  echo
  echo "vanthu-window.exe  mở cửa sổ ứng dụng (không có cửa sổ dòng lệnh) / opens the window"
  echo "vanthu.exe         dòng lệnh: vanthu --help / the command line: vanthu --help"
  echo
  echo "Dữ liệu / Data: %APPDATA%\\Vanthu\\vanthu\\data\\vanthu.db (hoặc --db ĐƯỜNG_DẪN / or --db PATH)."
  echo "Gỡ cài đặt không xóa dữ liệu. / Uninstalling keeps the data."
  echo "Mã nguồn, hướng dẫn / Source and manual: README.md của dự án (MIT OR Apache-2.0)."
} | crlf > "$stage/README.txt"
{
  echo "Fonts embedded in vanthu.exe, under the SIL Open Font License 1.1."
  echo
  echo "== Liberation Serif =="
  cat assets/fonts/LiberationSerif-LICENSE.txt
  echo
  echo "== Noto Sans =="
  cat assets/fonts/NotoSans-LICENSE.txt
} | crlf > "$stage/LICENSE-fonts.txt"

mkdir -p "$out"
out=$(cd "$out" && pwd)
setup="$out/vanthu-setup-$version.exe"
portable="$out/vanthu-$version-windows-x64.zip"
rm -f "$setup" "$portable"
# makensis wants Windows-style separators in File paths only through its own
# parsing; forward slashes work in STAGE too.
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$version" -DSTAGE="$stage" -DOUTFILE="$setup" scripts/windows/vanthu.nsi
# The portable zip: one folder, the same files, no registry, no shortcuts.
mkdir "$stage/Vanthu-$version"
mv "$stage"/*.exe "$stage"/*.txt "$stage"/vanthu.ico "$stage/Vanthu-$version/"
(cd "$stage" && zip -q -r -X "$portable" "Vanthu-$version")
ls -l "$setup" "$portable"
echo "windows-release: done in $(( $(date +%s) - start )) s"
