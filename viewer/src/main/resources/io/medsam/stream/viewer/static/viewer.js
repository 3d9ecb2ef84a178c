// MedSAM Stream viewer: plain JavaScript on canvas, no library, nothing fetched from elsewhere.
// Boxes and masks are in the slice's own pixels (x = column, y = row, inclusive corners), as on
// the topics; the canvas shows each pixel as zoom x zoom screen pixels.
"use strict";

const $ = (id) => document.getElementById(id);

const state = {
  series: [],
  seriesUid: null,
  axis: null,
  indices: [],
  index: null,
  view: "ingested",
  image: null, // {w, h, channels, pixels}
  mask: null, // Uint8Array(w * h), 0 or 1
  maskKey: null, // slice the mask belongs to
  box: null, // [x0, y0, x1, y1]
  drag: null,
  painting: false,
  zoom: 2,
  promptSeq: 0,
  latencies: [],
  lastCorrection: null,
  lastMask: null,
};

// ---------- helpers ----------

function message(text, kind) {
  const m = $("message");
  m.textContent = text;
  m.className = kind || "";
}

async function api(method, url, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(url, init);
  } catch (e) {
    return { ok: false, error: "the viewer does not answer: " + e };
  }
  let json = {};
  try {
    json = await resp.json();
  } catch (e) {
    json = { error: "HTTP " + resp.status };
  }
  if (!resp.ok) {
    return { ok: false, status: resp.status, error: json.error || "HTTP " + resp.status };
  }
  json.ok = true;
  return json;
}

function sliceKey() {
  return state.seriesUid + "/" + state.axis + "/" + state.index;
}

function bytesToBase64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function base64ToBytes(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
}

// ---------- series ----------

async function refreshSeries() {
  const r = await api("GET", "/api/series");
  if (!r.ok) {
    message(r.error, "error");
    return;
  }
  state.series = r.series;
  $("model-view-name").textContent = r.modelView ? "model: " + r.modelView : "";
  // redraw the list only when it changed, so a click on it is never lost to a redraw
  const shown = JSON.stringify(r.series) + "|" + state.seriesUid;
  if (shown === state.seriesShown) {
    if (state.seriesUid) updateAxes(false);
    return;
  }
  state.seriesShown = shown;
  const ul = $("series");
  ul.innerHTML = "";
  if (r.series.length === 0) {
    ul.innerHTML = '<li class="muted">no series yet: ingest one (medsam ingest FILE)</li>';
  }
  for (const s of r.series) {
    const li = document.createElement("li");
    li.dataset.series = s.seriesUid;
    if (s.seriesUid === state.seriesUid) li.className = "selected";
    let html = '<div class="uid">' + s.seriesUid + "</div>";
    html += '<div class="muted">' + (s.modality || "?") + "</div>";
    for (const a of s.axes) {
      const pct = a.slices ? Math.round((100 * a.embedded) / a.slices) : 0;
      html +=
        '<div class="axis-line" data-axis="' + a.axis + '">' + a.axis + ": " + a.slices +
        " slices, " + a.embedded + " embedded " +
        '<span class="progress"><span style="width:' + pct + '%"></span></span></div>';
    }
    if (s.axes.length === 0) html += '<div class="muted">waiting for ingest…</div>';
    li.innerHTML = html;
    li.addEventListener("click", () => selectSeries(s.seriesUid));
    ul.appendChild(li);
  }
  if (state.seriesUid) updateAxes(false);
}

function currentSeries() {
  return state.series.find((s) => s.seriesUid === state.seriesUid);
}

function selectSeries(uid) {
  state.seriesUid = uid;
  state.seriesShown = null;
  state.axis = null;
  for (const li of $("series").children) {
    li.className = li.dataset.series === uid ? "selected" : "";
  }
  updateAxes(true);
}

