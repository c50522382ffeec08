// <limits.h> for x86-64 Linux.
export const INT_MAX = 2147483647;
export const INT_MIN = -2147483648;
export const UINT_MAX = 4294967295;
