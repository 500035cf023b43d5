; Vanthu installer for Windows 10/11, built on Linux by scripts/windows-release.sh
; with Debian's NSIS 3 (makensis). Defines passed by the script:
;   VERSION  the package version (Cargo.toml), e.g. 0.1.0
;   STAGE    the directory holding the files to install
;   OUTFILE  the installer to write (vanthu-setup-VERSION.exe)
;
; Per user, no administrator rights: the program goes to
; %LOCALAPPDATA%\Programs\Vanthu, the shortcuts to the user's Start menu and
; desktop, the "Apps & features" entry to HKCU. The user's data is NOT here: the
; database lives in %APPDATA%\Vanthu\vanthu\data (see README "Where data lives"),
; and the uninstaller never touches it.
;
; Silent install: vanthu-setup-VERSION.exe /S  [/D=C:\other\folder, last, unquoted]
; Silent removal: "%LOCALAPPDATA%\Programs\Vanthu\uninstall.exe" /S

; A 64-bit installer (Unicode) for a 64-bit program: it runs on Windows 10/11 x64 and
; on a 64-bit-only Wine (Debian's wine64 without wine32).
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!include "MUI2.nsh"

!ifndef VERSION
  !error "makensis -DVERSION=... -DSTAGE=... -DOUTFILE=..."
!endif

!define PRODUCT "Vanthu"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Vanthu"

Name "${PRODUCT} ${VERSION}"
Caption "Vanthu — Văn thư 4 đúng ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Vanthu"
InstallDirRegKey HKCU "Software\Vanthu" "InstallDir"
BrandingText "Vanthu ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "Vanthu — Văn thư 4 đúng"
VIAddVersionKey /LANG=0 "FileDescription" "Cài đặt Vanthu (Vanthu setup)"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "Vanthu"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT OR Apache-2.0"

!define MUI_ICON "${STAGE}\vanthu.ico"
!define MUI_UNICON "${STAGE}\vanthu.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\vanthu-window.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Mở Vanthu (open Vanthu)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

Section "Vanthu" SecMain
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${STAGE}\vanthu.exe"
  File "${STAGE}\vanthu-window.exe"
  File "${STAGE}\vanthu.ico"
  File "${STAGE}\README.txt"
  File "${STAGE}\LICENSE-fonts.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; The window through the launcher (no console window); the command line in a
  ; console whose PATH starts with the program folder.
  CreateDirectory "$SMPROGRAMS\Vanthu"
  CreateShortcut "$SMPROGRAMS\Vanthu\Vanthu.lnk" "$INSTDIR\vanthu-window.exe" "" "$INSTDIR\vanthu.ico" 0
  CreateShortcut "$SMPROGRAMS\Vanthu\Vanthu (dòng lệnh).lnk" "$SYSDIR\cmd.exe" '/k "set "PATH=$INSTDIR;%PATH%" && vanthu --help"' "$INSTDIR\vanthu.ico" 0
  CreateShortcut "$SMPROGRAMS\Vanthu\Gỡ cài đặt Vanthu.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\Vanthu.lnk" "$INSTDIR\vanthu-window.exe" "" "$INSTDIR\vanthu.ico" 0

  WriteRegStr HKCU "Software\Vanthu" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "Vanthu — Văn thư 4 đúng"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Vanthu"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\vanthu.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

; Removes the program, its shortcuts and registry entries, and nothing else: the
; database, backups, anchors and packages in %APPDATA%\Vanthu or wherever the
; user put them stay (an office's records outlive any version of the program).
Section "Uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\vanthu.exe"
  Delete "$INSTDIR\vanthu-window.exe"
  Delete "$INSTDIR\vanthu.ico"
  Delete "$INSTDIR\README.txt"
  Delete "$INSTDIR\LICENSE-fonts.txt"
  Delete "$INSTDIR\uninstall.exe"
  ; Not /r: a file the user put in the program folder keeps it.
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Vanthu\Vanthu.lnk"
  Delete "$SMPROGRAMS\Vanthu\Vanthu (dòng lệnh).lnk"
  Delete "$SMPROGRAMS\Vanthu\Gỡ cài đặt Vanthu.lnk"
  RMDir "$SMPROGRAMS\Vanthu"
  Delete "$DESKTOP\Vanthu.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\Vanthu"
SectionEnd
