/* SDP: bodies as sipp, baresip and rtpengine really send them must give the
 * stream call control acts on; broken bodies must be refused with a reason;
 * what we write and reduce is compared as whole text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2bua/media/sdp.h"

/* sipp's built-in uac scenario: LF endings, c= at session level. */
static const char sipp_offer[] = "v=0\n"
				 "o=user1 53655765 2353687637 IN IP4 127.0.0.1\n"
				 "s=-\n"
				 "c=IN IP4 127.0.0.1\n"
				 "t=0 0\n"
				 "m=audio 6000 RTP/AVP 0\n"
				 "a=rtpmap:0 PCMU/8000\n";

/* baresip 1.x/2.x: CRLF, c= only in the media sections, opus first, a video
 * stream after the audio one. */
static const char baresip_offer[] = "v=0\r\n"
				    "o=- 1186371264 2128213612 IN IP4 192.168.1.20\r\n"
				    "s=-\r\n"
				    "t=0 0\r\n"
				    "m=audio 10000 RTP/AVP 96 9 0 8 101\r\n"
				    "c=IN IP4 192.168.1.20\r\n"
				    "b=AS:128\r\n"
				    "a=rtpmap:96 opus/48000/2\r\n"
				    "a=fmtp:96 stereo=1;sprop-stereo=1\r\n"
				    "a=rtpmap:9 G722/8000\r\n"
				    "a=rtpmap:0 PCMU/8000\r\n"
				    "a=rtpmap:8 PCMA/8000\r\n"
				    "a=rtpmap:101 telephone-event/8000\r\n"
				    "a=fmtp:101 0-15\r\n"
				    "a=rtcp-fb:96 nack\r\n"
				    "a=rtcp-fb:* trr-int 100\r\n"
				    "a=sendrecv\r\n"
				    "a=label:1\r\n"
				    "a=ssrc:2736120573 cname:3f4a1c2b\r\n"
				    "a=rtcp-rsize\r\n"
				    "a=ptime:20\r\n"
				    "m=video 10002 RTP/AVP 96 97\r\n"
				    "c=IN IP4 192.168.1.21\r\n"
				    "a=rtpmap:96 H264/90000\r\n"
				    "a=fmtp:96 packetization-mode=0\r\n"
				    "a=rtpmap:97 VP8/90000\r\n"
				    "a=sendonly\r\n";

/* What rtpengine 10.5 answered to A in the IVR sequence (RTPENGINE.md). */
static const char rtpengine_answer[] = "v=0\r\n"
				       "o=- 7 7 IN IP4 127.0.0.1\r\n"
				       "s=-\r\n"
				       "c=IN IP4 127.0.0.1\r\n"
				       "t=0 0\r\n"
				       "m=audio 32746 RTP/AVP 8 101\r\n"
				       "a=rtpmap:8 PCMA/8000\r\n"
				       "a=rtpmap:101 telephone-event/8000\r\n"
				       "a=fmtp:101 0-16\r\n"
				       "a=sendrecv\r\n"
				       "a=rtcp:32747\r\n";

static const char *parse(const char *sdp, struct sdp_audio *a)
{
	return sdp_parse(sdp, strlen(sdp), a);
}

static void codec_is(const struct sdp_codec *c, int pt, const char *name, int rate, int ch)
{
	assert_non_null(c);
	if (c->pt != pt || strcmp(c->name, name) || c->rate != rate || c->channels != ch)
		fail_msg("got %d %s/%d/%d, want %d %s/%d/%d", c->pt, c->name, c->rate, c->channels,
			 pt, name, rate, ch);
}

static void sipp_lf(void **state)
{
	(void)state;
	struct sdp_audio a;
	assert_null(parse(sipp_offer, &a));
	assert_string_equal(a.addr, "127.0.0.1");
	assert_int_equal(a.port, 6000);
	assert_string_equal(a.proto, "RTP/AVP");
	assert_int_equal(a.ncodecs, 1);
	codec_is(&a.codecs[0], 0, "PCMU", 8000, 1);
	assert_int_equal(a.te_pt, -1);
	assert_int_equal(a.dir, SDP_SENDRECV);
	codec_is(sdp_first_codec(&a), 0, "PCMU", 8000, 1);
}

