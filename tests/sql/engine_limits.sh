#!/usr/bin/env bash
# The database-to-engine test (issue 13): rows at every limit the tables allow go through
# nova_prompt_context into the engine's assemble (build/nova-prompt) and never fail. Sourced
# by run.sh with the test database up (DB, TMP, NOVA_ROOT, check() from run.sh).
#   - at the default budget: every never-cut part at its limit (the user's profile, the
#     partner's single fields, 4,000 characters of chat summary, the relationship layer on)
#     still fits max_chars 24,000, with or without a memory_summary at the table's limits
#     (its lines are the budget's last resort);
#   - at max_chars 1,000,000: the longest names and keywords, longest texts, most items,
#     the deepest, widest and longest memory_summary and one with every kind of number the
#     table accepts, and memories at the earliest and latest timestamps, are accepted;
#   - with no detection config row, a partner name over NOVA_MAX_KEYWORD_BYTES;
#   - the tables' "visible text" rule (nova.has_visible_text) agrees with the engine: a
#     memory made of one character is shown exactly when the database calls it visible.
CLI=$NOVA_ROOT/build/nova-prompt
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$NOVA_ROOT/tests/sql/engine_limits.sql" >/dev/null \
  || { echo "engine_limits.sql failed to load"; failed=$((failed + 1)); return; }

# assemble_case NAME CASE STYLE SUMMARY THRESHOLD REQUEST_EXTRA_JSON: one counted check.
assemble_case() {
  local name=$1 ctx=$TMP/limits_$1.json req=$TMP/limits_$1.req out=$TMP/limits_$1.out
  [ -x "$CLI" ] || { echo "$CLI is missing: run make first"; return 1; }
  psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$DB" -c "begin" \
    -c "select tests.limits_context('$2', '$3', ${4:-null}, $5)" -c "rollback" >"$ctx" || return 1
  node -e '
    const fs = require("fs");
    const [ctx, req, extra] = process.argv.slice(1);
    const context = JSON.parse(fs.readFileSync(ctx, "utf8"));
    const more = JSON.parse(extra);
    fs.writeFileSync(req, JSON.stringify({
      context: { ...context, chat_memory_summary: more.chat_memory_summary ?? null, fallback_name: null },
      message: "My partner and I argued about date night again", ...(more.options ? { options: more.options } : {}) }));
  ' "$ctx" "$req" "$6" || return 1
  "$CLI" assemble --json <"$req" >"$out" || { head -c 600 "$out"; echo; return 1; }
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const want = JSON.parse(process.argv[2]);
    const on = Object.fromEntries(r.layers.map((l) => [l.name, l.included]));
    for (const name of want.layers) if (!on[name]) { console.log(`layer ${name} missing`); process.exit(1); }
    console.log(`${process.argv[3]}: ${(require("fs").statSync(process.argv[4]).size / 1048576).toFixed(1)} MiB request, ` +
                `${r.budget.used_chars} of ${r.budget.max_chars} chars, dropped ${JSON.stringify(r.budget.dropped)}`);
  ' "$out" "$7" "$name" "$req"
}

summary4000=$(node -e 'console.log(JSON.stringify({ chat_memory_summary: "\u{1F600}".repeat(4000) }))')
for style in wide escaped; do
  for kind in linked ai; do
    check "database to engine, default budget: $kind partner, $style text, every never-cut part at its limit" \
      assemble_case "budget_${kind}_$style" "$kind" "$style" "" 0 "$summary4000" \
      '{"layers":["core","main_user","reference","memory","relationship"]}'
    for shape in deep wide long numbers; do
      # The summary is main_user's one droppable part: a summary at the table's limits
      # loses lines (the last first) and the request still fits.
      check "database to engine, default budget: $kind partner, $style text, $shape memory_summary, every never-cut part at its limit" \
        assemble_case "budget_${kind}_${style}_$shape" "$kind" "$style" "'$shape'" 0 "$summary4000" \
        '{"layers":["core","main_user","reference","memory","relationship"]}'

      check "database to engine, max_chars 1,000,000: $kind partner, $style text, $shape memory_summary, every item at its limit" \
        assemble_case "max_${kind}_${style}_$shape" "$kind" "$style" "'$shape'" 100 '{"options":{"max_chars":1000000}}' \
        '{"layers":["core","main_user","reference","memory"]}'
    done
  done
