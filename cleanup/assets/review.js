(() => {
  "use strict";
  // Everything shown is set as text (textContent, createTextNode), never as HTML, so no
  // text of a document can become markup or script.
  const $ = (id) => document.getElementById(id);
  const ANSWERS = {
    y: "Accept", n: "Reject", e: "Edit", a: "Accept rule", r: "Reject rule",
    N: "Never here", E: "Edit always",
  };
  const TITLES = {
    y: "accept this edit", n: "reject it", e: "edit the replacement, then accept",
    a: "accept every edit of this rule", r: "reject every edit of this rule",
    N: "reject, and never again here: an exception in --rules-file",
    E: "edit, and make the fix a rule in --rules-file",
  };
  let proposals = [];
  let cards = [];
  let status = null;
  let current = 0;
  let busy = false;
  const drawn = [];  // what each card shows now, so an answer redraws only what changed

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Text with its line breaks kept and marked (the break itself stays in the text).
  function withBreaks(parent, text) {
    const lines = text.split("\n");
    lines.forEach((line, i) => {
      if (i > 0) {
        parent.appendChild(el("span", "nl"));
        parent.appendChild(document.createTextNode("\n"));
      }
      if (line) parent.appendChild(document.createTextNode(line));
    });
    return parent;
  }

  function say(text, done) {
    const box = $("message");
    box.hidden = !text;
    box.textContent = text || "";
    box.classList.toggle("done", !!done);
  }

  async function call(path, body) {
    const options = body === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    };
    let reply;
    try {
      reply = await fetch(path, options);
    } catch (e) {
      say("The review has ended: this page is no longer connected to cleanup.");
      throw e;
    }
    if (!reply.ok) {
      const why = (await reply.text()).trim();
      say(`cleanup refused: ${why || reply.status}`);
      throw new Error(why);
    }
    return reply.json();
  }

  function build() {
    const main = $("files");
    main.textContent = "";
    let section = null, list = null, file = null;
    for (const p of proposals) {
      if (p.file !== file) {
        file = p.file;
        section = el("section", "doc");
        const title = el("h2", "", p.file);
        const count = proposals.filter((q) => q.file === p.file).length;
        title.appendChild(el("small", "", `${count} edit${count === 1 ? "" : "s"}`));
        section.appendChild(title);
        list = el("ol", "props");
        section.appendChild(list);
        main.appendChild(section);
      }
      list.appendChild(card(p));
    }
    if (!proposals.length) main.appendChild(el("p", "", "No edits to review."));
    cards = Array.from(main.querySelectorAll("li.prop"));
    main.addEventListener("click", (ev) => {
      const li = ev.target.closest("li.prop");
      if (li && !ev.target.closest("button, input")) focus(Number(li.dataset.index), false);
    });
  }

  function card(p) {
    const li = el("li", "prop undecided");
    li.id = "p" + p.index;
    li.dataset.index = p.index;
    li.dataset.rule = p.rule;
    li.dataset.state = "undecided";
    li.tabIndex = -1;
    const head = el("div", "head");
    head.appendChild(el("span", "where", `${p.file}:${p.line}:${p.column}`));
    head.appendChild(el("span", "badge", "undecided"));
    head.appendChild(el("code", "rule", p.rule));
    const score = p.confidence < 1 ? `, score ${p.confidence.toFixed(2)}` : "";
    head.appendChild(el("span", "safety", `${p.safety}${score}`));
    head.appendChild(el("span", "src", p.source));
    li.appendChild(head);
    if (p.safety === "suggest") {
      li.appendChild(el("p", "msg", "a suggestion: never applied unless you accept it here"));
    }
    if (p.message) li.appendChild(el("p", "msg", p.message));
    const ctx = el("div", "ctx");
    withBreaks(ctx, p.before);
    if (p.original) ctx.appendChild(withBreaks(el("del", "o"), p.original));
    const ins = withBreaks(el("ins", "r"), p.replacement);
    ctx.appendChild(ins);
    withBreaks(ctx, p.after);
    li.appendChild(ctx);
    drawn[p.index] = { badge: "undecided", shown: p.replacement };
    return li;
  }

  // One row of answer buttons, moved into the current proposal (thousands of proposals
  // would otherwise carry thousands of buttons).
  const toolbar = el("div", "buttons");
  for (const [key, label] of Object.entries(ANSWERS)) {
    const b = el("button", "", label + " ");
    b.type = "button";
    b.dataset.key = key;
    b.title = TITLES[key];
    b.appendChild(el("kbd", "", key));
    b.addEventListener("click", () => choose(key));
    toolbar.appendChild(b);
  }


  function show(next) {
    status = next;
    $("done").textContent = status.decided;
    $("total").textContent = status.total;
    let accepted = 0, rejected = 0;
    status.decisions.forEach((d, i) => {
      const li = cards[i], p = proposals[i];
      const state = d === null ? "undecided" : d.accept ? "accepted" : "rejected";
      if (d !== null) (d.accept ? accepted++ : rejected++);
      const edited = d !== null && d.accept && d.replacement !== null &&
        d.replacement !== p.replacement;
      let badge = state + (edited ? " (edited)" : "");
      if (d !== null && d.by === "rule") badge += " (every edit of the rule)";
      const shown = edited ? d.replacement : p.replacement;
      const was = drawn[i];
      if (was && was.badge === badge && was.shown === shown) return;
      drawn[i] = { badge, shown };
      li.classList.remove("undecided", "accepted", "rejected");
      li.classList.add(state);
      li.dataset.state = state;
      li.querySelector(".badge").textContent = badge;
      if (!was || was.shown !== shown) {
        const ins = li.querySelector("ins.r");
        ins.textContent = "";
        withBreaks(ins, shown);
      }
    });
    $("tally").textContent = `${accepted} accepted · ${rejected} rejected · ` +
      `${status.total - status.decided} undecided`;
    $("undo").disabled = !status.can_undo;
    const notes = $("notes");
    notes.textContent = "";
    for (const note of status.notes) notes.appendChild(el("li", "", note));
    if (status.finished) {
      document.body.classList.add("finished");
      say("This review is finished: cleanup writes the result (see its terminal). " +
        "You can close this page.", true);
    }
  }

  function focus(index, scroll = true) {
    if (!cards.length) return;
    current = Math.max(0, Math.min(cards.length - 1, index));
    const before = document.querySelector("li.prop.current");
    if (before) before.classList.remove("current");
    cards[current].classList.add("current");
    const open = document.querySelector(".editor");
    if (open && !cards[current].contains(open)) open.remove();
    cards[current].appendChild(toolbar);
    document.body.dataset.current = current;
    // The address keeps the place, so a reload comes back to it.
    try { history.replaceState(null, "", "#" + cards[current].id); } catch (e) { /* kept */ }
    if (scroll) cards[current].scrollIntoView({ block: "nearest" });
  }

  async function send(path, body) {
    if (busy || (status && status.finished)) return null;
    busy = true;
    try {
      const next = await call(path, body);
      show(next);
      return next;
    } finally {
      busy = false;
    }
  }

  async function choose(key) {
    if (!cards.length) return;
    const p = proposals[current];
    if (key === "e" || key === "E") {
      edit(p, key);
      return;
    }
    if (key === "N" && !status.rules_file) warnNoFile("an exception");
    const next = await send("api/answer", { index: p.index, choice: key });
    if (next) focus(next.cursor);
  }

  function warnNoFile(what) {
    say(`No --rules-file: ${what} cannot be written, so this answer holds for this run ` +
      "only (run with --rules-file FILE to keep it).");
  }

  function edit(p, key) {
    const li = cards[p.index];
    if (li.querySelector(".editor")) return;
    const box = el("div", "editor");
    const input = el("input");
    input.type = "text";
    input.setAttribute("aria-label", "replacement");
    const d = status.decisions[p.index];
    input.value = d && d.replacement !== null ? d.replacement : p.replacement;
    const ok = el("button", "", key === "E" ? "Save as a rule" : "Accept edited");
    ok.type = "button";
    const cancel = el("button", "", "Cancel");
    cancel.type = "button";
    box.append(input, ok, cancel);
    toolbar.before(box);
    input.focus();
    input.select();
    const close = () => { box.remove(); li.focus(); };
    const submit = async () => {
      if (key === "E" && !status.rules_file) warnNoFile("a rule");
      const next = await send("api/answer", { index: p.index, choice: key, text: input.value });
      box.remove();
      if (next) focus(next.cursor);
    };
    ok.addEventListener("click", submit);
    cancel.addEventListener("click", close);
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") { ev.preventDefault(); submit(); }
      if (ev.key === "Escape") { ev.preventDefault(); close(); }
      ev.stopPropagation();
    });
  }

  async function undo() {
    const next = await send("api/undo", {});
    if (next) focus(next.cursor);
  }

  function nextUndecided() {
    if (!status) return;
    for (let step = 1; step <= cards.length; step++) {
      const i = (current + step) % cards.length;
      if (status.decisions[i] === null) { focus(i); return; }
    }
  }

  async function finish(quit) {
    const undecided = status ? status.total - status.decided : 0;
    if (!quit && undecided) {
      say(`Finishing: ${undecided} undecided edit${undecided === 1 ? " is" : "s are"} left ` +
        "out of the result and will be asked about on the next review.");
    }
    await send("api/finish", { quit });
    if (quit) say("Quit: nothing is written; the decisions are kept (run again to resume).", true);
  }

  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.target.closest && ev.target.closest("input, textarea")) return;
    const key = ev.key;
    if (key === "j" || key === "ArrowDown") { focus(current + 1); }
    else if (key === "k" || key === "ArrowUp") { focus(current - 1); }
    else if (key === "J") { nextUndecided(); }
    else if (key === "u") { undo(); }
    else if (Object.hasOwn(ANSWERS, key)) { choose(key); }
    else return;
    ev.preventDefault();
  });
  $("undo").addEventListener("click", undo);
  $("next").addEventListener("click", nextUndecided);
  $("finish").addEventListener("click", () => finish(false));
  $("quit").addEventListener("click", () => finish(true));

  (async () => {
    proposals = (await call("api/proposals")).proposals;
    build();
    show(await call("api/status"));
    const kept = /^#p(\d+)$/.exec(location.hash);
    focus(kept && Number(kept[1]) < cards.length ? Number(kept[1]) : status.cursor);
    document.body.dataset.ready = "1";
  })();
})();
