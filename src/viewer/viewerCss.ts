// The viewer's stylesheet, served as /assets/viewer.css (kept in a module so the compiled package
// carries it without a copy step). Light, system fonts, visible keyboard focus everywhere.
export const viewerCss = `
:root {
  --fg: #1d2329; --muted: #5d6873; --bg: #ffffff; --panel: #f5f7f9; --line: #d8dee4;
  --accent: #0b5cad; --focus: #f0a000;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #c62828; --bad-bg: #ffe4e4; --tie: #8a6100; --tie-bg: #fff3cd;
  --err: #6639ba; --err-bg: #efe6ff; --a: #1f6feb; --a-bg: #dbe9ff; --b: #bc4c00; --b-bg: #ffe7d1;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
a[aria-current="true"] { font-weight: 700; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: 6px 10px; z-index: 10; }
.skip:focus { left: 8px; }
header.top { display: flex; gap: 16px; align-items: center; padding: 8px 20px; border-bottom: 1px solid var(--line); background: var(--panel); position: sticky; top: 0; z-index: 5; }
a.run-link { white-space: nowrap; }
.brand { font-weight: 700; text-decoration: none; color: var(--fg); }
#crumbs { display: flex; gap: 6px; flex-wrap: wrap; color: var(--muted); }
#crumbs a { text-decoration: none; }
main { padding: 16px 20px 60px; max-width: 1500px; margin: 0 auto; }
main:focus, h1:focus { outline: none; }
h1 { font-size: 20px; margin: 4px 0 8px; word-break: break-all; }
h2 { font-size: 16px; margin: 20px 0 8px; }
h3 { font-size: 14px; margin: 14px 0 6px; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.row { display: flex; gap: 12px; flex-wrap: wrap; align-items: baseline; }
.grow { flex: 1; }
.error-box { border: 1px solid var(--bad); background: var(--bad-bg); padding: 8px 12px; border-radius: 6px; margin: 8px 0; }
.warn-box { border: 1px solid #d4a72c; background: #fff8c5; padding: 8px 12px; border-radius: 6px; margin: 8px 0; }
.warn-box ul, .error-box ul { margin: 4px 0 0 18px; padding: 0; }
table { border-collapse: collapse; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.this-run td { background: #eef6ff; font-weight: 600; }
.table-wrap { overflow-x: auto; max-width: 100%; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; line-height: 20px; font-weight: 600; background: var(--panel); border: 1px solid var(--line); white-space: nowrap; }
.badge.correct { color: var(--ok); background: var(--ok-bg); border-color: transparent; }
.badge.wrong { color: var(--bad); background: var(--bad-bg); border-color: transparent; }
.badge.tie { color: var(--tie); background: var(--tie-bg); border-color: transparent; }
.badge.error { color: var(--err); background: var(--err-bg); border-color: transparent; }
.badge.type-Reasoning { color: #0a3069; background: #ddf4ff; border-color: transparent; }
.badge.type-Chat { color: #6e3a00; background: #fff1e5; border-color: transparent; }
.badge.kind { text-transform: uppercase; letter-spacing: .03em; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 8px 0 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; min-width: 130px; background: var(--bg); }
.card .value { font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 12px; }
nav.tabs { display: flex; gap: 4px; border-bottom: 1px solid var(--line); margin: 12px 0; }
nav.tabs a { padding: 6px 12px; text-decoration: none; border: 1px solid transparent; border-bottom: none; border-radius: 6px 6px 0 0; color: var(--fg); }
nav.tabs a[aria-current="page"] { border-color: var(--line); background: var(--bg); margin-bottom: -1px; font-weight: 600; }
button, select, input { font: inherit; }
button { border: 1px solid var(--line); background: var(--panel); border-radius: 6px; padding: 3px 10px; cursor: pointer; color: var(--fg); }
button:hover:not(:disabled) { background: #eaeef2; }
button:disabled { opacity: .5; cursor: default; }
button[aria-pressed="true"] { background: var(--accent); color: white; border-color: var(--accent); }
select, input[type=search], input[type=text] { border: 1px solid var(--line); border-radius: 6px; padding: 3px 6px; background: var(--bg); }
form.filters { display: flex; gap: 10px; flex-wrap: wrap; align-items: end; margin: 8px 0; padding: 8px; background: var(--panel); border-radius: 8px; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
ol.samples { list-style: none; margin: 0; padding: 0; border: 1px solid var(--line); border-radius: 8px; }
ol.samples li { border-bottom: 1px solid var(--line); }
ol.samples li:last-child { border-bottom: none; }
ol.samples a { display: grid; grid-template-columns: 64px 76px minmax(160px, 1.2fr) minmax(110px, .8fr) 90px 90px minmax(200px, 3fr); gap: 8px; padding: 5px 10px; text-decoration: none; color: var(--fg); align-items: baseline; }
ol.samples.cmp a { grid-template-columns: 100px 120px minmax(160px, 1.2fr) minmax(100px, .7fr) 120px 120px minmax(160px, 2fr); }
ol.samples a:hover, ol.samples a:focus-visible { background: #f0f6ff; }
ol.samples .id { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
ol.samples .preview { color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.pager { display: flex; gap: 8px; align-items: center; margin: 8px 0; }
.bars { display: grid; grid-template-columns: minmax(140px, 260px) 1fr 110px; gap: 3px 10px; align-items: center; max-width: 900px; }
.bars .bar-label { text-align: right; font-size: 12px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bars .bar-label a { color: var(--fg); }
.bar { position: relative; height: 16px; background: var(--panel); border-radius: 3px; }
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; background: var(--accent); border-radius: 3px; opacity: .85; }
.bar .tick { position: absolute; top: -2px; bottom: -2px; width: 2px; background: #000; }
.bar .tick.t1 { background: #8250df; }
.bars .bar-value { font-size: 12px; font-variant-numeric: tabular-nums; }
.legend { display: flex; gap: 14px; font-size: 12px; color: var(--muted); margin: 4px 0 8px; flex-wrap: wrap; }
.legend .swatch { display: inline-block; width: 12px; height: 10px; margin-right: 4px; vertical-align: middle; border-radius: 2px; }
.md table { margin: 6px 0 14px; font-size: 13px; }
.md details { margin: 6px 0; }
.md summary { cursor: pointer; font-weight: 600; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; background: var(--panel); padding: 0 3px; border-radius: 3px; }
pre, .text { white-space: pre-wrap; word-wrap: break-word; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; margin: 0; }
.sample-nav { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; }
.verdict-banner { padding: 8px 12px; border-radius: 8px; margin: 8px 0; font-weight: 600; }
.verdict-banner.correct { background: var(--ok-bg); color: var(--ok); }
.verdict-banner.wrong { background: var(--bad-bg); color: var(--bad); }
.verdict-banner.tie { background: var(--tie-bg); color: var(--tie); }
.verdict-banner.error, .verdict-banner.unlabelled { background: var(--err-bg); color: var(--err); }
.panel { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin: 8px 0; background: var(--bg); }
.panel > h3:first-child, .panel > h2:first-child { margin-top: 0; }
.replies { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
@media (max-width: 900px) { .replies { grid-template-columns: 1fr; } }
.reply { border: 2px solid var(--line); border-radius: 8px; padding: 8px 10px; max-height: 520px; overflow: auto; }
.reply.side-A { border-color: var(--a); }
.reply.side-B { border-color: var(--b); }
.reply.flash { box-shadow: 0 0 0 4px var(--focus); }
.reply h3 { margin: 0 0 6px; display: flex; gap: 8px; align-items: center; position: sticky; top: -8px; background: var(--bg); padding: 2px 0; }
.msg { margin: 6px 0; }
.msg .role { font-size: 11px; text-transform: uppercase; color: var(--muted); letter-spacing: .04em; }
mark.q { border-radius: 2px; padding: 0 1px; cursor: pointer; }
mark.q.side-A { background: var(--a-bg); box-shadow: inset 0 -2px 0 var(--a); }
mark.q.side-B { background: var(--b-bg); box-shadow: inset 0 -2px 0 var(--b); }
mark.q.active, mark.q.hover { background: #ffd33d; box-shadow: inset 0 -2px 0 #b08800; }
.trace { display: grid; gap: 8px; }
.trace .sec { border-left: 4px solid var(--line); padding: 4px 10px; }
.trace .sec h4 { margin: 0 0 4px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.trace .sec.rubric { border-color: #8250df; }
.trace .sec.solution { border-color: #0969da; }
.trace .sec.eval { border-color: #1a7f37; }
.trace .sec.answer { border-color: #bf8700; }
ol.rubric-items { margin: 0; padding-left: 22px; }
ol.rubric-items li { margin: 3px 0; }
.weight { display: inline-flex; align-items: center; gap: 6px; margin-left: 6px; font-size: 12px; color: var(--muted); }
.weight .w { display: inline-block; height: 8px; background: #8250df; border-radius: 2px; }
a.cite { text-decoration: none; border-radius: 3px; padding: 0 2px; color: inherit; }
a.cite.side-A { background: var(--a-bg); border-bottom: 2px solid var(--a); }
a.cite.side-B { background: var(--b-bg); border-bottom: 2px solid var(--b); }
a.cite.summary { border-bottom-style: dashed; }
a.cite.none { border-bottom-style: dotted; opacity: .8; }
a.cite.active { background: #ffd33d; }
.cite-tag { font-size: 10px; font-weight: 700; vertical-align: super; margin-right: 2px; color: var(--muted); font-family: system-ui, sans-serif; }
.violations { margin: 4px 0 0 18px; padding: 0; color: var(--err); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; }
.chart { border: 1px solid var(--line); border-radius: 8px; padding: 6px 8px; }
.chart h3 { margin: 0; font-size: 13px; display: flex; justify-content: space-between; gap: 8px; }
.chart svg { display: block; width: 100%; height: auto; }
.chart svg:focus-visible { outline: 3px solid var(--focus); }
.chart .readout { font-size: 12px; color: var(--muted); min-height: 18px; font-variant-numeric: tabular-nums; }
svg .grid { stroke: #e6e9ed; stroke-width: 1; }
svg .axis-label { font-size: 10px; fill: var(--muted); }
svg .line-a { stroke: var(--a); fill: none; stroke-width: 1.6; }
svg .line-b { stroke: var(--b); fill: none; stroke-width: 1.6; }
svg .raw { opacity: .25; }
svg .cursor { stroke: #999; stroke-dasharray: 3 3; }
details.rollout { border: 1px solid var(--line); border-radius: 8px; margin: 6px 0; padding: 4px 10px; }
details.rollout > summary { cursor: pointer; }
.delta-pos { color: var(--ok); }
.delta-neg { color: var(--bad); }
.agree { display: grid; grid-template-columns: auto auto auto; gap: 4px 14px; align-items: center; width: max-content; }
.kbd-help { font-size: 12px; color: var(--muted); }
kbd { font-family: ui-monospace, monospace; font-size: 11px; border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 3px; padding: 0 4px; background: var(--panel); }
input[type=checkbox] { width: 16px; height: 16px; }
`;