done

# The partner's name is a term only up to NOVA_MAX_KEYWORD_BYTES: with no detection config
# row (nothing else names the partner) a 100-character name of 4-byte characters, 400
# bytes, is simply no term (it once failed every request of such a user).
for kind in linked ai; do
  check "database to engine: $kind partner named with 100 4-byte characters (400 bytes), no detection config row" \
    assemble_case "noconfig_$kind" "$kind" wide "" null '{"options":{"max_chars":1000000}}' '{"layers":["core","main_user","reference","memory"]}'
done

# Visible text: one memory of one character per sampled code point (every boundary of the
# invisible and white-space ranges, and every 997th code point), shown or not.
visible_text_agrees() {
  psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$DB" -c "
    with b(cp) as (select unnest(array[1, 8, 9, 13, 14, 31, 32, 33, 126, 127, 159, 160, 161, 172, 173, 174, 846, 847, 848,
                   1563, 1564, 1565, 4446, 4447, 4448, 4449, 6067, 6068, 6069, 6070, 6154, 6155, 6159, 6160, 5759, 5760, 5761,
                   8191, 8192, 8202, 8203, 8205, 8207, 8208, 8231, 8232, 8233, 8234, 8238, 8239, 8240, 8286, 8287, 8288, 8303, 8304,
                   12287, 12288, 12289, 12643, 12644, 12645, 64975, 64976, 65007, 65008, 65023, 65024, 65039, 65040, 65278, 65279,
                   65280, 65439, 65440, 65441, 65528, 65529, 65531, 65532, 65533, 65534, 65535, 65536, 113823, 113824, 113827,
                   113828, 119154, 119155, 119162, 119163, 131070, 131071, 131072, 917503, 917504, 917631, 917632, 917759, 917760,
                   917999, 918000, 983040, 1114108, 1114109, 1114110, 1114111])
                   union select g from generate_series(1, 1114111, 997) g)
    select cp || ' ' || nova.has_visible_text(chr(cp)) from b where cp not between 55296 and 57343 order by cp" >"$TMP/visible.txt" || return 1
  # One request: a memory per code point, in a fixed shown order (updated_at descending);
  # the memory layer's bullets must be exactly the code points the database calls visible.
  node -e '
    const fs = require("fs");
    const rows = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => l.split(" "));
    const memories = rows.map(([cp], i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, category: "general",
      content: String.fromCodePoint(Number(cp)), confidence: 1,
      updated_at: new Date(Date.UTC(2026, 0, 1) - i * 1000).toISOString() }));
    fs.writeFileSync(process.argv[2], JSON.stringify({ context: { user_id: "00000000-0000-4000-8000-00000000ffff",
      user: { name: "Ann" }, memories }, message: "hi", options: { max_chars: 1000000 } }));
  ' "$TMP/visible.txt" "$TMP/visible.req" || return 1
  "$CLI" assemble <"$TMP/visible.req" >"$TMP/visible.prompt" || return 1
  node -e '
    const fs = require("fs");
    const rows = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => l.split(" "));
    const prompt = fs.readFileSync(process.argv[2], "utf8");
    const layer = prompt.slice(prompt.indexOf("<nova:memory>"), prompt.indexOf("</nova:memory>"));
    const shown = layer.split("\n").filter((l) => l.startsWith("- About the relationship: "))
                       .map((l) => l.slice("- About the relationship: ".length));
    const want = rows.filter(([, v]) => v === "true").map(([cp]) => String.fromCodePoint(Number(cp)));
    const hex = (s) => [...s].map((c) => "U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")).join(" ");
    let bad = 0;
    for (let i = 0; i < Math.max(shown.length, want.length); i++) {
      if (shown[i] !== want[i]) { console.log(`bullet ${i}: engine shows ${hex(shown[i] ?? "")}, database expects ${hex(want[i] ?? "")}`); if (++bad > 10) break; }
    }
    console.log(`${rows.length} code points compared, ${want.length} visible`);
    process.exit(bad ? 1 : 0);
  ' "$TMP/visible.txt" "$TMP/visible.prompt"
}
check "nova.has_visible_text agrees with the engine on every sampled code point" visible_text_agrees
