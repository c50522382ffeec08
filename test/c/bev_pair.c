/* Trace of a bufferevent pair: defaults and accessors, the transfer rules,
 * the watermarks, flush modes and freeing one end. test/bev_pair.test.ts
 * holds the line-by-line TypeScript port and compares the two traces.
 * Every loop run is EVLOOP_ONCE or NONBLOCK, so nothing can spin. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <stdio.h>
#include <string.h>

static struct event_base *base;
static struct bufferevent *pair[2];
static int drain_in_readcb;

static const char *name(struct bufferevent *bev)
{
	return bev == pair[0] ? "A" : "B";
}

static void readcb(struct bufferevent *bev, void *ctx)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	printf("%s readcb inlen=%zu ctx=%s\n", name(bev), evbuffer_get_length(in), (const char *)ctx);
	if (drain_in_readcb)
		evbuffer_drain(in, evbuffer_get_length(in));
}

static void writecb(struct bufferevent *bev, void *ctx)
{
	printf("%s writecb outlen=%zu\n", name(bev), evbuffer_get_length(bufferevent_get_output(bev)));
}

static void eventcb(struct bufferevent *bev, short what, void *ctx)
{
	printf("%s eventcb what=0x%x\n", name(bev), what);
}

static void lens(const char *label)
{
	printf("%s: A.out=%zu A.in=%zu B.out=%zu B.in=%zu\n", label,
	    evbuffer_get_length(bufferevent_get_output(pair[0])),
	    evbuffer_get_length(bufferevent_get_input(pair[0])),
	    evbuffer_get_length(bufferevent_get_output(pair[1])),
	    evbuffer_get_length(bufferevent_get_input(pair[1])));
}

static void once(const char *label)
{
	printf("loop %s\n", label);
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
}

int main(void)
{
	size_t lo = 99, hi = 99;
	bufferevent_data_cb rcb, wcb;
	bufferevent_event_cb ecb;
	void *arg;
	char buf[64];
	int r, r2;

	base = event_base_new();
	printf("pair_new=%d\n", bufferevent_pair_new(base, 0, pair));

	/* defaults */
	printf("enabled A=%d B=%d\n", bufferevent_get_enabled(pair[0]), bufferevent_get_enabled(pair[1]));
	printf("partner ok=%d %d\n", bufferevent_pair_get_partner(pair[0]) == pair[1],
	    bufferevent_pair_get_partner(pair[1]) == pair[0]);
	r = bufferevent_getwatermark(pair[0], EV_READ, &lo, &hi);
	printf("getwatermark read=%d lo=%zu hi=%zu\n", r, lo, hi);
	lo = hi = 99;
	r = bufferevent_getwatermark(pair[0], EV_WRITE, &lo, &hi);
	printf("getwatermark write=%d lo=%zu hi=%zu\n", r, lo, hi);
	r = bufferevent_getwatermark(pair[0], EV_READ | EV_WRITE, &lo, &hi);
	printf("getwatermark both=%d none=%d\n", r, bufferevent_getwatermark(pair[0], 0, NULL, NULL));
	printf("max_single read=%zd write=%zd\n", bufferevent_get_max_single_read(pair[0]),
	    bufferevent_get_max_single_write(pair[0]));
	printf("max_to read=%zd write=%zd\n", bufferevent_get_max_to_read(pair[0]), bufferevent_get_max_to_write(pair[0]));
	r = bufferevent_setfd(pair[0], 3);
	printf("getfd=%d setfd=%d underlying_null=%d\n", (int)bufferevent_getfd(pair[0]), r,
	    bufferevent_get_underlying(pair[0]) == NULL);
	r = bufferevent_priority_set(pair[0], 0);
	r2 = bufferevent_base_set(base, pair[0]);
	printf("priority_set=%d get_priority=%d base_set=%d base_ok=%d\n", r, bufferevent_get_priority(pair[0]), r2,
	    bufferevent_get_base(pair[0]) == base);
	bufferevent_getcb(pair[0], &rcb, &wcb, &ecb, &arg);
	printf("getcb null=%d %d %d %d\n", rcb == NULL, wcb == NULL, ecb == NULL, arg == NULL);
	bufferevent_setcb(pair[0], readcb, writecb, eventcb, "a");
	bufferevent_setcb(pair[1], readcb, writecb, eventcb, "b");
	bufferevent_getcb(pair[0], &rcb, &wcb, NULL, &arg);
	printf("getcb set=%d %d %s\n", rcb == readcb, wcb == writecb, (const char *)arg);
	r = bufferevent_set_max_single_read(pair[0], 3);
	printf("set_max_single_read 3=%d -> %zd\n", r, bufferevent_get_max_single_read(pair[0]));
	r = bufferevent_set_max_single_read(pair[0], 0);
	printf("set_max_single_read 0=%d -> %zd\n", r, bufferevent_get_max_single_read(pair[0]));
	r = bufferevent_set_max_single_write(pair[0], EV_SSIZE_MAX);
	printf("set_max_single_write ssize_max=%d -> max=%d\n", r, bufferevent_get_max_single_write(pair[0]) == EV_SSIZE_MAX);
	r = bufferevent_set_max_single_write(pair[0], EV_SIZE_MAX);
	printf("set_max_single_write size_max=%d -> %zd\n", r, bufferevent_get_max_single_write(pair[0]));

	/* frozen ends */
	r = evbuffer_add(bufferevent_get_input(pair[0]), "x", 1);
	printf("add(input)=%d prepend(input)=%d\n", r, evbuffer_prepend(bufferevent_get_input(pair[0]), "", 0));
	printf("prepend(output)=%d\n", evbuffer_prepend(bufferevent_get_output(pair[0]), "x", 1));

	/* transfer rules: B is not reading yet */
	printf("write=%d\n", bufferevent_write(pair[0], "hello", 5));
	lens("A wrote 5, B not reading");
	printf("drain(A.out)=%d\n", evbuffer_drain(bufferevent_get_output(pair[0]), 1));
	once("1");
	printf("enable B read=%d\n", bufferevent_enable(pair[1], EV_READ));
	lens("after enable");
	printf("enabled A=%d B=%d\n", bufferevent_get_enabled(pair[0]), bufferevent_get_enabled(pair[1]));
	once("2");
	printf("B read=%zu\n", bufferevent_read(pair[1], buf, sizeof(buf)));
	printf("disable A write=%d\n", bufferevent_disable(pair[0], EV_WRITE));
	bufferevent_write(pair[0], "12345", 5);
	lens("A wrote 5 while not writing");
	once("3");
	printf("enable A write=%d\n", bufferevent_enable(pair[0], EV_WRITE));
	lens("after enable");
	once("4");

	/* B's read watermarks: high 3, readcb drains */
	drain_in_readcb = 1;
	evbuffer_drain(bufferevent_get_input(pair[1]), 100);
	bufferevent_setwatermark(pair[1], EV_READ, 0, 3);
	bufferevent_getwatermark(pair[1], EV_READ, &lo, &hi);
	printf("B read wm lo=%zu hi=%zu\n", lo, hi);
	bufferevent_write(pair[0], "0123456789", 10);
	lens("high 3, wrote 10");
	once("5");
	lens("after loop");

	/* low 10: two writes of 5 give one readcb */
	bufferevent_setwatermark(pair[1], EV_READ, 10, 0);
	bufferevent_write(pair[0], "abcde", 5);
	once("6");
	bufferevent_write(pair[0], "fghij", 5);
	once("7");

	/* A's write low watermark: writecb only when A.out <= 4. B has no readcb
	 * (a readcb leaving B at its high watermark would run forever). */
	bufferevent_setcb(pair[1], NULL, writecb, eventcb, "b");
	bufferevent_setwatermark(pair[1], EV_READ, 0, 6);
	bufferevent_setwatermark(pair[0], EV_WRITE, 4, 0);
	drain_in_readcb = 0;
	bufferevent_write(pair[0], "0123456789ABCDEF", 16);
	lens("B high 6, A low 4, wrote 16");
	once("8");
	evbuffer_drain(bufferevent_get_input(pair[1]), 6);
	lens("B drained 6");
	once("9");
	evbuffer_drain(bufferevent_get_input(pair[1]), 6);
	lens("B drained 6");
	once("10");

	/* flush: NORMAL moves nothing past the watermark, FLUSH ignores it */
	bufferevent_write(pair[0], "0123456789", 10);
	lens("B full, A wrote 10");
	printf("flush normal=%d\n", bufferevent_flush(pair[0], EV_WRITE, BEV_NORMAL));
	lens("after normal");
	printf("flush flush=%d\n", bufferevent_flush(pair[0], EV_WRITE, BEV_FLUSH));
	lens("after flush");
	once("11");
	evbuffer_drain(bufferevent_get_input(pair[1]), 100);
	bufferevent_setwatermark(pair[1], EV_READ, 0, 0);
	bufferevent_setwatermark(pair[0], EV_WRITE, 0, 0);
	bufferevent_setcb(pair[1], readcb, writecb, eventcb, "b");
	once("12");

	/* pull: flush EV_READ on B takes A's output */
	bufferevent_disable(pair[1], EV_READ);
	bufferevent_write(pair[0], "pull", 4);
	lens("B not reading, A wrote 4");
	printf("flush B read=%d\n", bufferevent_flush(pair[1], EV_READ, BEV_FLUSH));
	lens("after pull");
	once("13");

	/* FINISHED: the partner's eventcb gets EOF plus direction bits */
	printf("finished write=%d\n", bufferevent_flush(pair[0], EV_WRITE, BEV_FINISHED));
	once("14");
	printf("finished read=%d\n", bufferevent_flush(pair[0], EV_READ, BEV_FINISHED));
	once("15");
	printf("finished both=%d\n", bufferevent_flush(pair[0], EV_READ | EV_WRITE, BEV_FINISHED));
	once("16");
	printf("finished none=%d\n", bufferevent_flush(pair[0], 0, BEV_FINISHED));
	once("17");

	/* trigger */
	evbuffer_drain(bufferevent_get_input(pair[1]), 100);
	bufferevent_setwatermark(pair[1], EV_READ, 5, 0);
	bufferevent_trigger(pair[1], EV_READ, 0);
	once("18");
	bufferevent_trigger(pair[1], EV_READ | EV_WRITE, BEV_TRIG_IGNORE_WATERMARKS);
	once("19");
	bufferevent_trigger_event(pair[1], 0x1234, 0);
	bufferevent_trigger_event(pair[1], 0x0001, 0);
	once("20");

	/* freeing one end unlinks the partner */
	bufferevent_free(pair[1]);
	printf("partner after free null=%d\n", bufferevent_pair_get_partner(pair[0]) == NULL);
	printf("write=%d\n", bufferevent_write(pair[0], "lost", 4));
	r = bufferevent_flush(pair[0], EV_WRITE, BEV_FLUSH);
	printf("A.out=%zu flush=%d\n", evbuffer_get_length(bufferevent_get_output(pair[0])), r);
	once("21");
	bufferevent_free(pair[0]);
	printf("dispatch=%d\n", event_base_dispatch(base));
	event_base_free(base);
	return 0;
}
