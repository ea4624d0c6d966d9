// Re-exports what Swift cannot import from FFmpeg's headers: function-like macros and 64-bit constants.
#ifndef MOODLINE_CFFMPEG_SHIM_H
#define MOODLINE_CFFMPEG_SHIM_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libavformat/avformat.h>
#include <libavdevice/avdevice.h>
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

/// Rows at the bottom of a decoded picture that a decoder which stopped early left blank: rows whose first plane
/// (8-bit luma or grey) holds one value throughout, that of the bottom row when it is 0 (never written) or 128 (a
/// progressive JPEG's missing coefficients). -1 for other pixel formats. Reads only within `width` x `height`.
static inline int moodline_frame_blank_bottom_rows(const AVFrame *frame) {
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get((enum AVPixelFormat)frame->format);
    const uint64_t other = AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_HWACCEL;
    if (!desc || (desc->flags & other) || desc->comp[0].depth != 8 || desc->comp[0].plane != 0 || desc->comp[0].step != 1) return -1;
    if (!frame->data[0] || frame->width <= 0 || frame->height <= 0 || frame->linesize[0] < frame->width) return -1;
    const uint8_t *plane = frame->data[0];
    const ptrdiff_t stride = frame->linesize[0];
    const uint8_t blank = plane[(ptrdiff_t)(frame->height - 1) * stride];
    if (blank != 0 && blank != 128) return 0;
    int rows = 0;
    for (int y = frame->height - 1; y >= 0; y--) {
        const uint8_t *row = plane + (ptrdiff_t)y * stride;
        for (int x = 0; x < frame->width; x++) {
            if (row[x] != blank) return rows;
        }
        rows++;
    }
    return rows;
}

/// Silences FFmpeg's own logging: errors reach the user through Swift errors instead.
static inline void moodline_av_log_quiet(void) { av_log_set_level(AV_LOG_QUIET); }

/// What `moodline_open_single_file` lets FFmpeg open: the one file named, and nothing else.
typedef struct MoodlineInputGuard {
    /// The only URL that may be opened (a `file:` URL).
    const char *url;
    /// How many other opens were refused (a playlist's segments, an image sequence's next file, a reference).
    int refused;
} MoodlineInputGuard;

/// `AVFormatContext.io_open` that opens only the guarded URL, read-only, through the `file` protocol.
static int moodline_guarded_io_open(AVFormatContext *s, AVIOContext **pb, const char *url, int flags,
                                    AVDictionary **options) {
    MoodlineInputGuard *guard = (MoodlineInputGuard *)s->opaque;
    if (!guard || !url || strcmp(url, guard->url) != 0 || (flags & AVIO_FLAG_WRITE)) {
        if (guard) guard->refused += 1;
        return AVERROR(EPERM);
    }
    AVDictionary *opened = NULL;
    if (options && *options) av_dict_copy(&opened, *options, 0);
    av_dict_set(&opened, "protocol_whitelist", "file", 0);
    int code = avio_open2(pb, url, flags, &s->interrupt_callback, &opened);
    av_dict_free(&opened);
    return code;
}

/// Opens exactly one local file as media: only the `file` protocol, no image-sequence patterns, and no
/// second file (playlists, concat lists, external references are refused through `io_open`).
/// On success `*context` is the opened context; on failure it is NULL and the FFmpeg error code is returned.
static inline int moodline_open_single_file(AVFormatContext **context, MoodlineInputGuard *guard) {
    *context = NULL;
    AVFormatContext *s = avformat_alloc_context();
    if (!s) return AVERROR(ENOMEM);
    s->opaque = guard;
    s->io_open = moodline_guarded_io_open;
    AVDictionary *options = NULL;
    av_dict_set(&options, "protocol_whitelist", "file", 0);
    // The container is chosen from the content alone, so a PNG saved as .jpg still opens; the name decides only
    // when the content says nothing (then FFmpeg probes again with the extension).
    const AVInputFormat *format = NULL;
    AVIOContext *probe = NULL;
    int code = avio_open2(&probe, guard->url, AVIO_FLAG_READ, NULL, &options);
    if (code < 0) {
        av_dict_free(&options);
        avformat_free_context(s);
        return code;
    }
    if (av_probe_input_buffer2(probe, &format, "", NULL, 0, 0) < 0) {
        format = NULL;
        avio_seek(probe, 0, SEEK_SET);
        code = av_probe_input_buffer2(probe, &format, guard->url, NULL, 0, 0);
    }
    avio_closep(&probe);
    if (!format) {
        av_dict_free(&options);
        avformat_free_context(s);
        return code < 0 ? code : AVERROR_INVALIDDATA;
    }
    // Demuxers that open further inputs of their own (with FFmpeg's default opener, not the guard) or run
    // scripts are never used.
    if (av_match_list(format->name, "concat,hls,applehttp,dash,imf,avisynth,vapoursynth,sdp,rtsp,rtp,sap,lavfi,webm_dash_manifest", ',') > 0) {
        guard->refused += 1;
        av_dict_free(&options);
        avformat_free_context(s);
        return AVERROR(EPERM);
    }
    av_dict_set(&options, "pattern_type", "none", 0);
    code = avformat_open_input(&s, guard->url, format, &options);
    av_dict_free(&options);
    if (code >= 0) *context = s;
    return code;
}


#endif
