/* Trace of rate limiting (bufferevent_ratelim.c) on socket bufferevents over
 * AF_UNIX socketpairs: token bucket configurations, per-bufferevent limits
 * and decrements, groups and their min share, and traffic held to a rate.
 *
 * Ticks follow the wall clock (tick = epoch ms / ms per tick), so each part
 * that depends on them first waits until a few ms into a tick; every refill
 * timer then fires well inside the tick it is meant for, and the trace counts
 * ticks, never milliseconds. Parts without traffic use a one-hour tick (and
 * start right after a 100 ms boundary), so no refill happens while they run.
 * test/bev_ratelim.test.ts holds the TypeScript port. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/util.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct event_base *base;
static unsigned t0;
static size_t got, want;
static int in_order;

/* Waits, blocking (nothing may run meanwhile), until `at` ms into a `period` ms slice of the wall clock. */
static void sync_to(int period, int at)
{
	struct timeval tv;
	long ms;
	evutil_gettimeofday(&tv, NULL);
	ms = (tv.tv_sec % 1000) * 1000 + tv.tv_usec / 1000;
	usleep(((period + at - ms % period) % period) * 1000);
}

/* The 100 ms tick the loop's cached time falls in, counted from t0. */
static unsigned tick(void)
{
	struct timeval tv;
	event_base_gettimeofday_cached(base, &tv);
	return (unsigned)((tv.tv_sec * (ev_uint64_t)1000 + tv.tv_usec / 1000) / 100) - t0;
}

static void start_ticks(void)
{
	sync_to(100, 5);
	t0 = 0;
	t0 = tick();
}

static void newpair(evutil_socket_t fds[2])
{
	if (evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0) {
		perror("socketpair");
		exit(1);
	}
	evutil_make_socket_nonblocking(fds[0]);
	evutil_make_socket_nonblocking(fds[1]);
}

/* n bytes of the pattern 'a'..'z', starting at position `from` of it. */
static void pattern(char *buf, size_t from, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		buf[i] = 'a' + (from + i) % 26;
}

static const char *cfg_name(struct ev_token_bucket_cfg *cfg)
{
	if (!cfg)
		return "NULL";
	ev_token_bucket_cfg_free(cfg);
	return "cfg";
}

static void limits(const char *label, struct bufferevent *bev)
{
	ev_ssize_t r = bufferevent_get_read_limit(bev), w = bufferevent_get_write_limit(bev);
	printf("%s: read_limit=", label);
	if (r == EV_SSIZE_MAX)
		printf("MAX");
	else
		printf("%zd", r);
	printf(" write_limit=");
	if (w == EV_SSIZE_MAX)
		printf("MAX");
	else
		printf("%zd", w);
	printf(" max_to_read=%zd max_to_write=%zd\n", bufferevent_get_max_to_read(bev),
	    bufferevent_get_max_to_write(bev));
}

static void totals(struct bufferevent_rate_limit_group *g)
{
	ev_uint64_t r = 7, w = 7;
	bufferevent_rate_limit_group_get_totals(g, &r, &w);
	printf("totals read=%llu written=%llu\n", (unsigned long long)r, (unsigned long long)w);
}

/* Checks the bytes against the pattern; ends the loop once `want` bytes came. */
static void take(struct evbuffer *in, size_t n)
{
	char buf[4096], exp[4096];
	evbuffer_remove(in, buf, n);
	pattern(exp, got, n);
	if (memcmp(buf, exp, n))
		in_order = 0;
	got += n;
	if (got >= want)
		event_base_loopbreak(base);
}

static void readcb(struct bufferevent *bev, void *ctx)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n = evbuffer_get_length(in);
	printf("readcb n=%zu tick=+%u read_limit=%zd\n", n, tick(), bufferevent_get_read_limit(bev));
	take(in, n);
}

