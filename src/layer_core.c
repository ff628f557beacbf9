/* layer core — Nova's identity, tone, safety and privacy rules: the creator's text
 * (prompts/core.txt), always first, never cut by the budget. */
#include "layers.h"
#include "texts.h"

int layer_core(doc *d, const layer_ctx *ctx, const char **reason) {
    (void)ctx;
    int layer = layer_open(d, "core", 1, 0);
    layer_creator_text(d, layer, nova_text_core, nova_text_core_len);
    layer_close(d, layer, "core");
    *reason = "always";
    return layer;
}