function updateAxes(reset) {
  const s = currentSeries();
  if (!s) return;
  const sel = $("axis");
  const names = s.axes.map((a) => a.axis);
  if (sel.options.length !== names.length || [...sel.options].some((o, i) => o.value !== names[i])) {
    sel.innerHTML = "";
    for (const n of names) sel.add(new Option(n, n));
  }
  if (!state.axis || !names.includes(state.axis)) {
    state.axis = names[0] || null;
    reset = true;
  }
  sel.value = state.axis || "";
  const a = s.axes.find((x) => x.axis === state.axis);
  updateSegButtons(s);
  if (!a) return;
  const before = state.indices.length;
  state.indices = a.indices;
  $("slice").max = Math.max(0, a.indices.length - 1);
  $("slice-label").textContent = a.first + "–" + a.last + " (" + a.slices + " slices)";
  if (reset || state.index === null || !a.indices.includes(state.index)) {
    showSlice(a.indices[Math.floor(a.indices.length / 2)]);
  } else if (before !== a.indices.length) {
    $("slice").value = a.indices.indexOf(state.index);
  }
}

// ---------- slice view ----------

async function showSlice(index) {
  if (index === undefined || index === null) return;
  state.index = index;
  $("slice").value = state.indices.indexOf(index);
  $("slice-index").value = index;
  const key = sliceKey();
  const resp = await fetch("/api/slice?key=" + encodeURIComponent(key) + "&view=" + state.view);
  if (!resp.ok) {
    const j = await resp.json().catch(() => ({}));
    message(j.error || "cannot load " + key, "error");
    return;
  }
  if (key !== sliceKey()) return; // scrolled on meanwhile
  const pixels = new Uint8Array(await resp.arrayBuffer());
  state.image = {
    w: +resp.headers.get("X-Width"),
    h: +resp.headers.get("X-Height"),
    channels: +resp.headers.get("X-Channels"),
    pixels,
  };
  if (state.maskKey !== key) {
    state.mask = null;
    state.maskKey = null;
    state.box = null;
    $("mask-info").textContent = "";
  }
  if (resp.headers.get("X-Embedded") !== "true") {
    message("slice " + key + " is not embedded yet: a box drawn now waits for its embedding", "wait");
  } else if ($("message").className !== "error") {
    message("");
  }
  resize();
  draw();
  if (state.maskKey !== key) loadStoredMask(key, state.promptSeq);
}

// the slice's latest correction or committed model mask, from the topics
async function loadStoredMask(key, seq) {
  const r = await api("GET", "/api/slice-mask?key=" + encodeURIComponent(key));
  if (!r.ok || !r.mask || key !== sliceKey() || seq !== state.promptSeq || state.maskKey === key) {
    return;
  }
  state.mask = base64ToBytes(r.mask);
  state.maskKey = key;
  drawOverlay();
  $("mask-info").textContent =
    r.source === "correction"
      ? "stored mask: a clinician's correction"
      : "stored mask: decoder version " + r.decoderWeightsVersion;
}

function resize() {
  if (!state.image) return;
  for (const c of [$("image"), $("overlay")]) {
    c.width = state.image.w * state.zoom;
    c.height = state.image.h * state.zoom;
  }
  $("zoom-label").textContent = state.zoom + "×";
}

function draw() {
  drawImage();
  drawOverlay();
}

function drawImage() {
  const img = state.image;
  if (!img) return;
  const win = +$("window").value;
  const lvl = +$("level").value;
  const lo = lvl - win / 2;
  const lut = new Uint8ClampedArray(256);
  for (let v = 0; v < 256; v++) lut[v] = ((v - lo) / win) * 255;
  const off = document.createElement("canvas");
  off.width = img.w;
  off.height = img.h;
  const octx = off.getContext("2d");
  const data = octx.createImageData(img.w, img.h);
  const n = img.w * img.h;
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < 3; ch++) {
      data.data[4 * i + ch] = lut[img.pixels[i * img.channels + (img.channels === 3 ? ch : 0)]];
    }
    data.data[4 * i + 3] = 255;
  }
  octx.putImageData(data, 0, 0);
  const ctx = $("image").getContext("2d");
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, img.w * state.zoom, img.h * state.zoom);
}

