package dev.winnow.examples.dashboard;

/**
 * The dashboard page: polls {@code api/zones} every second and draws one card per zone (occupancy now,
 * a chart of the last hour's mean and max, in/out flows, dwell p50/p90 per dwell polygon, staff, alerts,
 * degraded, and per camera its frames in its last window and how long it has been silent). Each figure's element names it: {@code data-now} for the zone's window, {@code data-field}
 * in a flow row ({@code data-flow}), so a test reads what the page shows; {@code body[data-first-numbers-at]} is the epoch millisecond the first window was drawn,
 * {@code data-first-update-at} when the sink received its first record.
 */
final class DashboardPage {
    private DashboardPage() {}

    static String html() {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>stadium-staffing live</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <style>
                body{font:14px system-ui,sans-serif;margin:16px;background:#f6f7f9;color:#222}
                h1{font-size:18px;margin:0 0 12px} #status{font-weight:normal;color:#666;font-size:13px;margin-left:8px}
                #zones{display:flex;flex-wrap:wrap;gap:12px}
                .zone{background:#fff;border:1px solid #ccd;border-radius:6px;padding:10px 12px;width:400px}
                .zone.degraded{border-color:#c60;background:#fff8f0}
                .zone h2{font-size:15px;margin:0 0 6px} .big{font-size:28px;font-weight:600}
                table{border-collapse:collapse;margin-top:6px;width:100%} td,th{padding:2px 6px;text-align:right;border-bottom:1px solid #eee}
                th:first-child,td:first-child{text-align:left} .alert{color:#b00;font-weight:600;margin:4px 0 0}
                svg{display:block;margin-top:4px;background:#fafbfc;border:1px solid #eee} .muted{color:#777;font-size:12px}
                </style></head>
                <body data-renders="0">
                <h1>stadium-staffing: zones now <span id="status">connecting…</span></h1>
                <div id="zones"></div>
                <script>
                "use strict";
                const W = 380, H = 90;
                function el(tag, attrs, text) {
                  const e = document.createElement(tag);
                  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
                  if (text !== undefined) e.textContent = text;
                  return e;
                }
                function hhmmss(ms) { return new Date(ms).toISOString().substring(11, 19); }
                function chart(z, windowMs) {
                  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
                  svg.setAttribute("width", W); svg.setAttribute("height", H); svg.setAttribute("class", "chart");
                  const h = z.history;
                  if (h.length === 0) return svg;
                  const end = z.now.end, start = Math.max(h[0][0] + windowMs, end - 3600000);  // the last hour, or since the first window ended
                  let top = Math.max(1, z.capacity || 0);
                  for (const p of h) top = Math.max(top, p[2]);
                  const x = t => 4 + (W - 8) * (t - start) / Math.max(1, end - start), y = v => H - 4 - (H - 22) * v / top;
                  const line = (i, color) => {
                    const pl = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
                    pl.setAttribute("points", h.map(p => x(p[0] + windowMs) + "," + y(p[i])).join(" "));
                    pl.setAttribute("fill", "none"); pl.setAttribute("stroke", color); pl.setAttribute("stroke-width", "2");
                    svg.appendChild(pl);
                  };
                  if (z.capacity) {
                    const c = document.createElementNS("http://www.w3.org/2000/svg", "line");
                    c.setAttribute("x1", 4); c.setAttribute("x2", W - 4); c.setAttribute("y1", y(z.capacity)); c.setAttribute("y2", y(z.capacity));
                    c.setAttribute("stroke", "#c60"); c.setAttribute("stroke-dasharray", "4 3"); svg.appendChild(c);
                  }
                  line(2, "#9ab"); line(1, "#1561c0");
                  const t = document.createElementNS("http://www.w3.org/2000/svg", "text");
                  t.setAttribute("x", 6); t.setAttribute("y", 12); t.setAttribute("font-size", "11"); t.setAttribute("fill", "#555");
                  t.textContent = "mean (blue), max (grey), capacity (dashed) " + hhmmss(start) + "–" + hhmmss(end);
                  svg.appendChild(t);
                  return svg;
                }
                function card(z, windowMs) {
                  const n = z.now;
                  const c = el("section", {"class": "zone" + (n && n.degraded ? " degraded" : ""), "data-zone": z.zone});
                  c.appendChild(el("h2", {}, z.zone + " (" + z.cameras.join(", ") + ")"));
                  if (!n) { c.appendChild(el("p", {"class": "muted"}, "no window yet")); return c; }
                  c.setAttribute("data-start", n.start);
                  c.setAttribute("data-history", z.history.length);
                  const big = el("div", {}, "");
                  big.appendChild(el("span", {"class": "big", "data-now": "occupancy_mean"}, n.occupancy_mean.toFixed(2)));
                  big.appendChild(el("span", {"class": "muted"}, " people (mean), max "));
                  big.appendChild(el("span", {"data-now": "occupancy_max"}, n.occupancy_max));
                  big.appendChild(el("span", {"class": "muted"}, " in " + hhmmss(n.start) + "–" + hhmmss(n.end) + " UTC"));
                  c.appendChild(big);
                  c.appendChild(chart(z, windowMs));
                  const t = el("table");
                  const row = (label, field, value) => { const r = el("tr"); r.appendChild(el("th", {}, label)); r.appendChild(el("td", {"data-now": field}, value)); t.appendChild(r); };
                  row("in", "inflow", n.inflow);
                  row("out", "outflow", n.outflow);
                  row("dwell p90 (s)", "dwell_p90_s", n.dwell_p90_s.toFixed(1));
                  row("staff", "staff", n.staff);
                  row("degraded", "degraded", n.degraded ? "yes" : "no");
                  c.appendChild(t);
                  if (z.flows.length) {
                    const f = el("table", {"class": "flows"});
                    const head = el("tr"); for (const h of ["camera", "line / zone", "in", "out", "dwell p50", "p90"]) head.appendChild(el("th", {}, h)); f.appendChild(head);
                    for (const w of z.flows) {
                      const r = el("tr", {"data-flow": w.camera + "/" + w.name, "data-start": w.start});
                      r.appendChild(el("td", {}, w.camera)); r.appendChild(el("td", {}, w.kind + " " + w.name));
                      r.appendChild(el("td", {"data-field": "in"}, w.kind === "line" ? w.in : ""));
                      r.appendChild(el("td", {"data-field": "out"}, w.kind === "line" ? w.out : ""));
                      r.appendChild(el("td", {"data-field": "dwell_p50_s"}, w.kind === "zone" ? w.dwell_p50_s.toFixed(1) : ""));
                      r.appendChild(el("td", {"data-field": "dwell_p90_s"}, w.kind === "zone" ? w.dwell_p90_s.toFixed(1) : ""));
                      f.appendChild(r);
                    }
                    c.appendChild(f);
                  }
                  const cams = el("table", {"class": "cameras"});
                  const ch = el("tr"); for (const h of ["camera", "frames, last window", "silent (s)", ""]) ch.appendChild(el("th", {}, h)); cams.appendChild(ch);
                  for (const s of z.camera_status) {
                    const r = el("tr", {"data-camera": s.camera, "data-start": s.window_start === null ? "" : s.window_start});
                    r.appendChild(el("td", {}, s.camera));
                    r.appendChild(el("td", {"data-field": "frames", "data-frames": s.frames},
                        s.window_start === null ? "none yet" : s.frames + " from " + hhmmss(s.window_start)));
                    r.appendChild(el("td", {"data-field": "silent_s"}, s.silent_s === null ? "" : s.silent_s.toFixed(1)));
                    r.appendChild(el("td", {"data-field": "degraded", "class": s.degraded ? "alert" : ""}, s.degraded ? "degraded" : "ok"));
                    cams.appendChild(r);
                  }
                  c.appendChild(cams);
                  for (const a of z.alerts) c.appendChild(el("p", {"class": "alert"}, a));
                  return c;
                }
                async function poll() {
                  const status = document.getElementById("status");
                  try {
                    const r = await fetch("api/zones", {cache: "no-store"});
                    const j = await r.json();
                    const zones = document.getElementById("zones");
                    zones.replaceChildren(...j.zones.map(z => card(z, j.window_ms)));
                    document.body.dataset.renders = String(Number(document.body.dataset.renders) + 1);
                    if (!document.body.dataset.firstNumbersAt && j.zones.some(z => z.now)) {
                      document.body.dataset.firstNumbersAt = String(Date.now());
                      document.body.dataset.firstUpdateAt = String(j.first_update_time);
                    }
                    status.textContent = "updated " + new Date().toISOString().substring(11, 19) + " UTC, " + j.updates + " records received from the job";
                  } catch (e) {
                    status.textContent = "not reachable (the job ended?)";
                  }
                }
                poll();
                setInterval(poll, 1000);
                </script>
                </body></html>
                """;
    }
}
