/**
 * The page's only style, inline so the page is one request and works with no script. The
 * Content-Security-Policy admits it by hash, so it must stay a constant.
 */
export const STATUS_PAGE_CSS = `
:root{color-scheme:light dark;--bg:#f7f8fa;--surface:#fff;--text:#16181d;--muted:#5b6270;--border:#dde1e7;--ok:#137a3d;--warn:#9a6200;--bad:#b42318;--info:#1d5fbf;--bar:#5b8def}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--surface:#181b21;--text:#e8eaef;--muted:#a2a9b6;--border:#2b3038;--ok:#4ccb7f;--warn:#f0b34a;--bad:#ff7a70;--info:#7fb0ff;--bar:#7fa6f5}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--info)}
a:focus-visible,summary:focus-visible{outline:3px solid var(--info);outline-offset:2px}
.wrap{max-width:860px;margin:0 auto;padding:16px}
header.top{display:flex;align-items:center;gap:12px;flex-wrap:wrap;padding:8px 0 16px}
header.top img{max-height:48px;max-width:160px}
h1{font-size:1.6rem;margin:0}
h2{font-size:1.15rem;margin:24px 0 8px}
h3{font-size:1rem;margin:0}
.muted{color:var(--muted)}
.banner{border-radius:8px;padding:14px 16px;font-weight:600;color:#fff;margin:0}
.banner.operational{background:var(--ok)}.banner.degraded,.banner.maintenance{background:var(--warn)}.banner.outage{background:var(--bad)}.banner.unknown{background:var(--muted)}
@media (prefers-color-scheme:dark){.banner{color:#0f1115}}
.card{background:var(--surface);border:1px solid var(--border);border-radius:8px;padding:14px 16px;margin:0 0 12px}
ul.modules{list-style:none;margin:0;padding:0}
.row{display:flex;justify-content:space-between;align-items:baseline;gap:8px;flex-wrap:wrap}
.state{font-weight:600}.state.operational{color:var(--ok)}.state.degraded,.state.maintenance{color:var(--warn)}.state.outage{color:var(--bad)}.state.unknown{color:var(--muted)}
dl.uptime{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:8px;margin:10px 0}
@media (max-width:420px){dl.uptime{grid-template-columns:repeat(2,minmax(0,1fr))}}
dl.uptime div{min-width:0}dl.uptime dt{font-size:.8rem;color:var(--muted)}dl.uptime dd{margin:0;font-variant-numeric:tabular-nums;font-weight:600;white-space:nowrap}
svg.chart{display:block;width:100%;height:64px;fill:var(--bar)}
ol.updates{list-style:none;margin:8px 0 0;padding:0}
ol.updates li{border-left:3px solid var(--border);padding:2px 0 6px 10px;margin-bottom:6px;overflow-wrap:anywhere}
.message{margin:2px 0 0;white-space:pre-line}
.tag{display:inline-block;font-size:.75rem;font-weight:600;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
footer{color:var(--muted);font-size:.85rem;padding:24px 0}
`;
