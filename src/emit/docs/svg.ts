/**
 * `docs/svg/<family>/<record>.svg`: a picture of a record's bytes. Rows of 16 bytes (fewer for
 * small records) under a byte-offset axis; each field a box whose width is proportional to its
 * size; padding hatched grey, reserved fields red and dashed, repeated array elements grey and
 * dashed. A box spanning more than three rows keeps its first and last row and the rows between
 * become one "not drawn" strip, so 128 KiB of `data` is two rows, not 8192. One band per group
 * of targets with the same layout, labelled with the targets.
 *
 * The SVG is self-contained (no fonts, scripts or links: generic font families only) and
 * deterministic (integer coordinates, no timestamps). Boxes carry `data-field`, `data-offset`
 * and `data-size` so tools and tests can read the picture back.
 */
import type { RecordModel } from "../../model/model.js";
import type { Target } from "../../targets/targets.js";
import { wrapWords } from "../wrap.js";
import { layoutGroups, targetNames } from "./layout-groups.js";
import { segments, unionLanes, type Segment, type SegmentKind } from "./svg-segments.js";

/** Pixels per byte, bytes per row. */
export const BYTE_PX = 48;
const ROW_BYTES = 16;
const MARGIN = 12;
const GUTTER = 56;
const AXIS_H = 16;
const BOX_H = 40;
const ROW_GAP = 6;
const BREAK_H = 26;
const LINE_H = 15;
const FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace";
/** Width of a monospace character, in ems (DejaVu Sans Mono: 0.602). */
const CHAR_EM = 0.61;

const PALETTE = ["#cfe2f3", "#d9ead3", "#fff2cc", "#ead1dc", "#d0e0e3", "#fce5cd"];
const STYLE: Record<SegmentKind, { fill: string; stroke: string; dash?: string }> = {
  data: { fill: "", stroke: "#44546a" },
  record: { fill: "#c9daf8", stroke: "#1c4587" },
  union: { fill: "#e4dcf5", stroke: "#5b3f99" },
  padding: { fill: "url(#hatch)", stroke: "#888888" },
  hole: { fill: "url(#hole)", stroke: "#cc0000" },
  reserved: { fill: "#f4cccc", stroke: "#990000", dash: "5 3" },
  repeat: { fill: "#eeeeee", stroke: "#666666", dash: "5 3" },
};
const LEGEND: Record<SegmentKind, string> = {
  data: "field",
  record: "nested record",
  union: "union",
  padding: "padding",
  hole: "implicit padding",
  reserved: "reserved",
  repeat: "repeated elements",
};

