// A small H.264 (or MPEG-4 part 2) MP4 writer for the annotated video: RGB frames in, encoded with the timestamps
// given, and another stream's packets (the audio) copied through unchanged. In C because it is a straight run of
// FFmpeg calls with many pointers owned by FFmpeg; Swift only hands it frames and packets.
#ifndef MOODLINE_CFFMPEG_ENCODER_H
#define MOODLINE_CFFMPEG_ENCODER_H

#include <stdlib.h>
#include <string.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libavutil/opt.h>

typedef struct MoodlineVideoWriter {
    AVFormatContext *format;
    AVCodecContext *encoder;
    AVStream *video;
    /// The copied stream (NULL when there is none) and the time base its packets arrive in.
    AVStream *copied;
    AVRational copied_time_base;
    struct SwsContext *scale;
    AVFrame *frame;
    /// The RGB picture copied into FFmpeg's own padded buffer before conversion (see `moodline_writer_encode_rgb`).
    AVFrame *source;
    AVPacket *packet;
    int width, height;
    int header_written;
} MoodlineVideoWriter;

/// Frees everything the writer holds (after `moodline_writer_finish`, or instead of it after a failure, which
/// leaves the file incomplete: the caller removes it).
static inline void moodline_writer_free(MoodlineVideoWriter *w) {
    if (!w) return;
    sws_freeContext(w->scale);
    av_frame_free(&w->frame);
    av_frame_free(&w->source);
    av_packet_free(&w->packet);
    avcodec_free_context(&w->encoder);
    if (w->format) {
        if (w->format->pb) avio_closep(&w->format->pb);
        avformat_free_context(w->format);
    }
    free(w);
}

/// Opens `path` for writing an MP4 of `width`x`height` (even numbers) frames whose timestamps are in `time_base`,
/// copying packets of `copy_from` (may be NULL). On failure returns a negative FFmpeg code and sets `*out` to NULL.
static inline int moodline_writer_open(MoodlineVideoWriter **out, const char *path, int width, int height,
                                       AVRational time_base, AVRational frame_rate, const AVStream *copy_from) {
    *out = NULL;
    MoodlineVideoWriter *w = calloc(1, sizeof *w);
    if (!w) return AVERROR(ENOMEM);
    w->width = width;
    w->height = height;
    int code = avformat_alloc_output_context2(&w->format, NULL, "mp4", path);
    if (code < 0 || !w->format) { moodline_writer_free(w); return code < 0 ? code : AVERROR(ENOMEM); }
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    if (!codec) codec = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
    if (!codec) { moodline_writer_free(w); return AVERROR_ENCODER_NOT_FOUND; }
    w->video = avformat_new_stream(w->format, NULL);
    w->encoder = avcodec_alloc_context3(codec);
    if (!w->video || !w->encoder) { moodline_writer_free(w); return AVERROR(ENOMEM); }
    w->encoder->width = width;
    w->encoder->height = height;
    w->encoder->pix_fmt = AV_PIX_FMT_YUV420P;
    w->encoder->time_base = time_base;
    if (frame_rate.num > 0 && frame_rate.den > 0) w->encoder->framerate = frame_rate;
    w->encoder->gop_size = 250;
    if (w->format->oformat->flags & AVFMT_GLOBALHEADER) w->encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (strcmp(codec->name, "libx264") == 0) {
        av_opt_set(w->encoder->priv_data, "preset", "veryfast", 0);
        av_opt_set(w->encoder->priv_data, "crf", "23", 0);
    } else {
        w->encoder->bit_rate = (int64_t)width * height * 4;
    }
    code = avcodec_open2(w->encoder, codec, NULL);
    if (code < 0) { moodline_writer_free(w); return code; }
    code = avcodec_parameters_from_context(w->video->codecpar, w->encoder);
    if (code < 0) { moodline_writer_free(w); return code; }
    w->video->time_base = time_base;
    if (copy_from) {
        w->copied = avformat_new_stream(w->format, NULL);
        if (!w->copied) { moodline_writer_free(w); return AVERROR(ENOMEM); }
        code = avcodec_parameters_copy(w->copied->codecpar, copy_from->codecpar);
        if (code < 0) { moodline_writer_free(w); return code; }
        w->copied->codecpar->codec_tag = 0;
        w->copied->time_base = copy_from->time_base;
        w->copied_time_base = copy_from->time_base;
    }
    code = avio_open(&w->format->pb, path, AVIO_FLAG_WRITE);
    if (code < 0) { moodline_writer_free(w); return code; }
    code = avformat_write_header(w->format, NULL);
    if (code < 0) { moodline_writer_free(w); return code; }
    w->header_written = 1;
    w->frame = av_frame_alloc();
    w->source = av_frame_alloc();
    w->packet = av_packet_alloc();
    if (!w->frame || !w->source || !w->packet) { moodline_writer_free(w); return AVERROR(ENOMEM); }
    w->source->format = AV_PIX_FMT_RGB24;
    w->source->width = width;
    w->source->height = height;
    code = av_frame_get_buffer(w->source, 0);
    if (code < 0) { moodline_writer_free(w); return code; }
    // Zeroed, padding and all: swscale's vector code reads the padding (uninitialised, it changes nothing but is
    // reported by memcheck, which must stay quiet to find real faults).
    memset(w->source->buf[0]->data, 0, w->source->buf[0]->size);
    w->frame->format = AV_PIX_FMT_YUV420P;
    w->frame->width = width;
    w->frame->height = height;
    code = av_frame_get_buffer(w->frame, 0);
    if (code < 0) { moodline_writer_free(w); return code; }
    for (int i = 0; i < AV_NUM_DATA_POINTERS && w->frame->buf[i]; i++) memset(w->frame->buf[i]->data, 0, w->frame->buf[i]->size);
    w->scale = sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, NULL, NULL, NULL);
    if (!w->scale) { moodline_writer_free(w); return AVERROR(ENOMEM); }
    *out = w;
    return 0;
}

