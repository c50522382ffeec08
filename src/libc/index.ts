// bufferevent/libc: the C library and POSIX calls ported programs make around
// libevent (contract item 12), one module per concern. `errno` is a live
// binding re-exported from ./errno.js, as are getopt's optarg, optind, opterr
// and optopt from ./getopt.js.
export * from "./errno.js";
export * from "./errno_text.js";
export * from "./printf.js";
export { sscanf, vsscanf } from "./scanf.js";
export * from "./stdio_file.js";
export * from "./err.js";
export * from "./socket.js";
export * from "./files.js";
export * from "./string.js";
export * from "./memory.js";
export * from "./strtol.js";
export * from "./process.js";
export * from "./resource.js";
export * from "./getopt.js";
export * from "./signal.js";
export * from "./time.js";
export * from "./sizeof.js";
export * from "./limits.js";
export * from "./ctype.js";
export * from "./netdb.js";
export * from "./random.js";