function drawOverlay() {
  const img = state.image;
  const c = $("overlay");
  const ctx = c.getContext("2d");
  ctx.clearRect(0, 0, c.width, c.height);
  if (!img || state.view !== "ingested") return;
  const z = state.zoom;
  if (state.mask && state.maskKey === sliceKey()) {
    const off = document.createElement("canvas");
    off.width = img.w;
    off.height = img.h;
    const octx = off.getContext("2d");
    const data = octx.createImageData(img.w, img.h);
    for (let i = 0; i < state.mask.length; i++) {
      if (state.mask[i]) {
        data.data[4 * i] = 255;
        data.data[4 * i + 3] = 110;
      }
    }
    octx.putImageData(data, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(off, 0, 0, img.w * z, img.h * z);
  }
  const b = state.drag ? normalise(state.drag.from, state.drag.to) : state.box;
  if (b) {
    ctx.strokeStyle = "rgb(255,255,0)";
    ctx.lineWidth = 1;
    ctx.strokeRect(b[0] * z + 0.5, b[1] * z + 0.5, (b[2] - b[0] + 1) * z - 1, (b[3] - b[1] + 1) * z - 1);
  }
}

function normalise(a, b) {
  return [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y)];
}

// ---------- mouse ----------

function pixelAt(e) {
  const r = $("overlay").getBoundingClientRect();
  return {
    x: Math.floor((e.clientX - r.left) / state.zoom),
    y: Math.floor((e.clientY - r.top) / state.zoom),
  };
}

function tool() {
  return document.querySelector('input[name="tool"]:checked').value;
}

function onDown(e) {
  if (!state.image || e.button !== 0) return;
  if (state.view !== "ingested") {
    message("switch the view to 'as ingested' to draw: boxes and masks are in the slice's pixels", "error");
    return;
  }
  e.preventDefault();
  const p = pixelAt(e);
  if (tool() === "box") {
    state.drag = { from: p, to: p };
  } else {
    if (!state.mask || state.maskKey !== sliceKey()) {
      state.mask = new Uint8Array(state.image.w * state.image.h);
      state.maskKey = sliceKey();
    }
    state.painting = true;
    dab(p);
  }
  drawOverlay();
}

function onMove(e) {
  if (state.drag) {
    state.drag.to = pixelAt(e);
    drawOverlay();
  } else if (state.painting) {
    dab(pixelAt(e));
    drawOverlay();
  }
}

function onUp(e) {
  if (state.drag) {
    const t0 = performance.now();
    state.drag.to = pixelAt(e);
    const box = normalise(state.drag.from, state.drag.to);
    state.drag = null;
    state.box = box;
    drawOverlay();
    prompt(box, t0);
  }
  state.painting = false;
}

function dab(p) {
  const r = Math.max(0, Math.floor(+$("brush-size").value));
  const value = tool() === "brush" ? 1 : 0;
  const { w, h } = state.image;
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      const x = p.x + dx;
      const y = p.y + dy;
      if (dx * dx + dy * dy <= r * r && x >= 0 && y >= 0 && x < w && y < h) {
        state.mask[y * w + x] = value;
      }
    }
  }
}

// ---------- prompts and masks ----------

