(() => {
  const form = document.getElementById("filters");
  const all = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const spans = all("span.e[data-rule]");
  const items = all("li.item");
  const docs = all("section.doc");
  const ruleBoxes = all("input[name=rule]", form);
  const packBoxes = all("input[data-pack]", form);
  const matches = (id, sel) => id === sel || id.startsWith(sel.replace(/\.$/, "") + ".");
  const checked = (name) => new Set(all(`input[name=${name}]:checked`, form).map((b) => b.value));

  function tests() {
    const rules = checked("rule"), cats = checked("cat"), safeties = checked("safety");
    const kind = (el) => cats.has(el.dataset.cat) && safeties.has(el.dataset.safety);
    return [kind, (el) => kind(el) && rules.has(el.dataset.rule)];
  }

  function apply() {
    const [kind, shows] = tests();
    const counts = new Map();
    const bump = (key) => counts.set(key, (counts.get(key) || 0) + 1);
    for (const el of spans) el.classList.toggle("off", !shows(el));
    for (const el of items) {
      const on = shows(el);
      el.hidden = !on;
      if (kind(el)) bump("rule:" + el.dataset.rule + " any");
      if (!on) continue;
      const doc = el.closest("section.doc").dataset.doc;
      bump("all " + el.dataset.cat); bump("d" + doc + " " + el.dataset.cat);
      bump("d" + doc + " any");
    }
    for (const el of all("[data-count]")) {
      const scope = el.closest("[data-scope]").dataset.scope;
      const n = counts.get(scope + " " + el.dataset.count) || 0;
      const target = el.querySelector("b") || el;
      target.textContent = n;
      const holder = el.closest(".card, .rule, .chip") || el;
      holder.classList.toggle("filtered", String(n) !== el.dataset.total);
      holder.classList.toggle("zero", n === 0);
    }
    const hideQuiet = form.elements.quiet.checked;
    for (const sec of docs) {
      if (!sec.querySelector("li.item")) continue;
      const quiet = !counts.get("d" + sec.dataset.doc + " any");
      sec.classList.toggle("hide", hideQuiet && quiet);
      const row = document.querySelector(`tr[data-doc="${sec.dataset.doc}"]`);
      if (row) row.classList.toggle("quiet", quiet);
    }
    for (const box of packBoxes) {
      const mine = ruleBoxes.filter((b) => b.closest(".pack") === box.closest(".pack"));
      const on = mine.filter((b) => b.checked).length;
      box.checked = on === mine.length;
      box.indeterminate = on > 0 && on < mine.length;
    }
  }

  function toHash() {
    const parts = [];
    const rules = ruleBoxes.filter((b) => b.checked).map((b) => b.value);
    if (rules.length < ruleBoxes.length) parts.push("rule=" + (rules.join(",") || "none"));
    for (const name of ["cat", "safety"]) {
      const boxes = all(`input[name=${name}]`, form);
      const on = boxes.filter((b) => b.checked).map((b) => b.value);
      const key = name === "cat" ? "show" : name;
      if (on.length < boxes.length) parts.push(key + "=" + (on.join(",") || "none"));
    }
    if (!form.elements.quiet.checked) parts.push("files=all");
    const url = location.pathname + location.search + (parts.length ? "#" + parts.join("&") : "");
    try { history.replaceState(null, "", url); } catch (e) { /* file: URLs in some browsers */ }
  }

  function fromHash() {
    let raw = location.hash.slice(1);
    try { raw = decodeURIComponent(raw); } catch (e) { return false; }  // a malformed address
    if (!raw.includes("=")) return false;
    const params = new URLSearchParams(raw);
    const list = (key) => params.getAll(key).flatMap((v) => v.split(",")).filter(Boolean);
    const pick = (boxes, wanted, test) => {
      for (const b of boxes) b.checked = wanted.some((w) => test(b.value, w));
    };
    if (params.has("rule")) pick(ruleBoxes, list("rule"), matches);
    const same = (a, b) => a === b;
    if (params.has("show")) pick(all("input[name=cat]", form), list("show"), same);
    if (params.has("safety")) pick(all("input[name=safety]", form), list("safety"), same);
    form.elements.quiet.checked = params.get("files") !== "all";
    return true;
  }

  form.addEventListener("change", (ev) => {
    const pack = ev.target.dataset && ev.target.dataset.pack;
    if (pack) {
      const group = ev.target.closest(".pack");
      for (const b of ruleBoxes) if (b.closest(".pack") === group) b.checked = ev.target.checked;
    }
    apply(); toHash();
  });
  form.addEventListener("click", (ev) => {
    const which = ev.target.dataset && ev.target.dataset.all;
    if (which === undefined) return;
    for (const b of ruleBoxes) b.checked = which === "1";
    apply(); toHash();
  });
  document.getElementById("rule-search").addEventListener("input", (ev) => {
    const q = ev.target.value.toLowerCase();
    for (const b of ruleBoxes) {
      b.closest("label").hidden = q !== "" && !b.value.toLowerCase().includes(q);
    }
  });
  window.addEventListener("hashchange", () => { if (fromHash()) apply(); });

  function flash(el) {
    el.classList.add("flash");
    setTimeout(() => el.classList.remove("flash"), 1200);
  }
  function showItem(span) {
    const item = document.getElementById("r" + span.id.slice(1));
    const list = item && item.closest(".list");
    if (!item || !list) return;
    list.open = true;
    list.scrollTop = item.offsetTop - list.offsetTop - list.clientHeight / 3;
    flash(item);
  }
  document.addEventListener("click", (ev) => {
    const span = ev.target.closest && ev.target.closest("span.e[id]");
    if (span && !span.classList.contains("off")) showItem(span);
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.target.matches("input, select")) return;
    const span = ev.target.closest && ev.target.closest("span.e[id]");
    if (span && ev.key === "Enter") { showItem(span); return; }
    if (ev.key !== "j" && ev.key !== "k") return;
    const shown = spans.filter((s) => !s.classList.contains("off") && s.offsetParent !== null);
    if (!shown.length) return;
    const at = shown.indexOf(span);
    const last = shown[shown.length - 1];
    const next = ev.key === "j" ? shown[at + 1] || shown[0] : shown[at - 1] || last;
    next.focus(); next.scrollIntoView({ block: "center" }); showItem(next);
  });

  fromHash();
  apply();
  document.body.dataset.ready = "1";
})();
