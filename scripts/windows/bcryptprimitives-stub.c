/*
 * TEST ONLY — never shipped, never put beside an installed vanthu.exe.
 *
 * Rust's standard library (1.78+) gets random bytes from ProcessPrng in
 * bcryptprimitives.dll, which Windows 10 and 11 have and Debian's Wine 8 lacks:
 * there an exe built by Rust stops at start (c0000135, DLL not found).
 * scripts/wine-tests.sh builds this stand-in with MinGW and puts it in the
 * system32 directory of its own throw-away Wine prefix only. It forwards to
 * RtlGenRandom (advapi32 SystemFunction036), which Wine implements.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