static void baresip_crlf(void **state)
{
	(void)state;
	struct sdp_audio a;
	assert_null(parse(baresip_offer, &a));
	/* the audio section's c=, not the video one's */
	assert_string_equal(a.addr, "192.168.1.20");
	assert_int_equal(a.port, 10000);
	assert_int_equal(a.ncodecs, 5);
	codec_is(&a.codecs[0], 96, "opus", 48000, 2);
	codec_is(&a.codecs[1], 9, "G722", 8000, 1);
	codec_is(&a.codecs[2], 0, "PCMU", 8000, 1);
	codec_is(&a.codecs[3], 8, "PCMA", 8000, 1);
	codec_is(&a.codecs[4], 101, "telephone-event", 8000, 1);
	assert_int_equal(a.te_pt, 101);
	/* the video section's a=sendonly does not leak into audio */
	assert_int_equal(a.dir, SDP_SENDRECV);
	codec_is(sdp_first_codec(&a), 96, "opus", 48000, 2);
}

static void rtpengine_reply(void **state)
{
	(void)state;
	struct sdp_audio a;
	assert_null(parse(rtpengine_answer, &a));
	assert_string_equal(a.addr, "127.0.0.1");
	assert_int_equal(a.port, 32746);
	assert_int_equal(a.ncodecs, 2);
	codec_is(&a.codecs[0], 8, "PCMA", 8000, 1);
	codec_is(&a.codecs[1], 101, "telephone-event", 8000, 1);
	assert_int_equal(a.te_pt, 101);
	assert_int_equal(a.dir, SDP_SENDRECV);
}

/* Static payload types without rtpmap get their RFC 3551 names; a dynamic
 * one without rtpmap stays nameless and is never chosen. */
static void static_payload_types(void **state)
{
	(void)state;
	struct sdp_audio a;
	assert_null(parse("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
			  "m=audio 4000 RTP/AVP 13 99 18 3 9 8 0\r\n",
			  &a));
	assert_int_equal(a.ncodecs, 7);
	codec_is(&a.codecs[0], 13, "CN", 8000, 1);
	codec_is(&a.codecs[1], 99, "", 0, 1);
	codec_is(&a.codecs[2], 18, "G729", 8000, 1);
	codec_is(&a.codecs[3], 3, "GSM", 8000, 1);
	codec_is(&a.codecs[4], 9, "G722", 8000, 1);
	codec_is(&a.codecs[5], 8, "PCMA", 8000, 1);
	codec_is(&a.codecs[6], 0, "PCMU", 8000, 1);
	/* CN and the nameless one are skipped */
	codec_is(sdp_first_codec(&a), 18, "G729", 8000, 1);
}

/* An event codec at 8000 Hz is preferred to one at another rate. */
static void telephone_event(void **state)
{
	(void)state;
	struct sdp_audio a;
	assert_null(parse("v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 111 110 126\n"
			  "a=rtpmap:111 opus/48000/2\na=rtpmap:110 telephone-event/48000\n"
			  "a=rtpmap:126 telephone-event/8000\n",
			  &a));
	assert_int_equal(a.te_pt, 126);
	assert_null(parse("v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 111 110\n"
			  "a=rtpmap:111 opus/48000/2\na=rtpmap:110 telephone-event/48000\n",
			  &a));
	assert_int_equal(a.te_pt, 110);
	/* only events: no codec to use */
	assert_null(parse("v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 101\n"
			  "a=rtpmap:101 telephone-event/8000\n",
			  &a));
	assert_null(sdp_first_codec(&a));
	assert_null(sdp_first_codec(NULL));
}

