/**
 * The docs' inline text: plain strings in which `backquoted` spans are code — the convention the
 * spec doc comments already use. The view model is written in it once; each output format turns
 * it into its own markup here (Markdown keeps the backquotes, reStructuredText doubles them) and
 * escapes everything else, so a `*` or `|` in a doc comment never becomes markup by accident.
 */

/** Split into alternating text and code parts (odd indexes are code). An unclosed ` is text. */
function parts(s: string): string[] {
  if (!s.includes("`")) return [s];
  const out: string[] = [];
  let rest = s;
  for (;;) {
    const open = rest.indexOf("`");
    const close = open < 0 ? -1 : rest.indexOf("`", open + 1);
    if (close < 0) {
      out.push(rest);
      return out;
    }
    out.push(rest.slice(0, open), rest.slice(open + 1, close));
    rest = rest.slice(close + 1);
  }
}

const ALNUM = /[A-Za-z0-9]/;

// Most text needs no escaping: these say when a character-by-character pass can be skipped.
const MD_SPECIAL = /[_\\*[\]|#<]/;
const RST_SPECIAL = /[_\\*|`]/;

function mdText(s: string): string {
  if (!MD_SPECIAL.test(s)) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "_") {
      // Intraword underscores never start emphasis in CommonMark; escaping them would only
      // make the source harder to read (UV\_DEV\_CREATE).
      const inWord = ALNUM.test(s[i - 1] ?? " ") && ALNUM.test(s[i + 1] ?? " ");
      out += inWord ? "_" : "\\_";
    } else if ("\\*[]|#".includes(c)) out += "\\" + c;
    else if (c === "<") out += "&lt;";
    else out += c;
  }
  return out;
}

function mdCode(s: string, inTable: boolean): string {
  const body = inTable ? s.replace(/\|/g, "\\|") : s;
  return s.includes("`") ? "`` " + body + " ``" : "`" + body + "`";
}

/**
 * A cross-reference inside inline text: to a section (`anchor`) of a family's doc. Built with
 * `link`, rendered by each format (a Markdown link, an rST :ref:).
 */
const LINK = /\u0001([^|]*)\|([01])\|([^\u0002]*)\u0002([^\u0003]*)\u0003/g;

export function link(family: string, sameFile: boolean, anchor: string, text: string): string {
  return `\u0001${family}|${sameFile ? 1 : 0}|${anchor}\u0002${text}\u0003`;
}

/** Apply `plain` to the text between links and `ref` to each link. */
function withLinks(s: string, plain: (t: string) => string, ref: (family: string, same: boolean, anchor: string, text: string) => string): string {
  if (!s.includes("\u0001")) return plain(s);
  let out = "";
  let last = 0;
  for (const m of s.matchAll(LINK)) {
    out += plain(s.slice(last, m.index)) + ref(m[1]!, m[2] === "1", m[3]!, m[4]!);
    last = m.index + m[0].length;
  }
  return out + plain(s.slice(last));
}

function mdPlain(s: string, inTable: boolean): string {
  return parts(s).map((p, i) => (i % 2 === 1 ? mdCode(p, inTable) : mdText(p))).join("");
}

// Text with none of these (no code span, no link, nothing to escape) is its own markup in
// either format: most table cells (offsets, sizes, plain words) return at once.
const MD_ANY = /[`\u0001_\\*[\]|#<]/;
const RST_ANY = /[`\u0001\u0004\u0005_\\*|]/;

/** Markdown for one line of inline text (`inTable`: inside a GFM table cell). */
export function mdInline(s: string, inTable = false): string {
  if (!MD_ANY.test(s)) return s;
  return withLinks(
    s,
    (t) => mdPlain(t, inTable),
    (family, same, anchor, text) => `[${mdPlain(text, inTable)}](${same ? "" : `${family}.md`}#${anchor})`,
  );
}

function rstText(s: string): string {
  if (!RST_SPECIAL.test(s)) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "_") {
      // `word_` followed by a non-word character is a hyperlink reference in rST.
      const refEnd = ALNUM.test(s[i - 1] ?? " ") && !ALNUM.test(s[i + 1] ?? " ") && s[i + 1] !== "_";
      out += refEnd ? "\\_" : "_";
    } else if ("\\*|`".includes(c)) out += "\\" + c;
    else out += c;
  }
  return out;
}

function rstPlain(s: string): string {
  return parts(s)
    .map((p, i) => (i % 2 === 1 ? (p.trim() === "" ? rstText(p) : "``" + p + "``") : rstText(p)))
    .join("");
}

/** The rST label of a section: labels are global in a Sphinx tree, so the family prefixes it. */
export function rstLabel(family: string, anchor: string): string {
  return `${family}-${anchor}`.toLowerCase();
}

/** reStructuredText for one line of inline text. */
export function rstInline(s: string): string {
  if (!RST_ANY.test(s)) return s;
  const out = withLinks(s, rstPlain, (family, _same, anchor, text) => {
    const shown = text.replace(/`/g, "").replace(/[<>]/g, "");
    return `\u0004:ref:\`${shown} <${rstLabel(family, anchor)}>\`\u0005`;
  });
  // Inline markup must be delimited by whitespace or punctuation; `\ ` is rST's empty separator.
  // Without link marks the three replacements change nothing.
  if (!out.includes("\u0004") && !out.includes("\u0005")) return out;
  return out
    .replace(/([^\s\-:/'"<(\[{])\u0004/g, "$1\\ ")
    .replace(/\u0005(?=[^\s\-.,:;!?\\/'")\]}>])/g, "\\ ")
    .replace(/[\u0004\u0005]/g, "");
}

/** A doc comment's paragraphs: blank lines separate them; lines inside one are joined. */
export function paragraphs(doc: string): string[] {
  return doc
    .split(/\n\s*\n/)
    .map((p) => p.split("\n").map((l) => l.trim()).join(" ").trim())
    .filter((p) => p !== "");
}

/** Code-span a name: `name`. */
export function code(s: string): string {
  return "`" + s + "`";
}
