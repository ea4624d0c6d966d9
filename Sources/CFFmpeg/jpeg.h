// Encodes one RGB picture as a baseline JPEG in memory (the photo report's thumbnails), with FFmpeg's own MJPEG
// encoder: no other library needed. In C for the same reason as encoder.h: a straight run of FFmpeg calls.
#ifndef MOODLINE_CFFMPEG_JPEG_H
#define MOODLINE_CFFMPEG_JPEG_H

#include <stdlib.h>
#include <string.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>

/// Encodes `width`x`height` RGB24 pixels (rows `stride` bytes apart) at quantiser `qscale` (2 best .. 31 worst).
/// On success returns 0 and sets `*out` (free with `free`) and `*size`; otherwise a negative FFmpeg code.
static inline int moodline_encode_jpeg(const uint8_t *rgb, int width, int height, int stride, int qscale,
                                       uint8_t **out, int *size) {
    *out = NULL;
    *size = 0;
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (!codec) return AVERROR_ENCODER_NOT_FOUND;
    AVCodecContext *encoder = avcodec_alloc_context3(codec);
    AVFrame *frame = av_frame_alloc();
    AVFrame *source = av_frame_alloc();
    AVPacket *packet = av_packet_alloc();
    struct SwsContext *scale = NULL;
    int code = AVERROR(ENOMEM);
    if (!encoder || !frame || !source || !packet) goto done;
    encoder->width = width;
    encoder->height = height;
    // Full-range 4:2:0, what a JPEG file holds (the "J" formats are FFmpeg's name for full range).
    encoder->pix_fmt = AV_PIX_FMT_YUVJ420P;
    encoder->time_base = (AVRational){1, 25};
    encoder->flags |= AV_CODEC_FLAG_QSCALE;
    encoder->global_quality = FF_QP2LAMBDA * qscale;
    code = avcodec_open2(encoder, codec, NULL);
    if (code < 0) goto done;
    frame->format = AV_PIX_FMT_YUVJ420P;
    frame->width = width;
    frame->height = height;
    frame->quality = encoder->global_quality;
    code = av_frame_get_buffer(frame, 0);
    if (code < 0) goto done;
    // Zeroed, padding and all: the encoder's and swscale's vector code read the padding too (uninitialised, it
    // changes nothing but is reported by memcheck, which must stay quiet to find real faults).
    for (int i = 0; i < AV_NUM_DATA_POINTERS && frame->buf[i]; i++) memset(frame->buf[i]->data, 0, frame->buf[i]->size);
    scale = sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, AV_PIX_FMT_YUVJ420P, SWS_BICUBIC,
                           NULL, NULL, NULL);
    code = AVERROR(ENOMEM);
    if (!scale) goto done;
    // swscale's vector code reads past the end of a row and of the picture: it is given a copy in FFmpeg's own
    // padded buffer, never the caller's memory.
    source->format = AV_PIX_FMT_RGB24;
    source->width = width;
    source->height = height;
    code = av_frame_get_buffer(source, 0);
    if (code < 0) goto done;
    memset(source->buf[0]->data, 0, source->buf[0]->size);
    for (int y = 0; y < height; y++) memcpy(source->data[0] + (size_t)y * source->linesize[0], rgb + (size_t)y * stride, (size_t)width * 3);
    sws_scale(scale, (const uint8_t *const *)source->data, source->linesize, 0, height, frame->data, frame->linesize);
    frame->pts = 0;
    code = avcodec_send_frame(encoder, frame);
    if (code < 0) goto done;
    code = avcodec_send_frame(encoder, NULL);
    if (code < 0) goto done;
    code = avcodec_receive_packet(encoder, packet);
    if (code < 0) goto done;
    *out = malloc(packet->size);
    code = AVERROR(ENOMEM);
    if (!*out) goto done;
    memcpy(*out, packet->data, packet->size);
    *size = packet->size;
    code = 0;
done:
    sws_freeContext(scale);
    av_packet_free(&packet);
    av_frame_free(&source);
    av_frame_free(&frame);
    avcodec_free_context(&encoder);
    return code;
}

#endif
