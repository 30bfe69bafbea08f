#include "LayerPath.h"

_Thread_local flux_layer_path_t flux_layer_path;

const flux_layer_path_t *flux_layer_path_current(void) { return &flux_layer_path; }