static void directions(void **state)
{
	(void)state;
	struct sdp_audio a;
	/* session level, inherited */
	assert_null(parse("v=0\nc=IN IP4 1.2.3.4\na=sendonly\nm=audio 4000 RTP/AVP 0\n", &a));
	assert_int_equal(a.dir, SDP_SENDONLY);
	/* stream level wins over session level */
	assert_null(parse("v=0\nc=IN IP4 1.2.3.4\na=inactive\nm=audio 4000 RTP/AVP 0\n"
			  "a=recvonly\n",
			  &a));
	assert_int_equal(a.dir, SDP_RECVONLY);
	assert_null(parse("v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\na=inactive\r\n",
			  &a));
	assert_int_equal(a.dir, SDP_INACTIVE);
	assert_null(parse("v=0\r\nc=IN IP4 1.2.3.4\r\na=recvonly\r\nm=audio 4000 RTP/AVP 0\r\n"
			  "a=sendrecv\r\n",
			  &a));
	assert_int_equal(a.dir, SDP_SENDRECV);
	/* an attribute that only starts like one is not a direction */
	assert_null(parse("v=0\nc=IN IP4 1.2.3.4\nm=audio 4000 RTP/AVP 0\na=sendonlyx\n", &a));
	assert_int_equal(a.dir, SDP_SENDRECV);
}

/* The first audio stream is the one that counts, wherever it is. */
static void audio_after_video(void **state)
{
	(void)state;
	struct sdp_audio a;
	assert_null(parse("v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 2001:db8::1\r\nt=0 0\r\n"
			  "m=video 5000 RTP/AVP 96\r\nc=IN IP4 10.9.9.9\r\na=recvonly\r\n"
			  "a=rtpmap:96 H264/90000\r\n"
			  "m=audio 5002/2 RTP/SAVP 8\r\na=rtpmap:8 PCMA/8000\r\n"
			  "m=audio 5004 RTP/AVP 0\r\nc=IN IP4 10.8.8.8\r\n",
			  &a));
	assert_string_equal(a.addr, "2001:db8::1");
	assert_int_equal(a.port, 5002);
	assert_string_equal(a.proto, "RTP/SAVP");
	assert_int_equal(a.ncodecs, 1);
	codec_is(&a.codecs[0], 8, "PCMA", 8000, 1);
	assert_int_equal(a.dir, SDP_SENDRECV);
	/* a multicast TTL is not part of the address; a blank last line is fine */
	assert_null(parse("v=0\nm=audio 0 RTP/AVP 0\nc=IN IP4 224.2.1.1/127\n\n", &a));
	assert_string_equal(a.addr, "224.2.1.1");
	assert_int_equal(a.port, 0);
}

/* The body need not be NUL-terminated: only len bytes are read. */
static void length_bounded(void **state)
{
	(void)state;
	char buf[sizeof sipp_offer + 20];
	memcpy(buf, sipp_offer, strlen(sipp_offer));
	memcpy(buf + strlen(sipp_offer), "a=rtpmap:0 x", 12);
	struct sdp_audio a;
	assert_null(sdp_parse(buf, strlen(sipp_offer), &a));
	assert_int_equal(a.port, 6000);
	assert_string_equal(sdp_parse(buf, strlen(sipp_offer) + 12, &a), "bad rtpmap");
	/* cut inside the m= line */
	size_t cut = (size_t)(strstr(sipp_offer, "6000") - sipp_offer);
	assert_string_equal(sdp_parse(sipp_offer, cut, &a), "bad m= line");
}

