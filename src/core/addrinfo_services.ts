// getservbyname(3) and getprotobynumber(3) over /etc/services and
// /etc/protocols (the "files" databases glibc reads), read once.
import { readFileSync } from "node:fs";

interface Service {
  name: string;
  aliases: string[];
  port: number;
  proto: string;
}

let services: Service[] | null = null;
let protocols: Map<number, string> | null = null;

function lines(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, "latin1");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .map((l) =>
      l
        .replace(/#.*/, "")
        .trim()
        .split(/[ \t]+/),
    )
    .filter((f) => f[0] !== "");
}

/** The port (host order) of service `name` for protocol `proto` (any when null), or -1. */
export function servByName(name: string, proto: string | null): number {
  services ??= lines("/etc/services").flatMap((f) => {
    const m = /^(\d+)\/(\S+)$/.exec(f[1] ?? "");
    return m ? [{ name: f[0], aliases: f.slice(2), port: Number(m[1]), proto: m[2] }] : [];
  });
  const s = services.find(
    (e) => (proto === null || e.proto === proto) && (e.name === name || e.aliases.includes(name)),
  );
  return s ? s.port & 0xffff : -1;
}

/** The name of protocol number `n`, or null. */
export function protoByNumber(n: number): string | null {
  protocols ??= new Map(
    lines("/etc/protocols")
      .map((f) => [Number(f[1]), f[0]] as const)
      .reverse(),
  );
  return protocols.get(n) ?? null;
}

/** getservbyport(3): the name of the service on `port` (host order) for `proto`, or null. */
export function servByPort(port: number, proto: string): string | null {
  servByName("", proto); // reads the table once
  return services!.find((e) => e.port === port && e.proto === proto)?.name ?? null;
}
