// <limits.h> for x86-64 Linux, and <sys/select.h>'s FD_SETSIZE (the book's
// servers close descriptors above it).
export const INT_MAX = 2147483647;
export const INT_MIN = -2147483648;
export const UINT_MAX = 4294967295;
// long is 64-bit: these are the doubles strtol/strtoul return when they
// saturate, so `tmp == LONG_MAX` after strtol ports as is
export const LONG_MAX = 2 ** 63;
export const LONG_MIN = -(2 ** 63);
export const ULONG_MAX = 2 ** 64;
export const FD_SETSIZE = 1024;
