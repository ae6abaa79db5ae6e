// A peer: the benchmark's cards drawn by satori (flexbox layout, text shaped into SVG paths) and
// resvg (SVG → PNG), in Node.js.
//
//     node benchmarks/satori/peer.mjs DECK.yaml OUTDIR     → OUTDIR/<deck stem>/01.png, 02.png, …
//     node benchmarks/satori/peer.mjs --cards DECK.yaml    → the cards as JSON (for the tests)
//
// Set up once: `npm ci --prefix benchmarks/satori` (satori, @resvg/resvg-js with its prebuilt
// binary, yaml; all from the npm registry, nothing is fetched at run time).
//
// It draws what benchmarks/pillow_floor.py draws: the deck read as bench_cards.load_cards reads it
// (the same rules, in JavaScript: satori cannot call Python), the style from card-style.json, the
// floor's three font files. CSS places text by line boxes, not baselines, so each text box is
// shifted by the font's own metrics (hhea ascender and descender, OS/2 cap height; satori's
// baseline rule) to put its first cap height and baselines where the floor puts them.

import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import satori from "satori";
import { Resvg } from "@resvg/resvg-js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..", "..");
const STYLE = JSON.parse(readFileSync(join(HERE, "..", "card-style.json"), "utf8"));

// --- the deck, as bench_cards.load_cards reads it ----------------------------------------------

const plain = (text) => String(text ?? "").replaceAll("**", "").replaceAll("==", "").trim();

export function loadCards(deckPath) {
  const deck = parse(readFileSync(deckPath, "utf8"));
  const raw = deck.cards.map((card) => ({ ...(deck.defaults ?? {}), ...card }));
  let steps = 0;
  return raw.map((card, index) => {
    const cover = card.layout === "cover";
    let number = card.number;
    if (card.layout === "step") {
      steps += 1;
      if (!("number" in card)) number = String(steps).padStart(2, "0");
    }
    const text = plain(card.text);
    return {
      cover,
      counter: `${index + 1}/${raw.length}`,
      number: number && !cover ? String(number) : "",
      title: plain(card.title),
      subtitle: cover ? plain(card.subtitle) : "",
      paragraphs: text && !cover ? text.split("\n\n") : [],
      footer: plain(card.footer),
      hint: cover && index + 1 < raw.length ? STYLE.hint : "",
    };
  });
}

// --- fonts and the metrics that turn CSS line boxes into the floor's baselines -------------------

function fontMetrics(data) {
  // sfnt table directory: head.unitsPerEm, hhea.ascender/descender, OS/2.sCapHeight
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const tables = {};
  for (let i = 0; i < view.getUint16(4); i++) {
    const at = 12 + 16 * i;
    tables[String.fromCharCode(...data.subarray(at, at + 4))] = view.getUint32(at + 8);
  }
  const upm = view.getUint16(tables.head + 18);
  return {
    ascender: view.getInt16(tables.hhea + 4) / upm,
    descender: view.getInt16(tables.hhea + 6) / upm,
    capHeight: view.getInt16(tables["OS/2"] + 88) / upm,
  };
}

const FILES = new Map(); // font file → {data, metrics}
for (const role of Object.values(STYLE.roles)) {
  if (!FILES.has(role.font)) {
    const data = readFileSync(join(ROOT, role.font));
    FILES.set(role.font, { data, metrics: fontMetrics(data) });
  }
}
const FONTS = [...new Set(Object.values(STYLE.roles).map((r) => `${r.font}|${r.family}|${r.weight}`))].map((key) => {
  const [font, name, weight] = key.split("|");
  return { name, data: FILES.get(font).data, weight: Number(weight), style: "normal" };
});

// Where a role's line box puts things, in px from the box's top: satori's baseline rule.
function boxMetrics(roleName) {
  const role = STYLE.roles[roleName];
  const { ascender, descender, capHeight } = FILES.get(role.font).metrics;
  const line = role.size * role.line_height;
  const ascent = Math.round(ascender * role.size);
  const descent = Math.round(-descender * role.size);
  const baseline = ascent + Math.floor((line - ascent - descent) / 2);
  const cap = capHeight * role.size;
  return { line, baseline, cap, above: baseline - cap, below: line - baseline };
}