static void malformed(void **state)
{
	(void)state;
	static const struct {
		const char *sdp, *why;
	} cases[] = {
		{ "", "empty" },
		{ " \r\n\r\n", "empty" },
		{ "hello", "not SDP" },
		{ "v=1\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n", "not SDP" },
		{ "\r\nv=0\r\nm=audio 4000 RTP/AVP 0\r\n", "not SDP" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\n", "no audio stream" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=video 4000 RTP/AVP 96\r\n", "no audio stream" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio2 4000 RTP/AVP 0\r\n", "no audio stream" },
		{ "v=0\r\nm=audio 4000 RTP/AVP 0\r\n", "no connection address" },
		{ "v=0\r\nm=video 1 RTP/AVP 9\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n",
		  "no connection address" },
		{ "v=0\r\nc=IN IP4\r\nm=audio 4000 RTP/AVP 0\r\n", "bad c= line" },
		{ "v=0\r\nc=XX IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n", "bad c= line" },
		{ "v=0\r\nc=IN IP5 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n", "bad c= line" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio x RTP/AVP 0\r\n", "bad m= line" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 70000 RTP/AVP 0\r\n", "bad m= line" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000\r\n", "bad m= line" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP\r\n", "bad m= line" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000/x RTP/AVP 0\r\n", "bad m= line" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0 128\r\n", "bad payload type" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0 8a\r\n", "bad m= line" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0 -8\r\n", "bad payload type" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 101\r\n"
		  "a=rtpmap:101 telephone-event\r\n",
		  "bad rtpmap" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 101\r\n"
		  "a=rtpmap:101 /8000\r\n",
		  "bad rtpmap" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 101\r\n"
		  "a=rtpmap:101 telephone-event/0\r\n",
		  "bad rtpmap" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 101\r\n"
		  "a=rtpmap:101 telephone-event/8000x\r\n",
		  "bad rtpmap" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nhello\r\nm=audio 4000 RTP/AVP 0\r\n", "bad line" },
		{ "v=0\r\nc=IN IP4 1.2.3.4\r\nM=audio 4000 RTP/AVP 0\r\n", "bad line" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sdp_audio a;
		const char *why = parse(cases[i].sdp, &a);
		if (!why || strcmp(why, cases[i].why))
			fail_msg("case %zu: got '%s', want '%s'", i, why ? why : "(parsed)",
				 cases[i].why);
	}
	struct sdp_audio a;
	assert_string_equal(sdp_parse(NULL, 0, &a), "empty");
}

static void too_many_codecs(void **state)
{
	(void)state;
	char sdp[512] = "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP";
	for (int i = 0; i < SDP_MAX_CODECS; i++)
		sprintf(sdp + strlen(sdp), " %d", 96 + i);
	struct sdp_audio a;
	assert_null(parse(sdp, &a));
	assert_int_equal(a.ncodecs, SDP_MAX_CODECS);
	strcat(sdp, " 0");
	assert_string_equal(parse(sdp, &a), "too many payload types");
}

/* The placeholder answer the IVR sequence sends to rtpengine; the integration
 * test (tests/integration/t_ng.sh) sends this very file to the real daemon. */
static void write_ivr_answer(void **state)
{
	(void)state;
	FILE *f = fopen("tests/fixtures/sdp/ivr-answer.sdp", "rb");
	if (!f)
		fail_msg("run from the top of the repository: tests/fixtures/sdp/ivr-answer.sdp");
	char want[1024];
	size_t n = fread(want, 1, sizeof want - 1, f);
	fclose(f);
	want[n] = '\0';

	const struct sdp_codec pcma = { 8, "PCMA", 8000, 1 };
	char buf[1024];
	int len = sdp_write(buf, sizeof buf, "127.0.0.1", 9, &pcma, 101, 7);
	assert_int_equal(len, (int)strlen(buf));
	assert_string_equal(buf, want);

	/* what it writes parses back to what went in */
	struct sdp_audio a;
	assert_null(sdp_parse(buf, (size_t)len, &a));
	assert_int_equal(a.port, 9);
	codec_is(sdp_first_codec(&a), 8, "PCMA", 8000, 1);
	assert_int_equal(a.te_pt, 101);

	/* exactly big enough (with the NUL), and one byte short */
	assert_int_equal(sdp_write(buf, (size_t)len + 1, "127.0.0.1", 9, &pcma, 101, 7), len);
	assert_int_equal(sdp_write(buf, (size_t)len, "127.0.0.1", 9, &pcma, 101, 7), -1);
	assert_int_equal(sdp_write(buf, 10, "127.0.0.1", 9, &pcma, 101, 7), -1);
}

static void write_variants(void **state)
{
	(void)state;
	char buf[1024];
	const struct sdp_codec g722 = { 9, "G722", 8000, 1 };
	int n = sdp_write(buf, sizeof buf, "2001:db8::5", 40000, &g722, -1, 18446744073709551615ULL);
	assert_int_equal(n, (int)strlen(buf));
	assert_string_equal(buf, "v=0\r\n"
				 "o=- 18446744073709551615 18446744073709551615 IN IP6 2001:db8::5\r\n"
				 "s=-\r\n"
				 "c=IN IP6 2001:db8::5\r\n"
				 "t=0 0\r\n"
				 "m=audio 40000 RTP/AVP 9\r\n"
				 "a=rtpmap:9 G722/8000\r\n"
				 "a=sendrecv\r\n");
	const struct sdp_codec opus = { 111, "opus", 48000, 2 };
	assert_true(sdp_write(buf, sizeof buf, "10.0.0.1", 1234, &opus, 110, 1) > 0);
	assert_string_equal(buf, "v=0\r\n"
				 "o=- 1 1 IN IP4 10.0.0.1\r\n"
				 "s=-\r\n"
				 "c=IN IP4 10.0.0.1\r\n"
				 "t=0 0\r\n"
				 "m=audio 1234 RTP/AVP 111 110\r\n"
				 "a=rtpmap:111 opus/48000/2\r\n"
				 "a=rtpmap:110 telephone-event/48000\r\n"
				 "a=fmtp:110 0-16\r\n"
				 "a=sendrecv\r\n");
	assert_int_equal(sdp_write(buf, sizeof buf, "10.0.0.1", 1234, NULL, 101, 1), -1);
	assert_int_equal(sdp_write(buf, sizeof buf, "10.0.0.1", 70000, &opus, 101, 1), -1);
	assert_int_equal(sdp_write(buf, sizeof buf, NULL, 1234, &opus, 101, 1), -1);
}

static void reduce_baresip(void **state)
{
	(void)state;
	const int keep[] = { 101, 8 }; /* kept in the offer's order, not this one */
	char buf[2048];
	int n = sdp_reduce(baresip_offer, strlen(baresip_offer), keep, 2, buf, sizeof buf);
	assert_int_equal(n, (int)strlen(buf));
	assert_string_equal(buf, "v=0\r\n"
				 "o=- 1186371264 2128213612 IN IP4 192.168.1.20\r\n"
				 "s=-\r\n"
				 "t=0 0\r\n"
				 "m=audio 10000 RTP/AVP 8 101\r\n"
				 "c=IN IP4 192.168.1.20\r\n"
				 "b=AS:128\r\n"
				 "a=rtpmap:8 PCMA/8000\r\n"
				 "a=rtpmap:101 telephone-event/8000\r\n"
				 "a=fmtp:101 0-15\r\n"
				 "a=rtcp-fb:* trr-int 100\r\n"
				 "a=sendrecv\r\n"
				 "a=label:1\r\n"
				 "a=ssrc:2736120573 cname:3f4a1c2b\r\n"
				 "a=rtcp-rsize\r\n"
				 "a=ptime:20\r\n"
				 /* the video stream is untouched, its payload type 96 too */
				 "m=video 10002 RTP/AVP 96 97\r\n"
				 "c=IN IP4 192.168.1.21\r\n"
				 "a=rtpmap:96 H264/90000\r\n"
				 "a=fmtp:96 packetization-mode=0\r\n"
				 "a=rtpmap:97 VP8/90000\r\n"
				 "a=sendonly\r\n");
	struct sdp_audio a;
	assert_null(sdp_parse(buf, (size_t)n, &a));
	assert_int_equal(a.ncodecs, 2);
	codec_is(sdp_first_codec(&a), 8, "PCMA", 8000, 1);
}

/* LF endings stay LF; a body without a final newline keeps none. */
static void reduce_keeps_line_endings(void **state)
{
	(void)state;
	const char sdp[] = "v=0\nc=IN IP4 1.2.3.4\nm=audio 4000 RTP/AVP 0 8 18\n"
			   "a=rtpmap:0 PCMU/8000\na=rtpmap:18 G729/8000\na=fmtp:18 annexb=no\n"
			   "m=audio 4002 RTP/AVP 0 8\na=rtpmap:0 PCMU/8000";
	const int keep[] = { 8 };
	char buf[512];
	assert_true(sdp_reduce(sdp, strlen(sdp), keep, 1, buf, sizeof buf) > 0);
	assert_string_equal(buf, "v=0\nc=IN IP4 1.2.3.4\nm=audio 4000 RTP/AVP 8\n"
				 "m=audio 4002 RTP/AVP 0 8\na=rtpmap:0 PCMU/8000");
}

static void reduce_failures(void **state)
{
	(void)state;
	char buf[2048];
	const int none_offered[] = { 18, 4 };
	assert_int_equal(sdp_reduce(sipp_offer, strlen(sipp_offer), none_offered, 2, buf, sizeof buf),
			 -1);
	const int pcmu[] = { 0 };
	int n = sdp_reduce(sipp_offer, strlen(sipp_offer), pcmu, 1, buf, sizeof buf);
	assert_int_equal(n, (int)strlen(sipp_offer));
	assert_string_equal(buf, sipp_offer);
	assert_int_equal(sdp_reduce(sipp_offer, strlen(sipp_offer), pcmu, 1, buf, (size_t)n + 1), n);
	assert_int_equal(sdp_reduce(sipp_offer, strlen(sipp_offer), pcmu, 1, buf, (size_t)n), -1);
	assert_int_equal(sdp_reduce(sipp_offer, strlen(sipp_offer), pcmu, 0, buf, sizeof buf), -1);
	assert_int_equal(sdp_reduce("v=0\r\n", 5, pcmu, 1, buf, sizeof buf), -1);
}

/* A hold's answer: every direction attribute out, the one asked for right
 * under the audio m= line, in the body's own line endings; what is not SDP
 * or too big for the buffer is refused. */
static void set_direction(void **state)
{
	(void)state;
	static const char held[] = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\na=sendonly\r\n"
				   "c=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
				   "a=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
	char buf[512];
	int n = sdp_set_dir(held, strlen(held), SDP_RECVONLY, buf, sizeof buf);
	assert_true(n > 0);
	assert_string_equal(buf, "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\n"
				 "c=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
				 "a=recvonly\r\na=rtpmap:0 PCMU/8000\r\n");
	struct sdp_audio a;
	assert_null(sdp_parse(buf, (size_t)n, &a));
	assert_int_equal(a.dir, SDP_RECVONLY);
	static const char lf[] = "v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 8";
	assert_true(sdp_set_dir(lf, strlen(lf), SDP_INACTIVE, buf, sizeof buf) > 0);
	assert_string_equal(buf, "v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 8\r\na=inactive\r\n");
	assert_int_equal(sdp_set_dir("hello", 5, SDP_SENDRECV, buf, sizeof buf), -1);
	assert_int_equal(sdp_set_dir(held, strlen(held), SDP_SENDRECV, buf, 40), -1);
	assert_int_equal(sdp_set_dir(held, strlen(held), (enum sdp_dir)7, buf, sizeof buf), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sipp_lf),
		cmocka_unit_test(baresip_crlf),
		cmocka_unit_test(rtpengine_reply),
		cmocka_unit_test(static_payload_types),
		cmocka_unit_test(telephone_event),
		cmocka_unit_test(directions),
		cmocka_unit_test(audio_after_video),
		cmocka_unit_test(length_bounded),
		cmocka_unit_test(malformed),
		cmocka_unit_test(too_many_codecs),
		cmocka_unit_test(write_ivr_answer),
		cmocka_unit_test(write_variants),
		cmocka_unit_test(reduce_baresip),
		cmocka_unit_test(reduce_keeps_line_endings),
		cmocka_unit_test(reduce_failures),
		cmocka_unit_test(set_direction),
	};
	return cmocka_run_group_tests_name("sdp", tests, NULL, NULL);
}
