/* 录音 (call recordings, docs/recording.md): rtpengine's pcaps of a call
 * turned into a WAV off the request threads, kept for a retention period,
 * and played from the call's record.
 *
 *   convert.c  one call's pcaps (its segments) into <recording_dir>/
 *              YYYY/MM/DD/<call>.wav, written to a temporary file and
 *              renamed; the sources removed once it is made
 *   worker.c   the thread: pending rows (cc_recording) converted, rows past
 *              their expiry deleted; several cc-web take turns (GET_LOCK)
 *   play.c     GET /cc/api/records/{id}/recording.wav: the WAV, with byte
 *              ranges, to admins and the agent who took the call
 *
 * The call's own record (cc_call) is never written here: a failed
 * conversion or a full disk is reported in the recording's row and the
 * log. */
#ifndef WEB_RECORDING_H
#define WEB_RECORDING_H

#include <stdbool.h>
#include <stddef.h>

struct web;
struct req;

/* The most pcap bytes one call's conversion reads (about six hours of a
 * two-party G.711 call). */
#define RECF_MAX_PCAP_BYTES (512u << 20)
/* A recording whose segment rtpengine has not closed this long after the
 * call's end has failed ("unfinished"). */
#define RECF_UNFINISHED_S 600
/* The longest a conversion makes, past the call's own length. */
#define RECF_SLACK_S 60

/* Why no WAV was made (static strings): pcapwav.h's reasons, and
 *   in_progress  rtpengine still writes a segment (metadata in tmp/): later
 *   no_files     no pcap of the call in pcaps/
 *   read_error   a pcap could not be read
 *   too_large    the pcaps exceed RECF_MAX_PCAP_BYTES
 *   disk_full    no space left (ENOSPC, EDQUOT) for the WAV
 *   write_error  the WAV could not be written otherwise */
struct recf_out {
	char file[64];		/* YYYY/MM/DD/<call>.wav, under the folder */
	unsigned duration_ms;
	unsigned long long size;	/* bytes of the WAV */
	unsigned segments;	/* pcaps read */
	unsigned long packets, skipped;
	bool truncated;		/* a pcap ended inside a record */
};

/* Whether s is a call id (32 lowercase hex digits, cc_call.id). */
bool recf_call_id(const char *s);

/* Converts call_id's pcaps under dir; max_s bounds the length (0: the
 * converter's default). NULL with *o filled, or a reason. */
const char *recf_convert(const char *dir, const char *call_id, unsigned max_s,
			 struct recf_out *o);

/* Removes call_id's pcaps and rtpengine's metadata files under dir;
 * file (may be NULL), a WAV under dir, too. The number removed. */
int recf_remove(const char *dir, const char *call_id, const char *file);

/* The worker thread (worker.c). 0 or an errno value. */
struct recworker;
int recworker_start(struct recworker **out, struct web *w);
/* Stops the thread (waiting for a conversion under way) and frees; NULL ok. */
void recworker_free(struct recworker *rw);

/* One range of a Range header ("bytes=a-b", "bytes=a-", "bytes=-n") in a
 * file of size bytes (play.c; pure): 1 with [*from, *to] set, 0 when there
 * is none to honour (absent, several, malformed: the whole file is sent),
 * -1 when it lies outside the file (416). */
int recf_range(const char *h, long long size, long long *from, long long *to);

/* GET /cc/api/records/{id}/recording.wav (play.c). */
const char *recording_wav_get(struct req *r);

#endif
