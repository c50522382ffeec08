/* Trace of filtering bufferevents over a pair: creation and accessors, the
 * input and output filter loops with their limits and watermarks, results
 * other than BEV_OK, writes from inside a filter, flush modes, events passed
 * through, DEFER, and both ways of freeing. test/bev_filter.test.ts holds
 * the line-by-line TypeScript port and compares the two traces. Every loop
 * run is EVLOOP_ONCE|EVLOOP_NONBLOCK, so nothing can spin. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <stdio.h>
#include <string.h>

static struct event_base *base;
static struct bufferevent *pair[2];
static struct bufferevent *filt;
static int in_result = BEV_OK;
static int out_result = BEV_OK;
static int out_calls;
static int write_inside;
static int drain_in_readcb;
static int freed_contexts;

static const char *name(struct bufferevent *bev)
{
	if (bev == filt)
		return "F";
	return bev == pair[0] ? "U" : "P";
}

/* Upper-cases what it moves: moves at most lim bytes (all with -1). */
static enum bufferevent_filter_result
in_filter(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	size_t n = evbuffer_get_length(src);
	char buf[256];
	size_t i;
	printf("in_filter src=%zu lim=%zd mode=%d ctx=%s\n", n, lim, (int)mode, (const char *)ctx);
	if (in_result != BEV_OK)
		return in_result;
	if (lim >= 0 && n > (size_t)lim)
		n = lim;
	if (n > sizeof(buf))
		n = sizeof(buf);
	evbuffer_remove(src, buf, n);
	for (i = 0; i < n; i++)
		if (buf[i] >= 'a' && buf[i] <= 'z')
			buf[i] -= 32;
	evbuffer_add(dst, buf, n);
	return BEV_OK;
}

/* Frames each call's bytes as "<...>", at most lim bytes of payload. */
static enum bufferevent_filter_result
out_filter(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	size_t n = evbuffer_get_length(src);
	char buf[256];
	out_calls++;
	printf("out_filter src=%zu lim=%zd mode=%d\n", n, lim, (int)mode);
	if (out_result != BEV_OK)
		return out_result;
	if (lim >= 0 && n > (size_t)lim)
		n = lim;
	if (n > sizeof(buf))
		n = sizeof(buf);
	evbuffer_remove(src, buf, n);
	evbuffer_add(dst, "<", 1);
	evbuffer_add(dst, buf, n);
	evbuffer_add(dst, ">", 1);
	if (write_inside) {
		write_inside = 0;
		printf("write inside=%d\n", bufferevent_write(filt, "in", 2));
		printf("after inside write calls=%d src=%zu\n", out_calls, evbuffer_get_length(src));
	}
	return BEV_OK;
}

static const char *freed_context = "none";

/* Counts, not prints: libevent calls it a loop pass after the free, the port at once. */
static void free_context(void *ctx)
{
	freed_contexts++;
	freed_context = ctx;
}

static void readcb(struct bufferevent *bev, void *ctx)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	char buf[256];
	size_t n = evbuffer_copyout(in, buf, sizeof(buf) - 1);
	buf[n] = 0;
	printf("%s readcb inlen=%zu \"%s\"\n", name(bev), evbuffer_get_length(in), buf);
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

/* A buffer's bytes, or its length where copyout refuses (a frozen front). */
static void showbuf(const char *what, struct evbuffer *b)
{
	char buf[256];
	ev_ssize_t n = evbuffer_copyout(b, buf, sizeof(buf) - 1);
	if (n < 0) {
		printf(" %s:%zu", what, evbuffer_get_length(b));
		return;
	}
	buf[n] = 0;
	printf(" %s=\"%s\"", what, buf);
}

static void show(const char *label, struct bufferevent *bev)
{
	printf("%s %s", label, name(bev));
	showbuf("in", bufferevent_get_input(bev));
	showbuf("out", bufferevent_get_output(bev));
	printf("\n");
}

static void lens(const char *label)
{
	show(label, filt);
	show(label, pair[0]);
	show(label, pair[1]);
}

static void once(const char *label)
{
	printf("loop %s\n", label);
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
}

static void drain(struct bufferevent *bev)
{
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
}