async function prompt(box, t0) {
  const key = sliceKey();
  const seq = ++state.promptSeq;
  const sent = await api("POST", "/api/prompts", { sliceKey: key, box, label: $("label").value });
  if (!sent.ok) {
    message(sent.error, "error");
    return;
  }
  message(
    sent.embedded
      ? "prompt sent; waiting for the decoder…"
      : "waiting for the embedding of " + key + ": the encoder has not finished this slice; the decoder answers when it lands",
    "wait"
  );
  for (;;) {
    const r = await api("GET", "/api/mask?promptId=" + encodeURIComponent(sent.promptId));
    if (!r.ok) {
      message(r.error, "error");
      return;
    }
    if (r.status === "PENDING") {
      message(
        r.embedded
          ? "still waiting for the decoder (prompt " + sent.promptId + ")"
          : "waiting for the embedding of " + key + " (prompt " + sent.promptId + " is queued)",
        "wait"
      );
      continue;
    }
    if (seq !== state.promptSeq || key !== sliceKey()) return; // a newer prompt or another slice
    if (r.status !== "OK") {
      message(r.status + ": " + (r.reason || "no mask"), "error");
      return;
    }
    state.mask = base64ToBytes(r.mask);
    state.maskKey = key;
    state.lastMask = { promptId: r.promptId, sliceKey: key, mask: r.mask };
    drawOverlay();
    const info =
      "score " + r.score.toFixed(3) + " · decoder version " + r.decoderWeightsVersion +
      " · encoder " + r.encoderModelId + " · pipeline " + r.latencyMillis.toFixed(0) + " ms";
    $("mask-info").textContent = info;
    // the overlay is on screen after the next frame: measure there
    requestAnimationFrame(() =>
      setTimeout(() => {
        const ms = performance.now() - t0;
        state.latencies.push(ms);
        $("mask-info").textContent = info + " · mouse-up to overlay " + ms.toFixed(0) + " ms";
        $("latency").textContent =
          "mouse-up to overlay over " + state.latencies.length + " masks: p50 " +
          percentile(state.latencies, 50).toFixed(0) + " ms, p99 " +
          percentile(state.latencies, 99).toFixed(0) + " ms";
      }, 0)
    );
    message("mask " + r.area + " px; paint with the brush or eraser, then submit the correction");
    return;
  }
}

async function submitCorrection() {
  if (!state.mask || state.maskKey !== sliceKey()) {
    message("nothing to submit: draw a box or paint a mask on this slice first", "error");
    return;
  }
  let box = state.box;
  if (!box) {
    box = maskBox(state.mask, state.image.w);
    if (!box) {
      message("the mask is empty: paint the structure before submitting", "error");
      return;
    }
  }
  const r = await api("POST", "/api/corrections", {
    sliceKey: sliceKey(),
    box,
    mask: bytesToBase64(state.mask),
    label: $("label").value,
  });
  if (!r.ok) {
    message(r.error, "error");
    return;
  }
  state.lastCorrection = r;
  message("correction " + r.correctionId + " published (" + r.area + " px): the trainer takes it in");
}

function maskBox(mask, w) {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i]) {
      const x = i % w, y = Math.floor(i / w);
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? null : [x0, y0, x1, y1];
}

async function download() {
  if (!state.seriesUid) {
    message("choose a series first", "error");
    return;
  }
  const url = "/api/export?series=" + encodeURIComponent(state.seriesUid) + "&axis=" + state.axis;
  const resp = await fetch(url);
  if (!resp.ok) {
    const j = await resp.json().catch(() => ({}));
    message(j.error || "no masks to download", "error");
    return;
  }
  const blob = await resp.blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = state.seriesUid.replace(/[^A-Za-z0-9._-]/g, "_") + "-" + state.axis + "-masks.nii.gz";
  a.click();
  message("downloaded masks of " + resp.headers.get("X-Slices-With-Mask") + " slices");
}

// DICOM SEG: offered where the series has a DICOM source (a DICOM folder or file, an Orthanc
// series); the server says why not otherwise, and the buttons show it as their tooltip
function updateSegButtons(s) {
  const seg = (s && s.seg) || { download: false, store: false, downloadReason: "choose a series" };
  const d = $("download-seg"), st = $("store-seg");
  d.disabled = !seg.download;
  d.title = seg.download ? "one segment per label of the slices' latest masks" : seg.downloadReason;
  st.disabled = !seg.store;
  st.title = seg.store ? "store the SEG in Orthanc " + seg.orthanc.split("/")[0] : seg.storeReason;
}

