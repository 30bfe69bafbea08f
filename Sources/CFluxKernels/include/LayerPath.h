// Where in a composed model the current thread is: a small stack of frames, one per
// `Chain`, `Parallel`, `LayerArray` or bare `Sequential` being run, each holding the number
// of the layer it is in. It is read only when something stops (to name the layer, e.g.
// `layers.2.layers.0`) and written with a few stores per composite call; thread-local, so
// models run on several threads at once keep their own paths.
#ifndef FLUX_LAYER_PATH_H
#define FLUX_LAYER_PATH_H

#include <stdint.h>

/// The deepest nesting recorded; deeper frames are counted but not named.
#define FLUX_LAYER_PATH_CAPACITY 64

typedef struct {
    /// Frames entered and not yet left (may exceed the capacity).
    int32_t depth;
    /// Set by a composite just before it calls a part that continues its own frame (the
    /// left half of a nested pair), and cleared by that part when it enters.
    int32_t continues;
    /// Each frame's name: 0 none (`2`), 1 `layers.2`, 2 `branches.2`, 3 `layers[2]`.
    int32_t name[FLUX_LAYER_PATH_CAPACITY];
    /// Each frame's current layer number.
    int64_t index[FLUX_LAYER_PATH_CAPACITY];
} flux_layer_path_t;

extern _Thread_local flux_layer_path_t flux_layer_path;

/// Enters a composite named `name`: returns 1 when it continues its caller's frame (it is
/// the left half of a nested pair), else pushes a frame and returns 0.
static inline int32_t flux_layer_enter(int32_t name) {
    flux_layer_path_t *p = &flux_layer_path;
    if (p->continues) {
        p->continues = 0;
        return 1;
    }
    if (p->depth < FLUX_LAYER_PATH_CAPACITY) {
        p->name[p->depth] = name;
        p->index[p->depth] = 0;
    }
    p->depth += 1;
    return 0;
}

/// Leaves a composite whose `flux_layer_enter` returned `continued`.
static inline void flux_layer_leave(int32_t continued) {
    if (!continued) flux_layer_path.depth -= 1;
}

/// The current frame is now in layer `index`; `continues`: the part about to be called
/// continues this frame.
static inline void flux_layer_at(int64_t index, int32_t continues) {
    flux_layer_path_t *p = &flux_layer_path;
    if (p->depth > 0 && p->depth <= FLUX_LAYER_PATH_CAPACITY) p->index[p->depth - 1] = index;
    p->continues = continues;
}

/// The current frame moves to its next layer.
static inline void flux_layer_advance(void) {
    flux_layer_path_t *p = &flux_layer_path;
    if (p->depth > 0 && p->depth <= FLUX_LAYER_PATH_CAPACITY) p->index[p->depth - 1] += 1;
}

/// This thread's path, for reading when something stops.
const flux_layer_path_t *flux_layer_path_current(void);

#endif
