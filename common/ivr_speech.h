/* The speech of a flow's text prompts (<prompt tts>), made ahead in the
 * audio folder under the name ivr_tts_file() gives, for the B2BUA to play:
 * when a flow is published (the web app) and for flows already published
 * (cc-plugin speech). */
#ifndef CC_IVR_SPEECH_H
#define CC_IVR_SPEECH_H

#include "ivr.h"

/* Makes the speech of every text prompt of f that has none yet in dir. A
 * text that reads variables (${name}) cannot be spoken ahead: a warning
 * "ivr.tts_variable" in warn; one whose speech could not be made,
 * "ivr.tts_failed" (both name the node and the line). *madep (may be
 * NULL): how many files were made. Returns the number of warnings. */
size_t ivr_speech_make(const struct ivr_flow *f, const char *dir, struct ivr_problems *warn,
		       unsigned *madep);

#endif
