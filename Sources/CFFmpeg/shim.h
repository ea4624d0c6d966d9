// Re-exports what Swift cannot import from FFmpeg's headers: function-like macros and 64-bit constants.
#ifndef MOODLINE_CFFMPEG_SHIM_H
#define MOODLINE_CFFMPEG_SHIM_H

#include <errno.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>

/// `AVERROR(EAGAIN)`: the codec needs more input (or output must be drained) before it can go on.
static inline int moodline_averror_eagain(void) { return AVERROR(EAGAIN); }
/// `AVERROR_EOF`: end of stream.
static inline int moodline_averror_eof(void) { return AVERROR_EOF; }
/// `AV_NOPTS_VALUE`: no timestamp.
static inline int64_t moodline_av_nopts_value(void) { return AV_NOPTS_VALUE; }
/// `AV_TIME_BASE`: the unit of `AVFormatContext.duration` and `.start_time`.
static inline int64_t moodline_av_time_base(void) { return AV_TIME_BASE; }

/// The stream's display matrix (from the container), or NULL.
static inline const int32_t *moodline_stream_display_matrix(const AVStream *stream) {
    return (const int32_t *)av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, NULL);
}

/// The frame's display matrix (some decoders attach it per frame), or NULL.
static inline const int32_t *moodline_frame_display_matrix(const AVFrame *frame) {
    AVFrameSideData *side = av_frame_get_side_data(frame, AV_FRAME_DATA_DISPLAYMATRIX);
    return side ? (const int32_t *)side->data : NULL;
}

/// Whether a decoded frame is a key frame (`key_frame` in FFmpeg 5, a flag in later versions).
static inline int moodline_frame_is_key(const AVFrame *frame) {
#ifdef AV_FRAME_FLAG_KEY
    return (frame->flags & AV_FRAME_FLAG_KEY) != 0;
#else
    return frame->key_frame != 0;
#endif
}

/// A frame's duration in its stream's time base (`pkt_duration` in FFmpeg 5, `duration` from 6 on).
static inline int64_t moodline_frame_duration(const AVFrame *frame) {
#if LIBAVUTIL_VERSION_MAJOR >= 58
    return frame->duration;
#else
    return frame->pkt_duration;
#endif
}

/// Silences FFmpeg's own logging: errors reach the user through Swift errors instead.
static inline void moodline_av_log_quiet(void) { av_log_set_level(AV_LOG_QUIET); }

#endif
