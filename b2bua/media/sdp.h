/* SDP as the B2BUA needs it: read the audio stream of an offer or answer,
 * write the placeholder answer rtpengine turns into the IVR's SDP, and cut
 * an offer down to the codecs the caller agreed on. rtpengine rewrites the
 * addresses; the B2BUA only passes SDP through otherwise. */
#ifndef B2BUA_SDP_H
#define B2BUA_SDP_H

#include <stddef.h>

#define SDP_MAX_CODECS 32

enum sdp_dir { SDP_SENDRECV, SDP_SENDONLY, SDP_RECVONLY, SDP_INACTIVE };

struct sdp_codec {
	int pt;			/* payload type */
	char name[32];		/* "PCMA", "telephone-event" */
	int rate;		/* 8000 */
	int channels;		/* 1 */
};

struct sdp_audio {
	char addr[64];		/* c= of the stream, else of the session */
	int port;
	char proto[32];		/* "RTP/AVP" */
	struct sdp_codec codecs[SDP_MAX_CODECS];	/* in m= line order */
	int ncodecs;
	int te_pt;		/* telephone-event payload type, or -1 */
	enum sdp_dir dir;	/* stream attribute, else session, else sendrecv */
};

/* Parses the first audio m= section of sdp (len bytes; need not be
 * NUL-terminated). Static payload types without rtpmap get their RFC 3551
 * names (0 PCMU, 8 PCMA, 9 G722, 18 G729, 3 GSM). Returns NULL on success or
 * a static reason: "empty", "not SDP", "no audio stream", "bad m= line",
 * "no connection address", ... */
const char *sdp_parse(const char *sdp, size_t len, struct sdp_audio *out);

/* The first codec that is not telephone-event (or comfort noise), or NULL. */
const struct sdp_codec *sdp_first_codec(const struct sdp_audio *a);

/* Writes a complete SDP for one audio stream: o=/s=/t=, c=IN IP4 addr,
 * m=audio <port> RTP/AVP <codec pt> [<te_pt>], rtpmap lines (and
 * "a=fmtp:<te> 0-16"), a=sendrecv. te_pt < 0 leaves telephone-event out.
 * Returns the length written, or -1 when buf is too small. */
int sdp_write(char *buf, size_t len, const char *addr, int port,
	      const struct sdp_codec *codec, int te_pt, unsigned long long sess_id);
/* The same with several codecs, in this order on the m= line and each with
 * its rtpmap line (a receiver that takes any of them, as a recording
 * does); telephone-event's clock is the first codec's. */
int sdp_write_codecs(char *buf, size_t len, const char *addr, int port,
		     const struct sdp_codec *codecs, int ncodecs, int te_pt,
		     unsigned long long sess_id);

/* Copies sdp into buf with the first audio m= line keeping only the payload
 * types in keep (in their original order), and drops the rtpmap/fmtp lines
 * of the others. Other lines and streams are copied unchanged. Returns the
 * length written, or -1 (too small, or nothing of keep was offered). */
int sdp_reduce(const char *sdp, size_t len, const int *keep, int nkeep, char *buf,
	       size_t buflen);

/* Copies sdp into buf with every direction attribute (a=sendrecv,
 * sendonly, recvonly, inactive) removed and dir set on the first audio
 * stream, right under its m= line (a hold, or its end). Returns the length
 * written, or -1 (too small, not SDP, no audio stream). */
int sdp_set_dir(const char *sdp, size_t len, enum sdp_dir dir, char *buf, size_t buflen);

#endif
