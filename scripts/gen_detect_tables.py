#!/usr/bin/env python3
"""Writes src/casefold_table.c and src/wordchar_table.c: the Unicode facts the detector
and the relevance stemmer need (what kind of character a code point is, how letters
fold), taken from Python's unicodedata so the tables can be regenerated for a newer
Unicode version.

    python3 scripts/gen_detect_tables.py           # from the repository root: writes them
    python3 scripts/gen_detect_tables.py --check   # exit 1 when they are out of date (a
                                                   # Python with another Unicode version
                                                   # says so and exits 0: it cannot tell)

Folding of one code point (casefold.h documents the result for users), over all of
Unicode:
  1. a letter whose canonical decomposition is a base plus only "dropped" combining
     marks (DROPPED) folds to its base: é -> e, Ё -> Е, ά -> α, Å (U+212B) -> A;
  2. then simple case folding, one code point to one (full folding where it gives one
     code point, else the simple lower case, which is what CaseFolding.txt's C + S
     entries say): E -> e, Σ/ς -> σ, ẞ -> ß, K (Kelvin, U+212A) -> k, Ω (U+2126) -> ω;
  3. a few letters with a stroke that Unicode does not decompose fold to their base
     (EXTRA): ø -> o, ł -> l, đ -> d, ħ -> h, ŧ -> t, ı -> i;
  4. compatibility forms a keyboard produces (COMPAT): fullwidth Latin letters and
     digits to ASCII, ’ ‘ ＇ to '.
Repeated until nothing changes. U+0080..U+058F and U+1E00..U+1FFF (the Latin, Greek,
Cyrillic and Armenian letters a chat message mostly holds) get dense tables; every other
fold is one of a few runs (same delta, every code point or every other one).

Kinds of code points (wordchar.h): a letter or number (general category L, N) is a word
character, except in the scripts written without spaces (UNSPACED), where each
character is a word of its own; a combining mark (category M) takes the kind of the
character it follows; the dropped marks (DROPPED) are marks that also vanish in folding;
the letters of UNSPACED scripts have a kind of their own; everything else separates
words.
"""
import unicodedata as ud
import sys