// --- the cards as satori elements ---------------------------------------------------------------

const el = (type, style, children = []) => ({ type, props: { style, children } });

function textStyle(roleName) {
  const r = STYLE.roles[roleName];
  return { fontFamily: r.family, fontWeight: r.weight, fontSize: r.size, lineHeight: r.line_height, color: r.color };
}

// A block of the role's paragraphs whose box runs from the first cap height to the last baseline,
// as the floor's blocks do (negative margins trim the line box above and below).
function lines(roleName, paragraphs, gapBefore) {
  const m = boxMetrics(roleName);
  const pgap = STYLE.roles[roleName].size * STYLE.paragraph_gap;
  const paras = paragraphs.map((p, i) => el("div", { ...textStyle(roleName), marginTop: i ? pgap : 0 }, p));
  return el("div", { display: "flex", flexDirection: "column", marginTop: gapBefore - m.above, marginBottom: -m.below }, paras);
}

function chromeText(roleName, text, position) {
  const m = boxMetrics(roleName);
  return el("div", { ...textStyle(roleName), position: "absolute", whiteSpace: "nowrap", ...position(m) }, text);
}

function card(c) {
  const { width, height, margin, chrome_gap: chromeGap, gaps, rule } = STYLE;
  const top = margin + boxMetrics("counter").cap + chromeGap;
  const bottom = height - margin - boxMetrics("footer").cap - chromeGap;
  const blocks = [];
  if (c.cover) {
    blocks.push(el("div", { width: rule.width, height: rule.height, borderRadius: rule.radius, backgroundColor: rule.color }));
    blocks.push(lines("cover_title", [c.title], rule.gap_after));
    if (c.subtitle) blocks.push(lines("cover_subtitle", [c.subtitle], gaps.subtitle));
  } else {
    if (c.number) blocks.push(lines("number", [c.number], 0));
    if (c.title) blocks.push(lines("title", [c.title], blocks.length ? gaps.title : 0));
    if (c.paragraphs.length) blocks.push(lines("body", c.paragraphs, gaps.body));
  }
  const children = [
    el("div", {
      position: "absolute", left: margin, top, width: width - 2 * margin, height: bottom - top,
      display: "flex", flexDirection: "column", justifyContent: c.cover ? "center" : "flex-start",
    }, blocks),
    chromeText("counter", c.counter, (m) => ({ right: margin, top: margin - m.above })),
  ];
  if (c.footer) children.push(chromeText("footer", c.footer, (m) => ({ left: margin, top: height - margin - m.baseline })));
  if (c.hint) children.push(chromeText("hint", c.hint, (m) => ({ right: margin, top: height - margin - m.baseline })));
  return el("div", { display: "flex", width, height, backgroundColor: STYLE.background }, children);
}

// --- the command --------------------------------------------------------------------------------

async function renderDeck(deckPath, outRoot) {
  const cards = loadCards(deckPath);
  const outDir = join(outRoot, basename(deckPath, extname(deckPath)));
  mkdirSync(outDir, { recursive: true });
  for (const [i, c] of cards.entries()) {
    const svg = await satori(card(c), { width: STYLE.width, height: STYLE.height, fonts: FONTS });
    const png = new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng();
    writeFileSync(join(outDir, `${String(i + 1).padStart(2, "0")}.png`), png);
  }
  return [cards.length, outDir];
}

const args = process.argv.slice(2);
if (args[0] === "--cards" && args.length === 2) {
  process.stdout.write(JSON.stringify(loadCards(args[1])) + "\n");
} else if (args.length === 2) {
  const [n, outDir] = await renderDeck(args[0], args[1]);
  process.stdout.write(`${args[0]}: ${n} slides → ${outDir}\n`);
} else {
  process.stderr.write("usage: node benchmarks/satori/peer.mjs DECK.yaml OUTDIR\n");
  process.exit(2);
}
