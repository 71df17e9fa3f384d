// Tally dashboard script: the map, table sorting, and the forms that talk to the API.
// Everything the pages say is already in the HTML; this only adds interaction. Text
// from sources and submissions is set with textContent, never parsed as HTML.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";

  function el(name, attrs, text) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function group(n) {
    return Number(n).toLocaleString("en-US");
  }

  function rangeText(low, high) {
    if (low === null || low === undefined) return "no reported size";
    return low === high ? group(low) : group(low) + " – " + group(high);
  }

  // The map: the us-atlas state shapes (already projected to Albers USA at 975×610),
  // one circle per located event, area by the middle of its reported range.
  async function drawMap() {
    const holder = document.getElementById("map");
    const data = document.getElementById("events-data");
    if (!holder || !data || !window.d3 || !window.topojson) return;
    const events = JSON.parse(data.textContent);
    const atlas = await (await fetch(holder.dataset.atlas)).json();
    const projection = d3.geoAlbersUsa().scale(1300).translate([487.5, 305]);
    const path = d3.geoPath();
    const svg = el("svg", { viewBox: "0 0 975 610", role: "group", "aria-label": "Map of the events" });
    const states = topojson.feature(atlas, atlas.objects.states);
    for (const feature of states.features) {
      svg.appendChild(el("path", { d: path(feature), class: "state" }));
    }
    const mids = events.map((e) => (e.low === null ? 0 : (e.low + e.high) / 2));
    const largest = Math.max(1, ...mids);
    const radius = (mid) => (mid > 0 ? Math.max(2.5, 40 * Math.sqrt(mid / largest)) : 3);
    // Largest first, so smaller circles are drawn on top and stay clickable.
    events.forEach((e, i) => {
      const xy = projection([e.lon, e.lat]);
      if (!xy) return;
      const link = el("a", { href: "/events/" + encodeURIComponent(e.id), class: "event-link" });
      const label = (e.title || "Gathering") + ", " + e.place + ": " + rangeText(e.low, e.high);
      link.setAttribute("aria-label", label);
      const circle = el("circle", {
        cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: radius(mids[i]).toFixed(1),
        class: e.low === null ? "event unsized" : "event",
        "data-id": e.id, "data-high": e.high === null ? 0 : e.high,
      });
      circle.appendChild(el("title", {}, label));
      link.appendChild(circle);
      svg.appendChild(link);
    });
    holder.textContent = "";
    holder.appendChild(svg);
    holder.dataset.drawn = String(svg.querySelectorAll("circle.event").length);
  }

  // Sortable tables: each heading becomes a button; numbers sort by data-value.
  function makeSortable(table) {
    const heads = table.querySelectorAll("thead th");
    heads.forEach((th, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const key = (row) => {
          const cell = row.cells[column];
          const v = cell.dataset.value;
          return v !== undefined ? Number(v) : cell.textContent.trim().toLowerCase();
        };
        rows.sort((a, b) => {
          const x = key(a), y = key(b);
          const c = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? c : -c;
        });
        rows.forEach((r) => body.appendChild(r));
      });
    });
  }

  function formJson(form) {
    const out = {};
    for (const [k, v] of new FormData(form).entries()) {
      const text = String(v).trim();
      if (text !== "") out[k] = /^size_/.test(k) && /^\d+$/.test(text.replace(/,/g, "")) ? Number(text.replace(/,/g, "")) : text;
    }
    return out;
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      return (body.error && body.error.message) || response.statusText;
    } catch (e) {
      return response.statusText;
    }
  }

  function setupSubmit() {
    const form = document.getElementById("submit-form");
    if (!form) return;
    const result = document.getElementById("submit-result");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      result.textContent = "Sending…";
      const response = await fetch(form.dataset.endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(formJson(form)),
      });
      if (response.ok) {
        const receipt = await response.json();
        result.textContent = "Thank you: submission " + receipt.id + " is waiting for review" +
          (receipt.place_resolved ? "." : " (its place did not resolve; a reviewer will look).");
        result.dataset.id = receipt.id;
        form.reset();
      } else {
        result.textContent = "Not sent: " + (await errorText(response));
      }
    });
  }

  function setupReview() {
    const form = document.getElementById("token-form");
    if (!form) return;
    const status = document.getElementById("review-status");
    const queue = document.getElementById("queue");
    const saved = sessionStorage.getItem("tally-token");
    if (saved) form.token.value = saved;
    const auth = () => ({ authorization: "Bearer " + form.token.value.trim() });

    async function load() {
      sessionStorage.setItem("tally-token", form.token.value.trim());
      status.textContent = "Loading…";
      const response = await fetch("/api/v1/submissions?status=pending", { headers: auth() });
      if (!response.ok) {
        status.textContent = "Cannot show the queue: " + (await errorText(response));
        return;
      }
      const list = await response.json();
      queue.textContent = "";
      status.textContent = list.submissions.length + " pending.";
      for (const entry of list.submissions) queue.appendChild(item(entry));
    }

    function item(entry) {
      const s = entry.submission;
      const box = document.createElement("section");
      box.className = "queue-item";
      box.dataset.id = entry.id;
      const h = document.createElement("h2");
      h.textContent = "#" + entry.id + ": " + (s.title || "untitled") + ", " + s.place + ", " + s.date;
      box.appendChild(h);
      const p = document.createElement("p");
      p.textContent = rangeText(s.size_low, s.size_high) + " people according to " + s.attribution +
        (s.place_resolved ? "" : " · place not resolved: " + (s.place_note || "")) +
        (s.url ? " · " + s.url : "") + (s.note ? " · note: " + s.note : "");
      box.appendChild(p);
      const accept = document.createElement("button");
      accept.type = "button";
      accept.className = "accept";
      accept.textContent = "Accept #" + entry.id;
      const reject = document.createElement("button");
      reject.type = "button";
      reject.className = "reject";
      reject.textContent = "Reject #" + entry.id;
      const reason = document.createElement("input");
      reason.setAttribute("aria-label", "Reason to reject #" + entry.id);
      reason.placeholder = "reason to reject";
      accept.addEventListener("click", () => decide(entry.id, "accept", {}, box));
      reject.addEventListener("click", () => decide(entry.id, "reject", { reason: reason.value }, box));
      box.append(accept, " ", reason, " ", reject);
      return box;
    }

    async function decide(id, verb, body, box) {
      const response = await fetch("/api/v1/submissions/" + id + "/" + verb, {
        method: "POST",
        headers: Object.assign({ "content-type": "application/json" }, auth()),
        body: JSON.stringify(body),
      });
      if (response.ok) {
        const answer = await response.json();
        box.textContent = "#" + id + " " + answer.status + (answer.event_id ? " (event " + answer.event_id + ")" : "") + ".";
        box.dataset.status = answer.status;
      } else {
        status.textContent = "#" + id + ": " + (await errorText(response));
      }
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      load();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    drawMap().catch((e) => {
      const holder = document.getElementById("map");
      if (holder) holder.dataset.error = String(e);
    });
    document.querySelectorAll("table.sortable").forEach(makeSortable);
    setupSubmit();
    setupReview();
  });
})();