static void writecb(struct bufferevent *bev, void *ctx)
{
	size_t n = evbuffer_get_length(bufferevent_get_output(bev));
	printf("writecb outlen=%zu tick=+%u write_limit=%zd\n", n, tick(),
	    bufferevent_get_write_limit(bev));
	if (n == 0)
		event_base_loopbreak(base);
}

/* Group members: sizes and ticks only (which member the random resume picks first varies). */
static void group_readcb(struct bufferevent *bev, void *ctx)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n = evbuffer_get_length(in);
	printf("group readcb n=%zu tick=+%u\n", n, tick());
	*(size_t *)ctx += n;
	evbuffer_drain(in, n);
}

static void plain_readcb(struct bufferevent *bev, void *ctx)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	printf("readcb n=%zu\n", evbuffer_get_length(in));
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void guard_cb(evutil_socket_t fd, short what, void *ctx)
{
	event_base_loopbreak(base);
}

/* Runs the loop until a callback breaks it, at most `ms` milliseconds. */
static void run_for(const char *label, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	struct event *guard = evtimer_new(base, guard_cb, NULL);
	printf("run %s\n", label);
	evtimer_add(guard, &tv);
	event_base_dispatch(base);
	event_free(guard);
}

int main(void)
{
	evutil_socket_t fds[2], fx[2], fy[2];
	struct bufferevent *bev, *x, *y, *z;
	struct ev_token_bucket_cfg *hour, *hour2, *asym, *t100, *sec, *big;
	struct bufferevent_rate_limit_group *g;
	struct timeval tv_hour = { 3600, 0 }, tv_100ms = { 0, 100000 };
	char buf[1200];
	size_t nx = 0, ny = 0;
	int r, n, i;

	base = event_base_new();

	/* cfg_new: NULL for a rate under 1, a rate above its burst, a value above EV_RATE_LIMIT_MAX */
	printf("read_rate 0: %s\n", cfg_name(ev_token_bucket_cfg_new(0, 10, 1, 10, NULL)));
	printf("write_rate 0: %s\n", cfg_name(ev_token_bucket_cfg_new(1, 10, 0, 10, NULL)));
	printf("read_rate > burst: %s\n", cfg_name(ev_token_bucket_cfg_new(11, 10, 1, 10, NULL)));
	printf("write_rate > burst: %s\n", cfg_name(ev_token_bucket_cfg_new(1, 10, 11, 10, NULL)));
	printf("burst SIZE_MAX: %s\n", cfg_name(ev_token_bucket_cfg_new(1, (size_t)-1, 1, 10, NULL)));
	printf("rates SIZE_MAX: %s\n",
	    cfg_name(ev_token_bucket_cfg_new((size_t)-1, (size_t)-1, (size_t)-1, (size_t)-1, NULL)));
	printf("burst EV_RATE_LIMIT_MAX: %s\n",
	    cfg_name(ev_token_bucket_cfg_new(1, EV_RATE_LIMIT_MAX, 1, EV_RATE_LIMIT_MAX, &tv_100ms)));
	printf("rate == burst: %s\n", cfg_name(ev_token_bucket_cfg_new(5, 5, 5, 5, &tv_100ms)));

	hour = ev_token_bucket_cfg_new(100, 250, 100, 250, &tv_hour);
	hour2 = ev_token_bucket_cfg_new(50, 80, 30, 40, &tv_hour);
	t100 = ev_token_bucket_cfg_new(100, 250, 100, 250, &tv_100ms);
	newpair(fds);
	bev = bufferevent_socket_new(base, fds[0], BEV_OPT_CLOSE_ON_FREE);

	/* defaults, then a limit: the bucket starts at the rate, not the burst */
	sync_to(100, 5);
	limits("no limit", bev);
	printf("cfg=%s\n", bufferevent_get_token_bucket_cfg(bev) ? "set" : "NULL");
	printf("set_rate_limit=%d\n", bufferevent_set_rate_limit(bev, hour));
	printf("cfg is hour=%d\n", bufferevent_get_token_bucket_cfg(bev) == hour);
	limits("hour", bev);

	/* decrements: crossing 0 suspends, crossing back resumes */
	printf("decrement_read(150)=%d\n", bufferevent_decrement_read_limit(bev, 150));
	limits("read -50", bev);
	printf("decrement_read(-1000)=%d\n", bufferevent_decrement_read_limit(bev, -1000));
	limits("read 950", bev);
	printf("decrement_write(100)=%d\n", bufferevent_decrement_write_limit(bev, 100));
	printf("decrement_write(-1)=%d\n", bufferevent_decrement_write_limit(bev, -1));
	limits("write 1", bev);

	/* another cfg clips down to its bursts; the same cfg again changes nothing */
	printf("set_rate_limit(hour2)=%d\n", bufferevent_set_rate_limit(bev, hour2));
	limits("hour2", bev);
	printf("set_rate_limit(hour2)=%d\n", bufferevent_set_rate_limit(bev, hour2));
	limits("hour2 again", bev);
	bufferevent_decrement_read_limit(bev, 100);
	printf("set_rate_limit(hour)=%d\n", bufferevent_set_rate_limit(bev, hour));
	limits("back to hour, no clip up", bev);
	printf("set_rate_limit(NULL)=%d\n", bufferevent_set_rate_limit(bev, NULL));
	limits("removed", bev);
	printf("cfg=%s\n", bufferevent_get_token_bucket_cfg(bev) ? "set" : "NULL");
	bufferevent_set_rate_limit(bev, hour);
	limits("hour after removal", bev);
	bufferevent_set_rate_limit(bev, NULL);

	/* a bufferevent's own bucket stands in for max_single, it does not sit under it */
	big = ev_token_bucket_cfg_new(100000, 100000, 100000, 100000, &tv_hour);
	bufferevent_set_max_single_read(bev, 1000);
	bufferevent_set_rate_limit(bev, big);
	limits("big bucket, max_single_read 1000", bev);
	bufferevent_set_rate_limit(bev, NULL);
	limits("no bucket, max_single_read 1000", bev);
	bufferevent_set_max_single_read(bev, 0);
	ev_token_bucket_cfg_free(big);

	/* NULL tick_len is one second: ticks are whole seconds of the wall clock */
	sec = ev_token_bucket_cfg_new(100, 250, 100, 250, NULL);
	sync_to(1000, 900);
	bufferevent_set_rate_limit(bev, sec);
	bufferevent_decrement_read_limit(bev, 100);
	limits("1 s tick, drained at .900", bev);
	usleep(200000);
	limits("at .100, a new second", bev);
	bufferevent_decrement_read_limit(bev, 100);
	usleep(200000);
	limits("at .300, the same second", bev);
	bufferevent_set_rate_limit(bev, NULL);
	ev_token_bucket_cfg_free(sec);

	/* the refill timer is an ordinary event: dispatch runs until it fired */
	start_ticks();
	bufferevent_set_rate_limit(bev, t100);
	bufferevent_decrement_read_limit(bev, 150);
	r = event_base_dispatch(base);
	printf("dispatch=%d tick=+%u\n", r, tick());
	limits("refilled once", bev);
	/* a bucket pushed above its burst keeps growing */
	bufferevent_decrement_read_limit(bev, -1000);
	limits("pushed to 1050", bev);
	usleep(100000);
	limits("a tick later", bev);
	bufferevent_set_rate_limit(bev, NULL);

	/* the group's timer is persistent: the loop has an event until the group is freed */
	g = bufferevent_rate_limit_group_new(base, t100);
	printf("nonblock loop with a group=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	bufferevent_rate_limit_group_free(g);
	printf("nonblock loop after group_free=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));

	/* groups: shares, min share, set_cfg, decrements */
	sync_to(100, 5);
	newpair(fx);
	newpair(fy);
	x = bufferevent_socket_new(base, fx[0], BEV_OPT_CLOSE_ON_FREE);
	y = bufferevent_socket_new(base, fy[0], BEV_OPT_CLOSE_ON_FREE);
	z = bufferevent_socket_new(base, -1, 0);
	g = bufferevent_rate_limit_group_new(base, hour);
	printf("group read=%zd write=%zd\n", bufferevent_rate_limit_group_get_read_limit(g),
	    bufferevent_rate_limit_group_get_write_limit(g));
	printf("add x=%d\n", bufferevent_add_to_rate_limit_group(x, g));
	printf("add x again=%d\n", bufferevent_add_to_rate_limit_group(x, g));
	limits("x alone", x);
	printf("add y=%d\n", bufferevent_add_to_rate_limit_group(y, g));
	limits("x of two (min share 64)", x);
	printf("min_share(10)=%d\n", bufferevent_rate_limit_group_set_min_share(g, 10));
	limits("x, min share 10", x);
	printf("min_share(1000)=%d\n", bufferevent_rate_limit_group_set_min_share(g, 1000));
	limits("x, min share 1000 (clamped to 100)", x);
	printf("min_share(SIZE_MAX)=%d\n", bufferevent_rate_limit_group_set_min_share(g, (size_t)-1));
	printf("min_share(EV_SSIZE_MAX)=%d\n",
	    bufferevent_rate_limit_group_set_min_share(g, EV_SSIZE_MAX));
	limits("x, min share EV_SSIZE_MAX", x);
	bufferevent_rate_limit_group_set_min_share(g, 64);
	printf("set_cfg(NULL, hour)=%d\n", bufferevent_rate_limit_group_set_cfg(NULL, hour));
	printf("set_cfg(g, NULL)=%d\n", bufferevent_rate_limit_group_set_cfg(g, NULL));
	asym = ev_token_bucket_cfg_new(100, 250, 30, 250, &tv_hour);
	printf("set_cfg(asym)=%d\n", bufferevent_rate_limit_group_set_cfg(g, asym));
	ev_token_bucket_cfg_free(asym);
	bufferevent_rate_limit_group_decrement_write(g, 60);
	limits("x, min share 30 (write rate)", x);
	bufferevent_rate_limit_group_decrement_read(g, -500);
	printf("set_cfg(hour2)=%d\n", bufferevent_rate_limit_group_set_cfg(g, hour2));
	printf("group read=%zd write=%zd\n", bufferevent_rate_limit_group_get_read_limit(g),
	    bufferevent_rate_limit_group_get_write_limit(g));
	limits("x, hour2 (min share 30)", x);
	bufferevent_rate_limit_group_set_cfg(g, hour);
	limits("x, hour again", x);
	printf("decrement_read(200)=%d\n", bufferevent_rate_limit_group_decrement_read(g, 200));
	printf("group read=%zd\n", bufferevent_rate_limit_group_get_read_limit(g));
	limits("x, group suspended", x);
	printf("add z=%d\n", bufferevent_add_to_rate_limit_group(z, g));
	limits("z, joined suspended", z);
	printf("remove y=%d\n", bufferevent_remove_from_rate_limit_group(y));
	limits("y, removed", y);
	totals(g);
	printf("decrement_read(-300)=%d\n", bufferevent_rate_limit_group_decrement_read(g, -300));
	limits("x, resumed, of two", x);
	printf("remove z=%d\n", bufferevent_remove_from_rate_limit_group(z));
	limits("x alone again", x);
	limits("z, left", z);
	printf("remove z again=%d\n", bufferevent_remove_from_rate_limit_group(z));
	/* NULL "removes" only from no group: 2.1.12 crashes on a member */
	printf("add y NULL=%d\n", bufferevent_add_to_rate_limit_group(y, NULL));

	/* a suspended member does not read; leaving resumes it; joining again suspends it at once */
	bufferevent_setcb(x, plain_readcb, NULL, NULL, NULL);
	bufferevent_enable(x, EV_READ);
	bufferevent_rate_limit_group_decrement_read(g, 1000);
	send(fx[1], "abc", 3, 0);
	run_for("x in a suspended group", 50);
	bufferevent_remove_from_rate_limit_group(x);
	run_for("x left the group", 50);
	bufferevent_add_to_rate_limit_group(x, g);
	send(fx[1], "def", 3, 0);
	run_for("x joined again", 50);
	bufferevent_remove_from_rate_limit_group(x);
	run_for("x left again", 50);
	bufferevent_rate_limit_group_free(g);
	bufferevent_free(z);

	/* reading at 100 bytes a tick: each readcb takes what the bucket holds */
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	pattern(buf, 0, 600);
	send(fds[1], buf, 600, 0);
	got = 0;
	want = 600;
	in_order = 1;
	start_ticks();
	bufferevent_set_rate_limit(bev, t100);
	bufferevent_enable(bev, EV_READ);
	run_for("read 600 at 100/tick", 3000);
	/* idle for three ticks, the bucket fills up to the burst */
	run_for("idle", 300);
	start_ticks();
	limits("after idling", bev);
	pattern(buf, 600, 500);
	send(fds[1], buf, 500, 0);
	want = 1100;
	run_for("read 500 with a full bucket", 3000);
	printf("got=%zu in order=%d\n", got, in_order);
	bufferevent_disable(bev, EV_READ);

	/* writing at 100 bytes a tick: a writecb after each write (low watermark 500) */
	bufferevent_setcb(bev, NULL, writecb, NULL, NULL);
	bufferevent_setwatermark(bev, EV_WRITE, 500, 0);
	bufferevent_set_rate_limit(bev, NULL);
	start_ticks();
	bufferevent_set_rate_limit(bev, t100);
	pattern(buf, 0, 500);
	bufferevent_write(bev, buf, 500);
	run_for("write 500 at 100/tick", 3000);
	/* the peer reads what arrived, the loop turning while it waits */
	for (r = 0, i = 0; i < 2000 && r < 500; i++) {
		n = recv(fds[1], buf + r, sizeof(buf) - r, MSG_DONTWAIT);
		if (n > 0)
			r += n;
		else
			event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	}
	pattern(buf + 600, 0, 500);
	printf("peer got %d in order=%d\n", r, r == 500 && !memcmp(buf, buf + 600, 500));
	bufferevent_free(bev);
	evutil_closesocket(fds[1]);

	/* a group of two at 100 a tick, min share 64: 64+64, 64+64, nothing, 72+64+64 */
	bufferevent_setcb(x, group_readcb, NULL, NULL, &nx);
	bufferevent_setcb(y, group_readcb, NULL, NULL, &ny);
	memset(buf, 'g', 400);
	send(fx[1], buf, 400, 0);
	send(fy[1], buf, 400, 0);
	start_ticks();
	g = bufferevent_rate_limit_group_new(base, t100);
	bufferevent_add_to_rate_limit_group(x, g);
	bufferevent_add_to_rate_limit_group(y, g);
	bufferevent_enable(x, EV_READ);
	bufferevent_enable(y, EV_READ);
	bufferevent_write(x, buf, 50);
	bufferevent_write(y, buf, 50);
	run_for("group of two", 350);
	totals(g);
	printf("both read: %d\n", nx >= 128 && ny >= 128);
	bufferevent_rate_limit_group_reset_totals(g);
	totals(g);
	bufferevent_rate_limit_group_get_totals(g, NULL, NULL);
	printf("group read=%zd write=%zd\n", bufferevent_rate_limit_group_get_read_limit(g),
	    bufferevent_rate_limit_group_get_write_limit(g));
	bufferevent_remove_from_rate_limit_group(x);
	bufferevent_remove_from_rate_limit_group(y);
	bufferevent_rate_limit_group_free(g);
	bufferevent_free(x);
	bufferevent_free(y);
	evutil_closesocket(fx[1]);
	evutil_closesocket(fy[1]);

	ev_token_bucket_cfg_free(hour);
	ev_token_bucket_cfg_free(hour2);
	ev_token_bucket_cfg_free(t100);
	printf("dispatch=%d\n", event_base_dispatch(base));
	event_base_free(base);
	return 0;
}
