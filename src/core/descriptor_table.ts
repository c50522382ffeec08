// Finding the descriptor behind a number: the table's own, or a real OS
// descriptor the library meets for the first time (classified by fstat and
// entered in the table), or a net.Socket handed over where a descriptor goes.
import { Socket } from "node:net";
import { fstatSync } from "node:fs";
import { isatty } from "node:tty";
import { Descriptor, install, managed } from "./descriptor.js";
import { OsDescriptor, closedStdio } from "./descriptor_os.js";
import { SocketDescriptor } from "./net_socket.js";
import type { StreamDescriptor } from "./stream.js";
import { setFdResolver } from "./io_source.js";

/**
 * The descriptor numbered `fd`: managed, or a real open descriptor entered
 * now (a socket becomes a connected SocketDescriptor, a FIFO or TTY a
 * lazily-wrapped OsDescriptor). Null when no such descriptor is open.
 */
export function descriptorOf(fd: number): Descriptor | null {
  const d = managed(fd);
  if (d) return d;
  if (!Number.isInteger(fd) || fd < 0 || closedStdio.has(fd)) return null;
  try {
    const st = fstatSync(fd);
    if (st.isSocket() && fd > 2)
      return SocketDescriptor.adopt(
        new Socket({ fd, readable: true, writable: true, allowHalfOpen: true }),
      );
    return osDescriptor(fd, st.isFIFO() || st.isSocket());
  } catch {
    return null;
  }
}

function osDescriptor(fd: number, pipe: boolean): OsDescriptor {
  const d = new OsDescriptor(pipe ? "pipe" : isatty(fd) ? "tty" : "file");
  install(d, fd);
  return d;
}

const adopted = new WeakMap<Socket, SocketDescriptor>();

/** The descriptor number of `v`: a number as is; a net.Socket entered in the table (once). */
export function fdOf(v: number | Socket): number {
  if (typeof v === "number") return v;
  let s = adopted.get(v);
  if (!s || s.closed) {
    s = SocketDescriptor.adopt(v);
    adopted.set(v, s);
  }
  return s.fd;
}

/**
 * The stream behind `fd` for the socket bufferevent and evbuffer I/O: a
 * socket in any state, or a pipe/TTY. Null for a regular file or a
 * descriptor that is not open.
 */
export function streamFor(fd: number): StreamDescriptor | null {
  const d = descriptorOf(fd);
  if (d instanceof SocketDescriptor) return d;
  return d instanceof OsDescriptor && d.kind !== "file" ? d : null;
}

// stdin, stdout and stderr are there from the start: events may watch them
// (lazily wrapped) without any other call having named them first.
for (const fd of [0, 1, 2]) {
  try {
    const st = fstatSync(fd);
    osDescriptor(fd, st.isFIFO() || st.isSocket());
  } catch {
    // not open
  }
}

setFdResolver(descriptorOf);
