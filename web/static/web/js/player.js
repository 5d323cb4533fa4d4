// The player: renders one exercise of any kind, collects the answer and shows
// the API's feedback. Texts come from the page (translated by Django); the
// feedback comes from the API's codes and messages, never re-derived here.

import { format } from "./api.js";

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "on") {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (name === "class") {
      node.className = value;
    } else {
      node.setAttribute(name, value === true ? "" : value);
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// --- Answer widgets: each returns {node, answer() -> value | null, focus()} ---

function letterRow(letters, texts, target) {
  if (!letters) return null;
  const row = h("div", { class: "letters", role: "group", "aria-label": texts.letters });
  for (const letter of letters) {
    row.append(
      h(
        "button",
        {
          type: "button",
          "aria-label": format(texts.insertLetter, letter),
          on: {
            // Keep the caret in the text field when tapped with a finger or mouse.
            mousedown: (event) => event.preventDefault(),
            click: () => insertLetter(target(), letter),
          },
        },
        letter,
      ),
    );
  }
  return row;
}

function insertLetter(input, letter) {
  if (!input) return;
  const start = input.selectionStart ?? input.value.length;
  const end = input.selectionEnd ?? input.value.length;
  input.value = input.value.slice(0, start) + letter + input.value.slice(end);
  input.focus();
  input.setSelectionRange(start + letter.length, start + letter.length);
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

function choiceWidget(task, texts) {
  let chosen = null;
  const buttons = task.options.map((option) =>
    h(
      "button",
      {
        type: "button",
        class: "option",
        "aria-pressed": "false",
        "data-id": option.id,
        on: {
          click: (event) => {
            chosen = option.id;
            for (const b of buttons) b.setAttribute("aria-pressed", String(b === event.currentTarget));
          },
        },
      },
      option.text,
    ),
  );
  const node = h("div", { class: "options", role: "group", "aria-label": texts.yourAnswer }, buttons);
  return { node, answer: () => chosen, focus: () => buttons[0]?.focus() };
}

function clozeWidget(task, texts, letters, submit) {
  const parts = task.text.split("___");
  const inputs = [];
  let last = null;
  const sentence = h("p", { class: "cloze" });
  parts.forEach((part, index) => {
    sentence.append(part);
    if (index < parts.length - 1) {
      const input = h("input", {
        type: "text",
        autocomplete: "off",
        autocapitalize: "off",
        spellcheck: "false",
        "aria-label": format(texts.blankLabel, index + 1),
        on: {
          focus: (event) => (last = event.target),
          keydown: (event) => event.key === "Enter" && submit(),
        },
      });
      inputs.push(input);
      sentence.append(input);
    }
  });
  const row = letterRow(letters, texts, () => last || inputs[0]);
  return {
    node: h("div", {}, sentence, row),
    answer: () => (inputs.some((i) => i.value.trim()) ? inputs.map((i) => i.value) : null),
    focus: () => inputs[0]?.focus(),
  };
}

function translateWidget(task, texts, letters, submit) {
  const input = h("input", {
    type: "text",
    id: "translate-answer",
    autocomplete: "off",
    autocapitalize: "off",
    spellcheck: "false",
    on: { keydown: (event) => event.key === "Enter" && submit() },
  });
  return {
    node: h(
      "div",
      {},
      h("p", { class: "prompt", lang: document.documentElement.lang }, task.source),
      h("label", { for: "translate-answer" }, texts.answerLabel),
      input,
      letterRow(letters, texts, () => input),
    ),
    answer: () => (input.value.trim() ? input.value : null),
    focus: () => input.focus(),
  };
}

function orderWidget(task, texts) {
  const line = h("div", { class: "line", role: "group", "aria-label": texts.orderLine });
  const bank = h("div", { class: "words", role: "group", "aria-label": texts.orderBank });
  const move = (button) => {
    const target = button.parentNode === bank ? line : bank;
    target.append(button);
    button.focus();
  };
  task.words.forEach((word) =>
    bank.append(h("button", { type: "button", class: "word", on: { click: (e) => move(e.currentTarget) } }, word)),
  );
  return {
    node: h("div", {}, line, bank),
    answer: () => {
      const words = [...line.children].map((b) => b.textContent);
      return words.length ? words : null;
    },
    focus: () => bank.firstElementChild?.focus(),
  };
}

function matchWidget(task, texts) {
  const pairs = new Map(); // left id -> right id
  let picked = null; // {side, id}
  const items = { left: new Map(), right: new Map() };
  const redraw = () => {
    const numbers = new Map();
    [...pairs.keys()].forEach((left, index) => numbers.set(left, index + 1));
    for (const [side, map] of Object.entries(items)) {
      for (const [id, button] of map) {
        const left = side === "left" ? (pairs.has(id) ? id : null) : [...pairs].find(([, r]) => r === id)?.[0];
        const no = left ? numbers.get(left) : null;
        button.querySelector(".pair-no").textContent = no ? `${no}` : "";
        if (no) button.setAttribute("data-pair", no);
        else button.removeAttribute("data-pair");
        button.setAttribute("aria-pressed", String(picked?.side === side && picked?.id === id));
      }
    }
  };
  const tap = (side, id) => {
    const other = side === "left" ? "right" : "left";
    const unpair = () => {
      if (side === "left") pairs.delete(id);
      else for (const [l, r] of pairs) if (r === id) pairs.delete(l);
    };
    const isPaired = side === "left" ? pairs.has(id) : [...pairs.values()].includes(id);
    if (isPaired) {
      unpair();
      picked = null;
    } else if (picked && picked.side === other) {
      const [left, right] = side === "left" ? [id, picked.id] : [picked.id, id];
      pairs.set(left, right);
      picked = null;
    } else {
      picked = picked && picked.side === side && picked.id === id ? null : { side, id };
    }
    redraw();
  };
  const column = (side, list) =>
    h(
      "div",
      { class: "col" },
      list.map((item) => {
        const button = h(
          "button",
          { type: "button", class: "pair-item", "aria-pressed": "false", on: { click: () => tap(side, item.id) } },
          h("span", { class: "pair-no", "aria-hidden": "true" }),
          item.text,
        );
        items[side].set(item.id, button);
        return button;
      }),
    );
  return {
    node: h("div", {}, h("p", { class: "hint" }, texts.matchHelp), h("div", { class: "match" }, column("left", task.left), column("right", task.right))),
    answer: () => (pairs.size === task.left.length ? [...pairs].map(([l, r]) => [l, r]) : null),
    focus: () => items.left.values().next().value?.focus(),
    pairs,
    texts: Object.fromEntries([...task.left, ...task.right].map((i) => [i.id, i.text])),
  };
}

function readingWidget(task, texts, letters, submit, language) {
  const fields = []; // per question: {type, value(), node}
  let last = null;
  const questions = task.questions.map((question, index) => {
    const number = index + 1;
    const prompt = `${number}. ${question.prompt}`;
    let node;
    if (question.type === "choice") {
      const name = `reading-q${index}`;
      const radios = question.options.map((option) =>
        h("input", { type: "radio", name, id: `${name}-${option.id}`, value: option.id }),
      );
      node = h(
        "fieldset",
        { class: "question", "data-question": index },
        h("legend", { lang: language }, prompt),
        question.options.map((option, i) =>
          h("p", { class: "radio" }, radios[i], " ", h("label", { for: radios[i].id, lang: language }, option.text)),
        ),
      );
      fields.push({ value: () => radios.find((r) => r.checked)?.value ?? null, first: radios[0] });
    } else {
      const id = `reading-q${index}`;
      const input = h("input", {
        type: "text",
        id,
        autocomplete: "off",
        autocapitalize: "off",
        spellcheck: "false",
        lang: language,
        on: {
          focus: (event) => (last = event.target),
          keydown: (event) => event.key === "Enter" && submit(),
        },
      });
      node = h(
        "div",
        { class: "question", "data-question": index },
        h("label", { for: id, lang: language }, prompt),
        input,
      );
      fields.push({ value: () => (input.value.trim() ? input.value : null), first: input });
    }
    return node;
  });
  // One letter row, under the first typed question; it types into the last focused field.
  const firstTyped = task.questions.findIndex((q) => q.type !== "choice");
  if (firstTyped >= 0) {
    const row = letterRow(letters, texts, () => last || fields[firstTyped].first);
    if (row) questions[firstTyped].append(row);
  }
  const node = h(
    "div",
    { class: "reading" },
    h("h3", { class: "reading-title", lang: language }, task.title),
    h("div", { class: "reading-text", tabindex: "0", role: "region", "aria-label": task.title, lang: language }, task.text),
    questions,
  );
  return {
    node,
    answer: () => {
      const values = fields.map((f) => f.value());
      return values.some((v) => v === null) ? null : values;
    },
    focus: () => fields[0]?.first.focus(),
    questions: questions,
    prompts: task.questions.map((q) => q.prompt),
  };
}

export function renderExercise(root, exercise, { texts, letters, onAnswer, heading }) {
  root.replaceChildren();
  root.dataset.kind = exercise.kind;
  let widget;
  const submit = () => {
    const value = widget.answer();
    if (value === null) return;
    check.disabled = true;
    onAnswer(value, widget);
  };
  const task = exercise.task;
  switch (exercise.kind) {
    case "choice":
      widget = choiceWidget(task, texts);
      break;
    case "cloze":
      widget = clozeWidget(task, texts, letters, submit);
      break;
    case "translate":
      widget = translateWidget(task, texts, letters, submit);
      break;
    case "order":
      widget = orderWidget(task, texts);
      break;
    case "match":
      widget = matchWidget(task, texts);
      break;
    case "reading":
      widget = readingWidget(task, texts, letters, submit, exercise.language);
      break;
    default:
      widget = { node: h("p", {}, texts.error), answer: () => null, focus() {} };
  }
  const check = h("button", { type: "button", class: "button primary", on: { click: submit } }, texts.check);
  const parts = [
    h("h2", { tabindex: "-1", class: "item-heading" }, heading || exercise.instructions),
    heading && exercise.instructions ? h("p", { class: "instructions" }, exercise.instructions) : null,
    exercise.prompt ? h("p", { class: "prompt", lang: exercise.language }, exercise.prompt) : null,
    exercise.audio
      ? h("audio", { controls: true, preload: "none", src: exercise.audio, class: "recording", "aria-label": texts.recording })
      : null,
    exercise.hint ? h("details", {}, h("summary", {}, texts.hint), h("p", {}, exercise.hint)) : null,
    widget.node,
    h("div", { class: "actions" }, check),
  ];
  root.append(...parts.filter(Boolean));
  widget.check = check;
  widget.language = exercise.language;
  return widget;
}

// --- Feedback -------------------------------------------------------------------

// `text` with each character for which `pick(char, index)` is true in <mark>.
function marked(text, pick, className) {
  const node = h("span", { class: "expected" });
  [...text].forEach((char, index) => {
    node.append(pick(char, index) ? h("mark", { class: className || null }, char) : char);
  });
  return node;
}

// `text` with the whole words in `words` marked.
function markWords(text, words, className) {
  const wanted = new Set(words.map((w) => w.toLocaleLowerCase()));
  const node = h("span", { class: "expected" });
  for (const part of text.split(/(\s+)/)) {
    const bare = part.replace(/[.,!?;:«»“”"()]/g, "").toLocaleLowerCase();
    node.append(bare && wanted.has(bare) ? h("mark", { class: className || null }, part) : part);
  }
  return node;
}

function answerText(answer, item) {
  if (!Array.isArray(answer)) return String(answer);
  return item.blank !== undefined ? String(answer[item.blank] ?? "") : answer.join(" ");
}

function detail(item, texts, attempt, widget) {
  switch (item.code) {
    case "diacritics": {
      const targets = new Set(item.letters.map((l) => l.to));
      const given = [...(item.given || "")];
      const expected = [...item.expected];
      const sameLength = given.length === expected.length;
      return h(
        "p",
        { class: "diacritics" },
        `${texts.expected}: `,
        marked(item.expected, (char, i) => targets.has(char) && (!sameLength || given[i] !== char)),
      );
    }
    case "typo":
      return h(
        "p",
        { class: "typo" },
        `${texts.yourAnswer}: `,
        markWords(answerText(attempt.answer, item), [item.given], "typo"),
        h("br"),
        `${texts.expected}: `,
        markWords(item.answer || item.expected, [item.expected]),
      );
    case "meaning_changed":
      return h("p", {}, `${texts.expected}: `, markWords(item.expected, item.words.map((w) => w.expected)));
    case "word_order":
      return h("p", { class: "order" }, `${texts.expectedOrder}: `, h("span", { class: "expected" }, item.expected));
    case "wrong_pairs": {
      const names = widget?.texts || {};
      return h(
        "ul",
        { class: "pairs" },
        item.pairs.map((pair) => h("li", {}, `${names[pair.left] || pair.left} – `, h("mark", {}, names[pair.expected] || pair.expected))),
      );
    }
    default:
      return null;
  }
}

// A reading exercise: one line per question. A question is right when no
// feedback item carries its index; its messages and answer come from the API.
function readingResults(attempt, texts, widget) {
  const list = h("ol", { class: "reading-results" });
  widget.prompts.forEach((prompt, index) => {
    const items = attempt.feedback.filter((item) => item.question === index);
    const right = items.length === 0;
    const expected = Array.isArray(attempt.correct_answer) ? attempt.correct_answer[index] : null;
    const expectedText = expected && typeof expected === "object" ? expected.text : expected;
    const li = h(
      "li",
      { "data-question": index, "data-result": right ? "right" : "wrong" },
      h("strong", {}, `${format(texts.question, index + 1)}: ${right ? texts.correct : texts.incorrect}`),
      items.map((item) => h("p", { class: "fb-message", "data-code": item.code }, item.message)),
      items.map((item) => detail({ ...item, blank: undefined }, texts, { answer: attempt.answer[index] ?? "" }, widget)),
      !right && expectedText
        ? h("p", { class: "reading-expected" }, `${texts.expected}: `, h("span", { class: "expected", lang: widget.language }, expectedText))
        : null,
    );
    list.append(li);
    widget.questions[index]?.setAttribute("data-result", right ? "right" : "wrong");
  });
  return list;
}

export function renderFeedback(root, attempt, { texts, widget, onNext, onDispute }) {
  const verdict = attempt.verdict;
  const box = h(
    "section",
    { class: `feedback ${verdict}`, tabindex: "-1", "aria-live": "polite", "data-verdict": verdict },
    h("h3", {}, texts[verdict] || verdict),
  );
  if (widget?.questions) {
    box.append(readingResults(attempt, texts, widget));
  } else {
    for (const item of attempt.feedback) {
      box.append(h("p", { class: "fb-message", "data-code": item.code }, item.message));
      const extra = detail(item, texts, attempt, widget);
      if (extra) box.append(extra);
    }
  }
  if (attempt.transcript) {
    box.append(
      h(
        "p",
        { class: "transcript" },
        h("strong", {}, `${texts.transcript}: `),
        h("span", { lang: widget?.language || null }, attempt.transcript),
      ),
    );
  }
  if (attempt.explanation) {
    box.append(h("p", { class: "explanation" }, h("strong", {}, `${texts.explanation}: `), attempt.explanation));
  }
  const actions = h("div", { class: "actions" });
  const next = h("button", { type: "button", class: "button primary", on: { click: onNext } }, texts.next);
  actions.append(next);
  if (verdict !== "correct" && onDispute && !attempt.dispute) {
    const open = h("button", { type: "button", class: "button", "aria-expanded": "false" }, texts.dispute);
    open.addEventListener("click", () => {
      open.setAttribute("aria-expanded", "true");
      open.hidden = true;
      const comment = h("textarea", { id: `dispute-${attempt.id}`, maxlength: "1000" });
      const status = h("p", { role: "status" });
      const send = h("button", { type: "button", class: "button" }, texts.disputeSend);
      const form = h(
        "div",
        { class: "dispute" },
        h("label", { for: comment.id }, texts.disputeComment),
        comment,
        h("div", { class: "actions" }, send),
        status,
      );
      send.addEventListener("click", async () => {
        send.disabled = true;
        const message = await onDispute(attempt, comment.value);
        status.textContent = message.text;
        if (message.ok) comment.disabled = true;
        else send.disabled = false;
      });
      box.append(form);
      comment.focus();
    });
    actions.append(open);
  }
  box.append(actions);
  root.append(box);
  box.focus();
  return { next };
}