/// Sends `frame` (NULL to flush) to the encoder and writes the packets it gives.
static inline int moodline_writer_send(MoodlineVideoWriter *w, AVFrame *frame) {
    int code = avcodec_send_frame(w->encoder, frame);
    if (code < 0) return code;
    for (;;) {
        code = avcodec_receive_packet(w->encoder, w->packet);
        if (code == AVERROR(EAGAIN) || code == AVERROR_EOF) return 0;
        if (code < 0) return code;
        av_packet_rescale_ts(w->packet, w->encoder->time_base, w->video->time_base);
        w->packet->stream_index = w->video->index;
        code = av_interleaved_write_frame(w->format, w->packet);
        if (code < 0) return code;
    }
}

/// Encodes one RGB24 picture of the writer's size (rows `stride` bytes apart) at `pts` (in the writer's time base).
static inline int moodline_writer_encode_rgb(MoodlineVideoWriter *w, const uint8_t *rgb, int stride, int64_t pts) {
    int code = av_frame_make_writable(w->frame);
    if (code < 0) return code;
    // swscale's vector code reads past the end of a row and of the picture: it reads a copy in FFmpeg's own padded
    // buffer, never the caller's memory.
    for (int y = 0; y < w->height; y++) {
        memcpy(w->source->data[0] + (size_t)y * w->source->linesize[0], rgb + (size_t)y * stride, (size_t)w->width * 3);
    }
    sws_scale(w->scale, (const uint8_t *const *)w->source->data, w->source->linesize, 0, w->height, w->frame->data,
              w->frame->linesize);
    w->frame->pts = pts;
    return moodline_writer_send(w, w->frame);
}

/// Copies a packet of the copied stream (its timestamps rescaled, its data unchanged); does nothing without one.
static inline int moodline_writer_copy_packet(MoodlineVideoWriter *w, const AVPacket *packet) {
    if (!w->copied) return 0;
    AVPacket *copy = av_packet_clone(packet);
    if (!copy) return AVERROR(ENOMEM);
    av_packet_rescale_ts(copy, w->copied_time_base, w->copied->time_base);
    copy->stream_index = w->copied->index;
    copy->pos = -1;
    int code = av_interleaved_write_frame(w->format, copy);
    av_packet_free(&copy);
    return code;
}

/// Flushes the encoder and writes the file's index; the writer must still be freed.
static inline int moodline_writer_finish(MoodlineVideoWriter *w) {
    int code = moodline_writer_send(w, NULL);
    if (code < 0) return code;
    return av_write_trailer(w->format);
}

#endif
