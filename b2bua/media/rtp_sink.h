/* The receiving end of a recording (a voicemail): a UDP socket of the
 * B2BUA that rtpengine sends a party's audio to, as it would to another
 * leg, and a WAV file (8 kHz, mono, 16-bit) made of what arrives.
 *
 * RTP with payload type 0 (PCMU) or 8 (PCMA) is decoded and placed by its
 * timestamp: a gap becomes silence, a duplicate or a packet that comes
 * after its place was written is dropped, packets a little out of order
 * (up to RTP_SINK_JITTER_MS) are put back in order, and a new SSRC (or a
 * timestamp jump of more than RTP_SINK_MAX_GAP_MS either way) goes on
 * where the recording is. Other payload types (telephone-event, comfort
 * noise, RTCP) are counted and ignored. The first sender's address is
 * latched: datagrams from any other are dropped. Everything runs on the
 * loop; the file is written in chunks of a few KB. */
#ifndef B2BUA_RTP_SINK_H
#define B2BUA_RTP_SINK_H

#include <stddef.h>
#include <sofia-sip/su_wait.h>

#define RTP_SINK_RATE 8000
#define RTP_SINK_JITTER_MS 500
#define RTP_SINK_MAX_GAP_MS 5000
/* The recording ends this long after max_seconds even if the audio stops
 * coming (its timestamps end it otherwise). */
#define RTP_SINK_GRACE_MS 2000

/* reason enum, name */
#define RTP_SINK_REASONS(X)     \
	X(RECORDING, "recording") \
	X(MAX_LEN, "max_len")   \
	X(STOPPED, "stopped")   \
	X(ERROR, "error")

#define RTP_SINK_ENUM(name, str) RTP_SINK_##name,
enum rtp_sink_reason { RTP_SINK_REASONS(RTP_SINK_ENUM) RTP_SINK_REASON_COUNT };
#undef RTP_SINK_ENUM

/* "recording", "max_len", "stopped", "error". */
const char *rtp_sink_reason_name(enum rtp_sink_reason r);

struct rtp_sink_stats {
	unsigned long packets;		/* audio packets placed */
	unsigned long ignored;		/* other payload types */
	unsigned long duplicates;
	unsigned long late;		/* came after their place was written */
	unsigned long malformed;	/* not RTP version 2, or cut short */
	unsigned long foreign;		/* from another address than the first */
	unsigned long streams;		/* SSRCs and timestamp jumps: 1 + changes */
	unsigned long long samples;	/* in the file */
	unsigned duration_ms;		/* samples at 8 kHz */
};

struct rtp_sink;

/* Called once when the recording ends by itself: MAX_LEN (max_seconds of
 * audio, or max_seconds + RTP_SINK_GRACE_MS of time) or ERROR (the file
 * could not be written). The WAV file is complete and closed and the
 * socket closed; the sink stays until rtp_sink_close(), which the callback
 * may call. */
typedef void (rtp_sink_done_h)(enum rtp_sink_reason reason, const struct rtp_sink_stats *st,
			       void *arg);

/* Binds a UDP socket on addr ("127.0.0.1", "::1") at a port of
 * [port_min, port_max] (an even one when there is one free; port_min 0:
 * any the kernel gives) and creates the WAV file at path (made by the
 * B2BUA, never taken from a request). Records up to max_seconds (>= 1).
 * Writes *sp; returns 0 or an errno value (EADDRINUSE: no port free). */
int rtp_sink_open(struct rtp_sink **sp, su_root_t *root, const char *addr, unsigned port_min,
		  unsigned port_max, const char *path, unsigned max_seconds, rtp_sink_done_h *h,
		  void *arg);

/* The port the socket is bound to. */
unsigned rtp_sink_port(const struct rtp_sink *s);

/* An SDP for the socket: c=IN IP4 <addr>, m=audio <port> RTP/AVP 0 8 101,
 * PCMU, PCMA and telephone-event/8000. Length written, or -1 when buf is
 * too small. */
int rtp_sink_sdp(const struct rtp_sink *s, char *buf, size_t len, unsigned long long sess_id);

/* What has come so far. */
void rtp_sink_stats(const struct rtp_sink *s, struct rtp_sink_stats *st);

/* Ends the recording if it still runs (reason STOPPED; the done callback is
 * not called), completes the file and frees. Returns how it ended, and
 * fills st (if not NULL) with the final counts and duration. NULL is
 * allowed (returns RTP_SINK_STOPPED). */
enum rtp_sink_reason rtp_sink_close(struct rtp_sink *s, struct rtp_sink_stats *st);

#endif
