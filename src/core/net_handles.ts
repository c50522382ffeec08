// Node's own libuv handle classes (tcp_wrap, pipe_wrap), the layer under
// net.Socket and net.Server. The descriptor layer needs what net's public API
// cannot give a C program: bind and listen that answer synchronously (a
// bound port readable by getsockname right after bind), a listening socket
// whose connections wait un-accepted in the kernel's queue, and the OS
// descriptor of a socket as soon as it exists. Once connected, a handle is
// driven directly by the data path (wire_handle.ts).
//
// Every call returns 0 or a negative libuv code, which on Linux is -errno.
import { EIO } from "../libc/errno.js";

/** What tcp_wrap's TCP and pipe_wrap's Pipe have in common. */
export interface UvHandle {
  readonly fd: number;
  listen(backlog: number): number;
  onconnection: ((status: number, client: UvHandle | undefined) => void) | null;
  close(cb?: () => void): void;
  ref(): void;
  unref(): void;
}

/** The StreamBase side of both, which the data path drives (wire_handle.ts). */
export interface StreamHandle extends UvHandle {
  onread: (() => Uint8Array | undefined) | null;
  readonly writeQueueSize: number;
  readStart(): number;
  readStop(): number;
  useUserBuffer(b: Uint8Array): void;
  writeBuffer(req: object, b: Uint8Array): number;
  writev(req: object, chunks: Uint8Array[], allBuffers: boolean): number;
  shutdown(req: object): number;
  /** TCP only: close with an RST (uv_tcp_close_reset). */
  reset?(cb: () => void): number;
}

export interface TcpHandle extends StreamHandle {
  bind(ip: string, port: number): number;
  bind6(ip: string, port: number, flags: number): number;
  connect(req: ConnectReq, ip: string, port: number): number;
  connect6(req: ConnectReq, ip: string, port: number): number;
  getsockname(out: object): number;
  getpeername(out: object): number;
  setNoDelay(on: boolean): number;
  setKeepAlive(on: boolean, delaySecs: number): number;
}

export interface PipeHandle extends StreamHandle {
  bind(path: string): number;
  connect(req: ConnectReq, path: string): number;
}

export interface ConnectReq {
  oncomplete: (status: number) => void;
}

/** What TCP getsockname/getpeername fill. */
export interface UvAddress {
  address?: string;
  family?: string;
  port?: number;
}

interface Bindings {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => ConnectReq;
  Pipe: new (type: number) => PipeHandle;
  PipeConnectWrap: new () => ConnectReq;
}

/** One of Node's internal bindings (process.binding: the ones Node still lets programs reach). */
export const binding = (process as unknown as { binding(name: string): any }).binding;
const tcpWrap = binding("tcp_wrap");
const pipeWrap = binding("pipe_wrap");
const uv: Bindings = {
  TCP: tcpWrap.TCP,
  TCPConnectWrap: tcpWrap.TCPConnectWrap,
  Pipe: pipeWrap.Pipe,
  PipeConnectWrap: pipeWrap.PipeConnectWrap,
};
const TCP_SOCKET: number = tcpWrap.constants.SOCKET;
const PIPE_SOCKET: number = pipeWrap.constants.SOCKET;
/** bind6's flag for IPV6_V6ONLY. */
export const UV_TCP_IPV6ONLY: number = tcpWrap.constants.UV_TCP_IPV6ONLY;

export function newTcp(): TcpHandle {
  return new uv.TCP(TCP_SOCKET);
}

export function newPipe(): PipeHandle {
  return new uv.Pipe(PIPE_SOCKET);
}

export function isTcp(h: UvHandle): h is TcpHandle {
  return h instanceof uv.TCP;
}

export function newConnectReq(tcp: boolean, done: (status: number) => void): ConnectReq {
  const req = tcp ? new uv.TCPConnectWrap() : new uv.PipeConnectWrap();
  req.oncomplete = done;
  return req;
}

/** The positive errno of a Node error (err.errno is -errno on Linux), EIO if it has none. */
export function errnoOf(err: unknown): number {
  const e = (err as { errno?: unknown })?.errno;
  return typeof e === "number" && e !== 0 ? Math.abs(e) : EIO;
}
