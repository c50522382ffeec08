// getrlimit/setrlimit (<sys/resource.h>): the C program test/c/fd_limit.c
// and its port test/fd_limit.ts set RLIMIT_NOFILE just above what stdio and
// an event base hold, then open sockets, a socketpair, a file, accepted and
// connecting sockets until the limit refuses them; both print the same lines.
// The port runs in a child process, since the limit is the whole program's.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { buildC, projectRoot, runC } from "./support/cc.js";
import { RLIMIT_NOFILE, RLIM_INFINITY, getrlimit, setrlimit, sizeof } from "../src/libc/index.js";
import { EFAULT, EINVAL, errno } from "../src/libc/errno.js";

function runPort(): string {
  const r = spawnSync(process.execPath, [join(projectRoot, "dist", "test", "fd_limit.js")], {
    encoding: "utf8",
    timeout: 20000,
  });
  if (r.error) throw r.error;
  expect(r.status, r.stderr).to.equal(0);
  return r.stdout;
}

describe("libc getrlimit/setrlimit", () => {
  it("RLIMIT_NOFILE refuses descriptors beyond it with EMFILE, as against libevent in C", () => {
    const c = runC(buildC("fd_limit"));
    const ts = runPort();
    expect(ts).to.equal(c);
    expect(ts).to.contain("accept at the limit -1 EMFILE\n");
    expect(ts).to.contain("socketpair with one left -1 EMFILE\n");
    expect(ts).to.contain("bufferevent_socket_connect -1 EMFILE\n");
  });

  it("getrlimit fills a struct rlimit; bad calls fail as Linux's do", () => {
    const rl: any = {};
    expect(getrlimit(RLIMIT_NOFILE, rl)).to.equal(0);
    expect(rl.rlim_cur).to.be.a("number").above(0);
    expect(rl.rlim_cur).to.be.at.most(rl.rlim_max);
    expect(sizeof(rl)).to.equal(16);
    expect(sizeof("struct rlimit")).to.equal(16);
    expect(getrlimit(16, rl)).to.equal(-1);
    expect(errno).to.equal(EINVAL);
    expect(getrlimit(RLIMIT_NOFILE, null)).to.equal(-1);
    expect(errno).to.equal(EFAULT);
    // RLIM_INFINITY as a hard limit for descriptors is beyond fs.nr_open: refused.
    expect(setrlimit(RLIMIT_NOFILE, { rlim_cur: 10, rlim_max: RLIM_INFINITY })).to.equal(-1);
    expect(() => setrlimit(RLIMIT_NOFILE, { rlim_cur: -1, rlim_max: 5 })).to.throw(
      TypeError,
      /setrlimit.*rlim_cur/,
    );
  });
});
