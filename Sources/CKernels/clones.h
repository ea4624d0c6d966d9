// Private to the kernels: how each is compiled for several instruction sets.
#ifndef MOODLINE_CLONES_H
#define MOODLINE_CLONES_H

#ifndef __has_feature
#define __has_feature(x) 0
#endif

// One clone per instruction set level; the loader picks the best this CPU supports. Not under ThreadSanitizer:
// the loader runs the clone resolver before the sanitizer's runtime is up, and the instrumented resolver crashes.
#if defined(__x86_64__) && defined(__linux__) && !__has_feature(thread_sanitizer)
#define MOODLINE_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define MOODLINE_CLONES
#endif

#endif