int main(void)
{
	bufferevent_data_cb rcb, wcb;
	bufferevent_event_cb ecb;
	void *arg;
	int r;

	base = event_base_new();
	bufferevent_pair_new(base, 0, pair);
	bufferevent_setcb(pair[1], readcb, writecb, eventcb, NULL);
	bufferevent_enable(pair[1], EV_READ);

	/* creation and accessors */
	printf("filter_new(NULL)=%d\n", bufferevent_filter_new(NULL, NULL, NULL, 0, NULL, NULL) == NULL);
	printf("filter_new(UNLOCK without DEFER)=%d\n",
	    bufferevent_filter_new(pair[0], NULL, NULL, BEV_OPT_UNLOCK_CALLBACKS, NULL, NULL) == NULL);
	filt = bufferevent_filter_new(pair[0], in_filter, out_filter, 0, free_context, "ctx1");
	printf("enabled F=%d U=%d\n", bufferevent_get_enabled(filt), bufferevent_get_enabled(pair[0]));
	bufferevent_getcb(pair[0], &rcb, &wcb, &ecb, &arg);
	printf("underlying cbs set=%d %d %d arg_is_filter=%d\n", rcb != NULL, wcb != NULL, ecb != NULL, arg == filt);
	r = bufferevent_setfd(filt, 5);
	printf("get_underlying ok=%d getfd=%d setfd=%d\n", bufferevent_get_underlying(filt) == pair[0],
	    (int)bufferevent_getfd(filt), r);
	printf("priority_set=%d", bufferevent_priority_set(filt, 0));
	printf(" base_set=%d base_ok=%d\n", bufferevent_base_set(base, filt), bufferevent_get_base(filt) == base);
	printf("frozen: add(F.in)=%d prepend(F.out)=%d\n", evbuffer_add(bufferevent_get_input(filt), "", 0),
	    evbuffer_prepend(bufferevent_get_output(filt), "", 0));
	bufferevent_setcb(filt, readcb, writecb, eventcb, NULL);

	/* the output direction: synchronous inside bufferevent_write */
	printf("write=%d\n", bufferevent_write(filt, "abc", 3));
	lens("wrote abc");
	once("1");
	lens("after loop");
	drain(pair[1]);

	/* the underlying's write high watermark limits each output call */
	bufferevent_setwatermark(pair[0], EV_WRITE, 0, 4);
	bufferevent_disable(pair[0], EV_WRITE);
	bufferevent_write(filt, "0123456789", 10);
	lens("U write high 4, U not writing");
	r = bufferevent_flush(filt, EV_WRITE, BEV_NORMAL);
	printf("flush NORMAL=%d\n", r);
	r = bufferevent_flush(filt, EV_WRITE, BEV_FLUSH);
	printf("flush FLUSH=%d\n", r);
	lens("after FLUSH");
	bufferevent_setwatermark(pair[0], EV_WRITE, 0, 0);
	bufferevent_enable(pair[0], EV_WRITE);
	once("2");
	drain(pair[1]);

	/* the filter's write low watermark */
	bufferevent_setwatermark(filt, EV_WRITE, 5, 0);
	bufferevent_setwatermark(pair[0], EV_WRITE, 0, 3);
	bufferevent_disable(pair[0], EV_WRITE);
	bufferevent_write(filt, "abcdefghij", 10);
	lens("F write low 5, U write high 3");
	bufferevent_setwatermark(pair[0], EV_WRITE, 0, 0);
	bufferevent_setwatermark(filt, EV_WRITE, 0, 0);
	bufferevent_enable(pair[0], EV_WRITE);
	once("3");
	lens("after loop");
	drain(pair[1]);

	/* a write from inside the output filter joins the round under way */
	write_inside = 1;
	out_calls = 0;
	bufferevent_write(filt, "xy", 2);
	lens("after inside write");
	once("4");
	drain(pair[1]);

	/* results other than BEV_OK end the loop and leave the bytes */
	out_result = BEV_NEED_MORE;
	bufferevent_write(filt, "zz", 2);
	out_result = BEV_ERROR;
	bufferevent_write(filt, "!", 1);
	lens("after NEED_MORE, ERROR");
	printf("enabled F=%d\n", bufferevent_get_enabled(filt));
	out_result = BEV_OK;
	printf("flush FINISHED=%d\n", bufferevent_flush(filt, EV_WRITE, BEV_FINISHED));
	lens("after FINISHED");
	once("5");
	drain(pair[1]);
	printf("flush empty FINISHED=%d\n", bufferevent_flush(filt, EV_WRITE, BEV_FINISHED));
	once("6");
	drain(pair[1]);

	/* the input direction: the underlying reads only while the filter does */
	bufferevent_write(pair[1], "hello", 5);
	once("7");
	lens("F not reading");
	r = bufferevent_enable(filt, EV_READ);
	printf("enable F read=%d enabled F=%d U=%d\n", r, bufferevent_get_enabled(filt),
	    bufferevent_get_enabled(pair[0]));
	lens("after enable");
	once("8");
	lens("after loop");
	drain(filt);

	/* the filter's read high watermark limits each input call; a readcb that
	 * drains leaves what the last call did not take below, until more comes */
	drain_in_readcb = 1;
	bufferevent_setwatermark(filt, EV_READ, 0, 3);
	bufferevent_write(pair[1], "abcdefg", 7);
	once("9");
	lens("F high 3");
	once("10");
	bufferevent_write(pair[1], "h", 1);
	once("11");
	lens("after one more byte");
	bufferevent_setwatermark(filt, EV_READ, 0, 0);
	bufferevent_write(pair[1], "i", 1);
	once("12");
	lens("after clearing high");
	drain_in_readcb = 0;

	/* the read low watermark and input results */
	bufferevent_setwatermark(filt, EV_READ, 4, 0);
	bufferevent_write(pair[1], "ab", 2);
	once("13");
	bufferevent_write(pair[1], "cd", 2);
	once("14");
	drain(filt);
	bufferevent_setwatermark(filt, EV_READ, 0, 0);
	in_result = BEV_NEED_MORE;
	bufferevent_write(pair[1], "ef", 2);
	once("15");
	lens("after NEED_MORE");
	in_result = BEV_OK;
	printf("flush read NORMAL=%d\n", bufferevent_flush(filt, EV_READ, BEV_NORMAL));
	lens("after read flush");
	drain(filt);
	r = bufferevent_disable(filt, EV_READ);
	printf("disable F read=%d enabled U=%d\n", r, bufferevent_get_enabled(pair[0]));
	bufferevent_write(pair[1], "gh", 2);
	once("16");
	lens("F not reading again");
	bufferevent_enable(filt, EV_READ);
	once("17");
	drain(filt);

	/* events of the underlying reach the filter unchanged */
	bufferevent_flush(pair[1], EV_WRITE, BEV_FINISHED);
	once("18");
	bufferevent_trigger_event(pair[0], BEV_EVENT_ERROR | BEV_EVENT_WRITING, 0);
	once("19");

	/* free without CLOSE_ON_FREE: the underlying gets NULL callbacks and reads again */
	bufferevent_free(filt);
	once("20");
	filt = NULL;
	bufferevent_getcb(pair[0], &rcb, &wcb, &ecb, &arg);
	printf("after free: cbs null=%d %d %d enabled U=%d contexts=%d %s\n", rcb == NULL, wcb == NULL,
	    ecb == NULL, bufferevent_get_enabled(pair[0]), freed_contexts, freed_context);
	bufferevent_write(pair[1], "late", 4);
	once("21");
	printf("U.in=%zu\n", evbuffer_get_length(bufferevent_get_input(pair[0])));
	drain(pair[0]);

	/* DEFER: the filter's callbacks run from the loop */
	filt = bufferevent_filter_new(pair[0], NULL, NULL, BEV_OPT_DEFER_CALLBACKS, NULL, NULL);
	bufferevent_setcb(filt, readcb, writecb, eventcb, NULL);
	bufferevent_enable(filt, EV_READ);
	drain_in_readcb = 1;
	printf("write=%d\n", bufferevent_write(filt, "defer", 5));
	printf("written\n");
	once("22");
	drain(pair[1]);
	/* with a deferred readcb, draining a full input filters what waits below */
	bufferevent_setwatermark(filt, EV_READ, 0, 3);
	bufferevent_write(pair[1], "backlog", 7);
	once("23");
	lens("deferred, high 3");
	once("24");
	lens("after loop");
	once("24b");
	once("24c");
	lens("after loops");
	drain_in_readcb = 0;

	/* CLOSE_ON_FREE frees the underlying too, its partner gets no event */
	bufferevent_free(filt);
	filt = bufferevent_filter_new(pair[0], NULL, NULL, BEV_OPT_CLOSE_ON_FREE, free_context, "ctx2");
	bufferevent_free(filt);
	filt = NULL;
	once("25");
	printf("partner after close_on_free=%d contexts=%d %s\n", bufferevent_pair_get_partner(pair[1]) == NULL,
	    freed_contexts, freed_context);
	bufferevent_free(pair[1]);
	event_base_free(base);
	printf("done\n");
	return 0;
}
