// <limits.h> for x86-64 Linux, and <sys/select.h>'s FD_SETSIZE (the book's
// servers close descriptors above it).
export const INT_MAX = 2147483647;
export const INT_MIN = -2147483648;
export const UINT_MAX = 4294967295;
export const FD_SETSIZE = 1024;
