/*
 * texts — the creator-controlled texts (the prompts/ files) and the detector's built-in
 * keyword lists (the src/detect_lists/ files), embedded at build time by
 * cmake/embed_texts.cmake (generated texts.c). Each is NUL-terminated; _len is its byte
 * length without the NUL. Edit the .txt files, never C.
 */
#ifndef NOVA_TEXTS_H
#define NOVA_TEXTS_H

extern const char nova_text_core[];
extern const unsigned nova_text_core_len;
extern const char nova_text_relationship[];
extern const unsigned nova_text_relationship_len;
extern const char nova_text_memory[];
extern const unsigned nova_text_memory_len;
extern const char nova_text_insight[];
extern const unsigned nova_text_insight_len;
/* The memory update's extraction prompt (a template: template.h). */
extern const char nova_text_memory_update[];
extern const unsigned nova_text_memory_update_len;

/* The detector's built-in keyword lists, from src/detect_lists/. */
extern const char nova_text_keywords_strong[];
extern const unsigned nova_text_keywords_strong_len;
extern const char nova_text_keywords_medium[];
extern const unsigned nova_text_keywords_medium_len;
extern const char nova_text_keywords_weak[];
extern const unsigned nova_text_keywords_weak_len;

#endif
