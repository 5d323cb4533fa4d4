// Drawing the room's messages: text only through textContent (never HTML
// from a message), corrections as the API's word-level diff runs.

import { format } from "./api.js";

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

// ``diff`` runs: equal + delete spell the original, equal + insert the
// correction. Screen readers get "removed:"/"added:" before each change.
export function diffNode(runs, texts) {
  const line = el("p", { class: "diff" });
  for (const run of runs) {
    if (run.op === "equal") {
      line.append(run.text);
    } else {
      const tag = run.op === "delete" ? "del" : "ins";
      const label = run.op === "delete" ? texts.removed : texts.added;
      line.append(
        el(tag, {}, el("span", { class: "visually-hidden", text: `${label} ` }), run.text),
      );
    }
  }
  return line;
}

export function correctionNode(correction, texts) {
  return el(
    "div",
    { class: "correction", "data-correction": correction.id },
    el("p", { class: "correction-by", text: format(texts.correctionBy, correction.author_name) }),
    diffNode(correction.diff, texts),
  );
}

export function timeText(iso, timeZone) {
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  try {
    return new Intl.DateTimeFormat(document.documentElement.lang, { ...options, timeZone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(new Date(iso));
  }
}

export function excerpt(text, length = 60) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