async function downloadSeg() {
  if (!state.seriesUid) {
    message("choose a series first", "error");
    return;
  }
  const url = "/api/seg?series=" + encodeURIComponent(state.seriesUid) + "&axis=" + state.axis;
  const resp = await fetch(url);
  if (!resp.ok) {
    const j = await resp.json().catch(() => ({}));
    message(j.error || "no DICOM SEG to download", "error");
    return;
  }
  const blob = await resp.blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = state.seriesUid.replace(/[^A-Za-z0-9._-]/g, "_") + "-" + state.axis + "-seg.dcm";
  a.click();
  message("downloaded a DICOM SEG of " + resp.headers.get("X-Slices-With-Mask") +
    " slices, segments " + resp.headers.get("X-Segments"));
}

async function storeSeg() {
  if (!state.seriesUid) {
    message("choose a series first", "error");
    return;
  }
  $("store-seg").disabled = true;
  $("seg-stored").textContent = "storing…";
  const r = await api("POST", "/api/seg/store", { seriesUid: state.seriesUid, axis: state.axis });
  $("seg-stored").textContent = r.ok
    ? "stored in Orthanc " + r.server + " as instance " + r.instanceId
    : "";
  message(r.ok
    ? "SEG of " + r.slicesWithMask + " slices (" + r.segments.join(", ") + ") stored in Orthanc " +
      r.server + ": instance " + r.instanceId
    : r.error, r.ok ? "" : "error");
  updateSegButtons(currentSeries());
}

// ---------- 3D ----------

async function walk() {
  if (!state.box) {
    message("draw a box on a slice first; the 3D prompt uses it on every slice of the range", "error");
    return;
  }
  const z0 = +$("z0").value, z1 = +$("z1").value;
  const r = await api("POST", "/api/volume-prompts", {
    seriesUid: state.seriesUid, axis: state.axis, box: state.box, z0, z1, label: $("label").value,
  });
  if (!r.ok) {
    message(r.error, "error");
    return;
  }
  message("3D prompt sent: walking slices " + z0 + "–" + z1 + "…", "wait");
  for (;;) {
    const v = await api("GET", "/api/volume-mask?promptId=" + encodeURIComponent(r.promptId));
    if (!v.ok) {
      message(v.error, "error");
      return;
    }
    if (v.status === "PENDING") continue;
    message("3D walk " + v.status + ": " + v.steps + " slices walked, timed out " +
      JSON.stringify(v.timedOut) + (v.reason ? " (" + v.reason + ")" : "") +
      "; scroll to see each slice's mask", v.status === "OK" ? "" : "error");
    return;
  }
}

// ---------- trainer ----------

