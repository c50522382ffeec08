// Common timeouts against libevent 2.1.12: test/c/common_timeouts.c and its
// port test/common_timeouts.ts print the order their callbacks run in (ties
// between a common timeout's queue and heap timers, re-adds moving events
// between the two, persistent events, priorities, event_base_once and
// event_base_loopexit, a bufferevent's read timeout) and what
// event_base_foreach_event visits; the outputs must be identical.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { buildC, projectRoot, runC } from "./support/cc.js";

describe("common timeouts (event_base_init_common_timeout)", () => {
  it("run in libevent's order: their queue in FIFO order after the heap's timers due with them", () => {
    const c = runC(buildC("common_timeouts"));
    const r = spawnSync(
      process.execPath,
      [join(projectRoot, "dist", "test", "common_timeouts.js")],
      { encoding: "utf8", timeout: 20000 },
    );
    if (r.error) throw r.error;
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(c);
    // Equal deadlines: the common queue keeps insertion order, after the heap's ten-ms timers.
    expect(r.stdout).to.contain(" 12 15 18 21 0 2 loop 1\n");
    expect(r.stdout).to.contain("bufferevent: 0 1 bev0 41 loop 1\n");
  });
});