# Combining marks (the assigned ones in these ranges) that vanish in folding: diacritics, and the presentation selectors
# (variation selectors, Mongolian free variation selectors) that say how to draw the
# character before them, not which character it is.
DROPPED = [(0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
           (0xFE20, 0xFE2F), (0x180B, 0x180D), (0x180F, 0x180F), (0xFE00, 0xFE0F),
           (0xE0100, 0xE01EF)]
EXTRA = {0x00F8: 'o', 0x0142: 'l', 0x0111: 'd', 0x0127: 'h', 0x0167: 't', 0x0131: 'i',
         0x0140: 'l', 0x0180: 'b', 0x01B6: 'z', 0x0268: 'i', 0x0289: 'u'}
COMPAT = {0x2018: "'", 0x2019: "'", 0xFF07: "'"}
COMPAT.update({0xFF10 + i: chr(ord('0') + i) for i in range(10)})
COMPAT.update({0xFF21 + i: chr(ord('a') + i) for i in range(26)})
COMPAT.update({0xFF41 + i: chr(ord('a') + i) for i in range(26)})
DENSE = [(0x0080, 0x0590), (0x1E00, 0x2000)]

# Scripts written without spaces between words: each of their characters is a word of
# its own, so it never glues to its neighbours (wordchar.h).
UNSPACED = [(0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x19E0, 0x19FF),
            (0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3021, 0x3029), (0x3031, 0x3035),
            (0x3038, 0x303C), (0x3040, 0x30FF), (0x31F0, 0x31FF), (0x3400, 0x4DBF),
            (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF66, 0xFF9F), (0x1B000, 0x1B16F),
            (0x20000, 0x3134F)]

KIND_OTHER, KIND_WORD, KIND_MARK, KIND_DROPPED, KIND_UNSPACED = 0, 1, 2, 3, 4
DIRECT_END = 0x800  # kinds of U+0080..U+07FF (two-byte UTF-8) in a direct table


def within(cp, ranges):
    return any(lo <= cp <= hi for lo, hi in ranges)


def dropped(cp):
    return within(cp, DROPPED) and ud.category(chr(cp))[0] == 'M'


def fold1(ch):
    if ord(ch) in COMPAT:
        return COMPAT[ord(ch)]
    if ud.category(ch)[0] == 'L':
        d = ud.normalize('NFD', ch)
        if len(d) > 1 and all(dropped(ord(x)) for x in d[1:]):
            ch = d[0]
    f = ch.casefold()
    if len(f) != 1:
        f = ch.lower()
    if len(f) != 1:
        f = ch
    return EXTRA.get(ord(f), f)


def fold(cp):
    ch = chr(cp)
    for _ in range(4):
        nxt = fold1(ch)
        if nxt == ch:
            break
        ch = nxt
    return ord(ch)


def kind(cp):
    if 0xD800 <= cp <= 0xDFFF:
        return KIND_OTHER
    cat = ud.category(chr(cp))[0]
    if cat == 'M':
        return KIND_DROPPED if within(cp, DROPPED) else KIND_MARK
    if cat not in 'LN':
        return KIND_OTHER
    return KIND_UNSPACED if within(cp, UNSPACED) else KIND_WORD


def emit_array(decl, values, per_line, fmt):
    lines = []
    for i in range(0, len(values), per_line):
        lines.append('    ' + ', '.join(fmt(v) for v in values[i:i + per_line]) + ',')
    return '%s[%d] = {\n%s\n};\n' % (decl, len(values), '\n'.join(lines))


def fold_runs(folds):
    """(first, count, stride, delta) runs covering the folds outside the dense blocks."""
    runs = []
    for cp, f in folds:
        d = f - cp
        if runs:
            first, count, stride, delta = runs[-1]
            last = first + (count - 1) * stride
            step = cp - last
            if delta == d and count < 0xFFFF and (
                    (count == 1 and step in (1, 2)) or (count > 1 and step == stride)):
                runs[-1] = (first, count + 1, step if count == 1 else stride, delta)
                continue
        runs.append((cp, 1, 1, d))
    return runs


def main():
    head = ('/* Generated by scripts/gen_detect_tables.py from Unicode %s (Python unicodedata).\n'
            ' * Do not edit: change the script and run it again. */\n' % ud.unidata_version)

    folds = []  # (cp, folded) outside the dense blocks
    for cp in range(0x80, 0x110000):
        if 0xD800 <= cp <= 0xDFFF or any(lo <= cp < hi for lo, hi in DENSE):
            continue
        f = fold(cp)
        if f != cp:
            assert fold(f) == f and f < 0x110000, hex(cp)
            folds.append((cp, f))
    for cp in range(0x80, 0x110000):  # folding keeps the kind (the automaton relies on it)
        if not (0xD800 <= cp <= 0xDFFF) and not dropped(cp):
            assert kind(fold(cp)) == kind(cp), hex(cp)

    parts = [head, '#include "casefold.h"\n\n']
    for lo, hi in DENSE:
        vals = []
        for cp in range(lo, hi):
            f = fold(cp)
            assert f < 0x10000 and fold(f) == f, hex(cp)
            vals.append(f)
        parts.append(emit_array('const uint16_t casefold_table_%04X' % lo, vals, 10,
                                lambda v: '0x%04X' % v))
        parts.append('\n')
    runs = fold_runs(folds)
    parts.append('/* Folds outside the dense tables, sorted: code points first, first + stride,\n'
                 ' * ... (count of them) fold to themselves + delta. */\n')
    parts.append(emit_array('const casefold_run casefold_runs', runs, 2,
                            lambda r: '{0x%05X, %d, %d, %d}' % r))
    parts.append('const size_t casefold_run_count = %du;\n\n' % len(runs))
    # One bit per 256 code points: does any run touch that block?
    blocks = [0] * (0x110000 >> 8 >> 5)
    for first, count, stride, _ in runs:
        for b in range(first >> 8, (first + (count - 1) * stride >> 8) + 1):
            blocks[b >> 5] |= 1 << (b & 31)
    parts.append('/* Bit b of word w: a run touches code points (32w + b) * 256 .. + 255. */\n')
    parts.append(emit_array('const uint32_t casefold_run_blocks', blocks, 6,
                            lambda v: '0x%08Xu' % v))
    outputs = {'src/casefold_table.c': ''.join(parts)}

    # Kinds as a partition of U+0080..U+10FFFF into segments: start << 3 | kind.
    segs, prev = [], None
    for cp in range(0x80, 0x110000):
        k = kind(cp)
        if k != prev:
            segs.append(cp << 3 | k)
            prev = k
    direct = [0] * ((DIRECT_END - 0x80) // 4)
    for cp in range(0x80, DIRECT_END):
        assert kind(cp) < 4, hex(cp)
        direct[(cp - 0x80) >> 2] |= kind(cp) << ((cp & 3) * 2)
    parts = [head, '#include "wordchar.h"\n\n',
             '/* The kind of every non-ASCII code point (wordchar_kind): words are general\n'
             ' * categories L and N, less the scripts written without spaces (Han, Kana, Thai,\n'
             ' * Lao, Myanmar, Khmer: UNSPACED); marks M; dropped marks the ones folding removes\n'
             ' * (casefold.h). U+0080..U+07FF: four to a byte, low bits first. */\n',
             emit_array('const uint8_t wordchar_kinds_0080', direct, 12, lambda v: '0x%02X' % v),
             '\n/* All of U+0080..U+10FFFF as segments: entry i is first << 3 | kind, the kind of\n'
             ' * first up to the next entry\'s first - 1. */\n',
             emit_array('const uint32_t wordchar_segments', segs, 8, lambda v: '0x%07X' % v),
             'const size_t wordchar_segment_count = %du;\n' % len(segs)]
    outputs['src/wordchar_table.c'] = ''.join(parts)
    if '--check' in sys.argv[1:]:
        stale = []
        for path, text in outputs.items():
            old = open(path, encoding='utf-8').read()
            if old.split('\n', 1)[0] != text.split('\n', 1)[0]:
                print('gen_detect_tables: %s is from another Unicode version than this Python\'s '
                      '(%s): not checked' % (path, ud.unidata_version))
            elif old != text:
                stale.append(path)
                print('gen_detect_tables: %s is out of date: run python3 '
                      'scripts/gen_detect_tables.py' % path)
        sys.exit(1 if stale else 0)
    for path, text in outputs.items():
        open(path, 'w', encoding='utf-8').write(text)
    print('fold runs: %d, kind segments: %d' % (len(runs), len(segs)), file=sys.stderr)


main()