async function refreshTrainer() {
  const r = await api("GET", "/api/trainer");
  if (!r.ok) return;
  const div = $("trainer");
  if (r.trainers.length === 0) {
    div.className = "muted";
    div.textContent = "no trainer status published yet";
  } else {
    div.className = "";
    div.innerHTML = r.trainers.map((t) =>
      "<div><b>" + t.modelId + "</b>" + (t.running ? " · <b>training now</b>" : "") + "</div>" +
      "<div>corrections waiting for a run: " + t.newPairs + " (a run starts at " + t.minNewPairs + ")" +
      "; waiting for embeddings: " + t.pendingCorrections + "; refused: " + t.rejectedCorrections + "</div>" +
      "<div>pairs taken in: " + t.pairs + "; runs: " + t.runs + "</div>" +
      (t.lastDecision
        ? "<div>last run: <b>" + t.lastDecision + "</b> " + (t.lastVersion || "") +
          (t.lastHoldoutDscBefore != null ? " · held-out DSC " + t.lastHoldoutDscBefore.toFixed(3) +
            " → " + t.lastHoldoutDscAfter.toFixed(3) : "") +
          (t.lastReason ? "<br><span class='muted'>" + t.lastReason + "</span>" : "") + "</div>"
        : "<div class='muted'>no run since the trainer started</div>")
    ).join("<hr>");
  }
  const tbody = document.querySelector("#versions tbody");
  tbody.innerHTML = "";
  for (const v of r.versions) {
    const tr = document.createElement("tr");
    const inForce = r.inForce[v.modelId] === v.version &&
      (v.verdict === "PUBLISHED" || v.verdict === "BUNDLE");
    tr.className = inForce ? "in-force" : v.verdict === "REJECTED" ? "rejected" : "";
    const dsc = v.holdoutDscAfter != null
      ? (v.holdoutDscBefore != null ? v.holdoutDscBefore.toFixed(3) + " → " : "") + v.holdoutDscAfter.toFixed(3)
      : "";
    tr.innerHTML = "<td>" + v.version + (v.rollbackOf ? " (rollback)" : "") + "</td><td>" +
      v.verdict + (inForce ? " · in force" : "") + "</td><td>" + dsc + "</td><td>" +
      (v.verdict === "BUNDLE" ? "" : v.trainPairs + "/" + v.holdoutPairs) + "</td><td></td>";
    tr.title = v.reason || "";
    if (r.rollback && v.verdict === "PUBLISHED" && !inForce) {
      const b = document.createElement("button");
      b.textContent = "roll back";
      b.addEventListener("click", () => rollback(v.version));
      tr.lastChild.appendChild(b);
    }
    tbody.appendChild(tr);
  }
}

async function rollback(version) {
  if (!confirm("Serve decoder version " + version + " again on every decoder worker?")) return;
  const r = await api("POST", "/api/trainer/rollback", { version, confirm: true });
  message(r.ok ? "rolled back to " + version + ": " + r.published : r.error, r.ok ? "" : "error");
  refreshTrainer();
}

// ---------- wiring ----------

function init() {
  const ov = $("overlay");
  ov.addEventListener("mousedown", onDown);
  window.addEventListener("mousemove", onMove);
  window.addEventListener("mouseup", onUp);
  ov.addEventListener("wheel", (e) => {
    e.preventDefault();
    const i = state.indices.indexOf(state.index) + (e.deltaY > 0 ? 1 : -1);
    if (i >= 0 && i < state.indices.length) showSlice(state.indices[i]);
  });
  $("slice").addEventListener("input", () => showSlice(state.indices[+$("slice").value]));
  $("slice-index").addEventListener("change", () => {
    const i = +$("slice-index").value;
    if (state.indices.includes(i)) showSlice(i);
    else message("slice " + i + " of " + state.axis + " was not ingested", "error");
  });
  $("axis").addEventListener("change", () => {
    state.axis = $("axis").value;
    updateAxes(true);
  });
  $("view").addEventListener("change", () => {
    state.view = $("view").value;
    showSlice(state.index);
  });
  $("window").addEventListener("input", drawImage);
  $("level").addEventListener("input", drawImage);
  $("zoom-in").addEventListener("click", () => { state.zoom = Math.min(8, state.zoom + 1); resize(); draw(); });
  $("zoom-out").addEventListener("click", () => { state.zoom = Math.max(1, state.zoom - 1); resize(); draw(); });
  $("submit").addEventListener("click", submitCorrection);
  $("download").addEventListener("click", download);
  $("download-seg").addEventListener("click", downloadSeg);
  $("store-seg").addEventListener("click", storeSeg);
  $("walk").addEventListener("click", walk);
  refreshSeries();
  refreshTrainer();
  setInterval(refreshSeries, 2000);
  setInterval(refreshTrainer, 3000);
}

// what a test (or a curious clinician in the console) can read
window.medsamViewer = {
  state,
  overlayMaskPixels() {
    const c = $("overlay");
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] > 200 && d[i + 1] < 50) n++;
    return n;
  },
  maskBase64() {
    return state.mask ? bytesToBase64(state.mask) : null;
  },
};

init();
