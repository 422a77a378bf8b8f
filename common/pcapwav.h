/* A call's recording: rtpengine's pcap (the RTP it received from each
 * endpoint, RTPENGINE.md "Recording") turned into one track of 8 kHz,
 * mono, 16-bit PCM, both directions mixed.
 *
 * Pure: no I/O, no globals; the caller owns the bytes. Nothing is trusted:
 * every length is checked against the bytes there are before it is read.
 *
 * What is read: pcap files (microsecond or nanosecond, either byte order)
 * of link type raw IP (101, 228), Ethernet (1) or Linux cooked (113);
 * IPv4 UDP packets that are not fragments; RTP version 2 with payload type
 * 0 (PCMU) or 8 (PCMA). Everything else (telephone-event, comfort noise,
 * RTCP, other codecs, IPv6) is skipped and counted.
 *
 * How: packets are grouped into streams by their addresses and ports (one
 * stream per direction). In a stream, a packet's place is its RTP
 * timestamp's distance from the first packet of its run, and a run starts
 * at its capture time: reordered and late packets fall where they were
 * sent, lost ones leave silence, and a new SSRC (or a timestamp that
 * disagrees with the capture clock by more than PCAPWAV_REANCHOR_MS) starts
 * a new run. Sample 0 is the first audio packet's capture time. Streams are
 * decoded each into its own track and summed (clipped to 16 bits). */
#ifndef CC_PCAPWAV_H
#define CC_PCAPWAV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCAPWAV_RATE 8000
#define PCAPWAV_MAX_STREAMS 8
/* A packet whose timestamp is this far from where the capture clock puts
 * it starts a new run (a sender that reset its timestamps). */
#define PCAPWAV_REANCHOR_MS 1000
/* The longest recording made when the caller says nothing (4 h). */
#define PCAPWAV_DEFAULT_MAX_S 14400

/* Why nothing was made (the static strings pcapwav_convert returns):
 *   not_pcap   no pcap signature, or a header shorter than 24 bytes
 *   linktype   a link type other than those above
 *   no_audio   no G.711 RTP packet in the file
 *   no_memory  an allocation failed */
#define PCAPWAV_REASONS(X) X(not_pcap) X(linktype) X(no_audio) X(no_memory)

/* A time range (capture clock, microseconds since the epoch) made silent:
 * a pause in the recording. */
struct pcapwav_span {
	uint64_t from_us, to_us;
};

struct pcapwav_opts {
	unsigned max_s;		/* packets past this length are dropped; 0: the default */
	const struct pcapwav_span *mute;
	size_t nmute;
};

struct pcapwav_stream {
	uint32_t src_ip, dst_ip;	/* host order */
	uint16_t src_port, dst_port;
	unsigned long packets;		/* audio packets placed */
	unsigned runs;			/* SSRC changes and timestamp jumps, plus one */
	uint64_t first_us, last_us;	/* capture times of its first and last packet */
};

struct pcapwav {
	int16_t *pcm;		/* malloc'd: the mixed samples (pcapwav_free) */
	size_t samples;
	uint64_t t0_us;		/* the capture time of pcm[0] */
	unsigned nstreams;
	struct pcapwav_stream streams[PCAPWAV_MAX_STREAMS];
	unsigned long packets;	/* audio packets placed */
	unsigned long skipped;	/* records read and not used (not RTP, another codec, ...) */
	bool truncated;		/* the file ends (or is damaged) inside a record: what came
				 * before it was converted */
};

/* Converts the pcap p[0..n). NULL and *w filled (w->pcm malloc'd), or one
 * of the PCAPWAV_REASONS names (static text) and *w empty. o may be NULL. */
const char *pcapwav_convert(const unsigned char *p, size_t n, const struct pcapwav_opts *o,
			    struct pcapwav *w);

/* Frees w->pcm and empties w. */
void pcapwav_free(struct pcapwav *w);

#endif
