// errno and the Linux errno constants (contract items 10 and 12). `errno` is a
// live binding: importers see the value the last failing call stored.

export let errno = 0;

/** Stores `v` in errno and returns it (the calls that fail in C set errno through this). */
export function set_errno(v: number): number {
  errno = v;
  return v;
}

export const EACCES = 13;
export const EADDRINUSE = 98;
export const EADDRNOTAVAIL = 99;
export const EAFNOSUPPORT = 97;
export const EAGAIN = 11;
export const EALREADY = 114;
export const EBADF = 9;
export const ECONNABORTED = 103;
export const ECONNREFUSED = 111;
export const ECONNRESET = 104;
export const EEXIST = 17;
export const EFAULT = 14;
export const EHOSTUNREACH = 113;
export const EINPROGRESS = 115;
export const EINTR = 4;
export const EINVAL = 22;
export const EIO = 5;
export const EISCONN = 106;
export const EISDIR = 21;
export const EMFILE = 24;
export const EMSGSIZE = 90;
export const ENETUNREACH = 101;
export const ENOBUFS = 105;
export const ENOENT = 2;
export const ENOMEM = 12;
export const ENOTCONN = 107;
export const ENOTDIR = 20;
export const ENOTEMPTY = 39;
export const ENOTSOCK = 88;
export const EPERM = 1;
export const EPIPE = 32;
export const ERANGE = 34;
export const ESRCH = 3;
export const EPROTONOSUPPORT = 93;
export const ETIMEDOUT = 110;
export const EWOULDBLOCK = 11;