const XML_SPECIAL = /[&<>"]/;

function esc(s: string): string {
  if (!XML_SPECIAL.test(s)) return s;
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The largest of `sizes` at which `text` fits `width`; else the text shortened with "…". */
function fit(text: string, width: number, sizes: readonly number[] = [12, 10, 9]): { text: string; size: number } | undefined {
  for (const size of sizes) if (text.length * size * CHAR_EM <= width) return { text, size };
  const size = sizes[sizes.length - 1]!;
  const chars = Math.floor(width / (size * CHAR_EM)) - 1;
  return chars >= 3 ? { text: text.slice(0, chars) + "…", size } : undefined;
}

/** Words of `text` wrapped to lines of at most `width` pixels at `size`. */
function wrap(text: string, width: number, size: number): string[] {
  return wrapWords(text, Math.max(10, Math.floor(width / (size * CHAR_EM))));
}

function textEl(x: number, y: number, size: number, s: string, extra = ""): string {
  return `<text x="${x}" y="${y}" font-size="${size}"${extra}>${esc(s)}</text>`;
}

class Canvas {
  readonly parts: string[] = [];
  y = MARGIN;
  readonly kinds = new Set<SegmentKind>();
  constructor(readonly rowBytes: number) {}

  get width(): number {
    return MARGIN + GUTTER + this.rowBytes * BYTE_PX + MARGIN;
  }

  caption(s: string, size: number, bold = false): void {
    for (const line of wrap(s, this.width - 2 * MARGIN, size)) {
      this.y += Math.round(size * 1.3);
      this.parts.push(textEl(MARGIN, this.y - 3, size, line, bold ? ` font-weight="bold"` : ""));
    }
    this.y += 4;
  }

  /** The rows of one lane: segments laid out on the byte axis. */
  lane(segs: readonly Segment[], size: number): void {
    const W = this.rowBytes;
    const rows = Math.max(1, Math.ceil(size / W));
    const hidden = new Map<number, Segment>();
    // The segments each drawn row may show, by index (ascending, as drawn): a row looks at its
    // own few segments instead of all of the lane's. A long segment's middle rows are hidden
    // (not drawn), so it is listed under its first and last row only.
    const onRow = new Map<number, number[]>();
    const list = (r: number, i: number): void => {
      const l = onRow.get(r);
      if (l) l.push(i);
      else onRow.set(r, [i]);
    };
    segs.forEach((s, i) => {
      const r0 = Math.floor(s.offset / W);
      const r1 = Math.floor((s.offset + s.size - 1) / W);
      if (r1 - r0 >= 3) {
        for (let r = r0 + 1; r < r1; r++) hidden.set(r, s);
        list(r0, i);
        list(r1, i);
      } else for (let r = r0; r <= r1; r++) list(r, i);
    });
    for (let r = 0; r < rows; ) {
      const seg = hidden.get(r);
      if (seg) {
        let end = r;
        while (hidden.get(end + 1) === seg) end++;
        this.breakStrip(r * W, (end + 1) * W, seg);
        r = end + 1;
      } else {
        this.row(segs, onRow.get(r) ?? [], r * W, Math.min(size, (r + 1) * W), size);
        r++;
      }
    }
  }

  /** One drawn row; `indexes`: the segments (indexes into `segs`) that may overlap it. */
  private row(segs: readonly Segment[], indexes: readonly number[], start: number, end: number, recordSize: number): void {
    const x0 = MARGIN + GUTTER;
    const W = this.rowBytes;
    // Axis: a tick per byte, a number every 4 bytes (and at the record's end). The ticks are one
    // path (a move and a vertical line each): a <line> per tick was half of all SVG bytes.
    const axisY = this.y + AXIS_H;
    let ticks = "";
    let numbers = "";
    for (let b = start; b <= Math.min(start + W, recordSize); b++) {
      const x = x0 + (b - start) * BYTE_PX;
      const major = b % 4 === 0 || b === recordSize;
      ticks += `M${x} ${axisY - (major ? 6 : 3)}V${axisY}`;
      if (major && (b < start + W || b === recordSize)) {
        const anchor = b === start + W || b === recordSize ? ` text-anchor="end"` : "";
        const dx = anchor ? x - 2 : x + 2;
        numbers += textEl(dx, axisY - 7, 9, String(b), ` fill="#666666"${anchor}`);
      }
    }
    this.parts.push(`<g class="axis"><path d="${ticks}" fill="none" stroke="#999999"/>${numbers}</g>`);
    this.parts.push(textEl(MARGIN + GUTTER - 6, axisY + BOX_H / 2 + 4, 10, `+${start}`, ` fill="#444444" text-anchor="end"`));
    const y = axisY;
    for (const i of indexes) {
      const s = segs[i]!;
      const a = Math.max(s.offset, start);
      const b = Math.min(s.offset + s.size, end);
      if (a >= b) continue;
      this.kinds.add(s.kind);
      const x = x0 + (a - start) * BYTE_PX;
      const w = (b - a) * BYTE_PX;
      const st = STYLE[s.kind];
      const fill = s.kind === "data" ? PALETTE[i % PALETTE.length]! : st.fill;
      const dash = st.dash ? ` stroke-dasharray="${st.dash}"` : "";
      const first = a === s.offset;
      const title = `${s.label}${s.detail ? ` (${s.detail})` : ""}: offset ${s.offset}, ${s.size} byte${s.size === 1 ? "" : "s"}`;
      const out: string[] = [`<g class="seg"><title>${esc(title)}</title>`];
      out.push(
        `<rect class="${s.kind}" data-field="${esc(s.field)}" data-offset="${s.offset}" data-size="${s.size}" ` +
          `data-piece="${a}" x="${x}" y="${y}" width="${w}" height="${BOX_H}" fill="${fill}" stroke="${st.stroke}"${dash}/>`,
      );
      if (s.tick > 0 && s.tick < s.size) {
        for (let t = s.offset + s.tick; t < s.offset + s.size; t += s.tick) {
          if (t <= a || t >= b) continue;
          const tx = x0 + (t - start) * BYTE_PX;
          out.push(`<line x1="${tx}" y1="${y + BOX_H - 7}" x2="${tx}" y2="${y + BOX_H}" stroke="${st.stroke}"/>`);
        }
      }
      const name = fit(first ? s.label : `${s.label} (cont.)`, w - 6) ?? (first ? undefined : fit(s.label, w - 6));
      const cx = x + w / 2;
      if (name) out.push(textEl(cx, y + 17, name.size, name.text, ` text-anchor="middle"`));
      const detail = fit(s.detail, w - 6, [9]);
      if (detail && name) out.push(textEl(cx, y + 32, detail.size, detail.text, ` text-anchor="middle" fill="#333333"`));
      out.push("</g>");
      this.parts.push(out.join(""));
    }
    this.y = y + BOX_H + ROW_GAP;
  }

  private breakStrip(from: number, to: number, s: Segment): void {
    const x0 = MARGIN + GUTTER;
    const x1 = x0 + this.rowBytes * BYTE_PX;
    const y = this.y + 2;
    const mid = y + BREAK_H / 2;
    const label = `${s.label}: bytes ${from}..${to - 1} not drawn (${(to - from) / this.rowBytes} rows)`;
    // A zigzag across the strip: the universal "axis broken here".
    const zig: string[] = [];
    for (let x = x0, up = true; x <= x1; x += 8, up = !up) zig.push(`${x},${up ? mid - 4 : mid + 4}`);
    this.parts.push(
      `<g class="break" data-from="${from}" data-to="${to}">` +
        `<rect x="${x0}" y="${y}" width="${x1 - x0}" height="${BREAK_H - 4}" fill="#fafafa" stroke="#cccccc" stroke-dasharray="2 2"/>` +
        `<polyline points="${zig.join(" ")}" fill="none" stroke="#bbbbbb"/>` +
        `<rect x="${Math.round((x0 + x1) / 2 - (label.length * 10 * CHAR_EM) / 2) - 4}" y="${mid - 7}" width="${Math.round(label.length * 10 * CHAR_EM) + 8}" height="14" fill="#fafafa"/>` +
        textEl((x0 + x1) / 2, mid + 4, 10, label, ` text-anchor="middle" fill="#333333"`) +
        `</g>`,
    );
    this.y += BREAK_H + ROW_GAP;
  }

  /** A rule between two bands. */
  separator(): void {
    this.y += 4;
    this.parts.push(`<line x1="${MARGIN}" y1="${this.y}" x2="${this.width - MARGIN}" y2="${this.y}" stroke="#bbbbbb"/>`);
    this.y += 4;
  }

  legend(): void {
    const order: SegmentKind[] = ["data", "record", "union", "padding", "hole", "reserved", "repeat"];
    let x = MARGIN;
    let y = this.y + 4;
    const items: string[] = [];
    for (const k of order) {
      if (!this.kinds.has(k)) continue;
      const w = 18 + Math.ceil(LEGEND[k].length * 10 * CHAR_EM) + 16;
      // Wrap to a new line rather than run past the picture's edge.
      if (x > MARGIN && x + w - 16 > this.width - MARGIN) {
        x = MARGIN;
        y += 18;
      }
      const st = STYLE[k];
      const fill = k === "data" ? PALETTE[0]! : st.fill;
      const dash = st.dash ? ` stroke-dasharray="${st.dash}"` : "";
      items.push(`<rect x="${x}" y="${y}" width="14" height="12" fill="${fill}" stroke="${st.stroke}"${dash}/>`);
      items.push(textEl(x + 18, y + 10, 10, LEGEND[k]));
      x += w;
    }
    this.parts.push(`<g class="legend">${items.join("")}</g>`);
    this.y = y + 12 + MARGIN;
  }
}

export function recordSvg(rec: RecordModel, targets: readonly Target[]): string {
  const groups = layoutGroups(rec, targets);
  const maxSize = Math.max(...groups.map((g) => g.size));
  const rowBytes = maxSize >= ROW_BYTES ? ROW_BYTES : Math.max(4, Math.ceil(maxSize / 4) * 4);
  const canvas = new Canvas(rowBytes);
  const title = `${rec.record} ${rec.name}`;
  const sizes = [...new Set(groups.map((g) => g.size))].join(" or ");
  canvas.caption(`${title} — ${sizes} bytes${rec.packed ? ", packed" : ""}`, 14, true);
  groups.forEach((g, gi) => {
    if (gi > 0) canvas.separator();
    const all = g.targets.length === targets.length && targets.length > 1;
    const who = all ? `every target (${targetNames(g.targets)})` : targetNames(g.targets);
    canvas.caption(`${groups.length > 1 ? `Layout ${g.label}: ` : ""}${g.size} bytes on ${who}`, 11);
    const t = g.targets[0]!;
    if (rec.record === "union") {
      for (const lane of unionLanes(rec, t)) {
        canvas.caption(`arm ${lane.name}`, 10);
        canvas.lane(lane.segments, g.size);
      }
    } else {
      canvas.lane(segments(rec, t), g.size);
    }
  });
  canvas.legend();
  const w = canvas.width;
  const h = canvas.y;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" font-family="${FONT}">`,
    `<title>${esc(`${title}: byte layout`)}</title>`,
    `<defs>`,
    `<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e0e0e0"/><line x1="0" y1="0" x2="0" y2="6" stroke="#aaaaaa" stroke-width="2"/></pattern>`,
    `<pattern id="hole" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="#fde0e0"/><line x1="0" y1="0" x2="0" y2="6" stroke="#e06666" stroke-width="2"/></pattern>`,
    `</defs>`,
    `<rect width="${w}" height="${h}" fill="#ffffff"/>`,
    ...canvas.parts,
    `</svg>`,
    "",
  ].join("\n");
}
