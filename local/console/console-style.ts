/** The console's only stylesheet, served from /_local/console.css (the page's CSP allows nothing else). */
export const consoleStylesheet = `
:root {
  --ink: #1d2433; --muted: #6b7385; --line: #e4e7ee; --paper: #f6f7fb; --card: #fff;
  --accent: #4f46e5; --accent-soft: #eef0ff; --ok: #15803d; --ok-soft: #e7f6ec;
  --run: #1d4ed8; --run-soft: #e6eefc; --bad: #b91c1c; --bad-soft: #fde8e8; --warn: #b45309; --warn-soft: #fdf1e2;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--paper); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.top { display: flex; align-items: center; gap: 1.5rem; padding: .9rem 2rem; background: #151a2d; color: #fff; }
.brand { font-weight: 650; font-size: 1.05rem; letter-spacing: .01em; }
.logo { color: #a5b4fc; margin-right: .25rem; }
.tag { font-size: .7rem; text-transform: uppercase; letter-spacing: .08em; background: #4f46e5; padding: .1rem .45rem; border-radius: 999px; margin-left: .35rem; vertical-align: middle; }
.clinic { color: #c7cbe0; }
.top nav { margin-left: auto; display: flex; gap: 1.2rem; }
.top nav a { color: #dfe3ff; }
main { max-width: 1200px; margin: 1.5rem auto; padding: 0 1.5rem; display: grid; gap: 1.25rem; }
.row { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 1.25rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 14px; padding: 1.2rem 1.4rem; box-shadow: 0 1px 2px rgba(20, 24, 40, .04); min-width: 0; }
h2 { margin: 0 0 .8rem; font-size: 1rem; font-weight: 650; display: flex; align-items: center; gap: .5rem; }
h3 { font-size: .85rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 1rem 0 .4rem; }
.count { font-size: .75rem; font-weight: 600; color: var(--muted); background: var(--paper); border: 1px solid var(--line); border-radius: 999px; padding: 0 .5rem; }
.muted { color: var(--muted); }
.small { font-size: .82rem; }
.mono { font-family: var(--mono); font-size: .85em; }
.empty { color: var(--muted); background: var(--paper); border-radius: 10px; padding: .9rem 1rem; margin: 0; }
.clock .time { font-size: 2.6rem; font-weight: 700; letter-spacing: -.02em; margin: 0; font-variant-numeric: tabular-nums; }
.clock .zone { font-size: 1rem; font-weight: 500; color: var(--muted); }
.clock .day { margin: 0 0 .2rem; font-size: 1.05rem; }
.clock .mono { margin: 0 0 1rem; }
.buttons { display: flex; gap: .6rem; flex-wrap: wrap; }
.buttons form { margin: 0; }
button, .button-link { font: inherit; font-weight: 600; border: 1px solid var(--accent); background: var(--accent); color: #fff; padding: .45rem 1rem; border-radius: 9px; cursor: pointer; display: inline-block; }
button:hover { background: #4338ca; }
.button-link { background: var(--accent-soft); color: var(--accent); }
.cost .total { font-size: 2.2rem; font-weight: 700; margin: 0 0 .6rem; font-variant-numeric: tabular-nums; }
table { width: 100%; border-collapse: collapse; font-size: .88rem; }
th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 1px solid var(--line); padding: .35rem .4rem; }
td { border-bottom: 1px solid var(--line); padding: .4rem; vertical-align: top; }
tr:last-child td { border-bottom: 0; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.expired td { color: var(--bad); }
.badge { font-size: .7rem; font-weight: 700; letter-spacing: .04em; border-radius: 6px; padding: .1rem .45rem; background: var(--paper); color: var(--muted); }
.badge.RUNNING { background: var(--run-soft); color: var(--run); }
.badge.SUCCEEDED { background: var(--ok-soft); color: var(--ok); }
.badge.FAILED { background: var(--bad-soft); color: var(--bad); }
.badge.TIMED_OUT { background: var(--warn-soft); color: var(--warn); }
.execution { border: 1px solid var(--line); border-radius: 11px; margin-bottom: .6rem; background: #fcfcfe; }
.execution summary { cursor: pointer; padding: .65rem .9rem; display: flex; flex-wrap: wrap; align-items: baseline; gap: .35rem .8rem; list-style: none; }
.execution summary::-webkit-details-marker { display: none; }
.execution summary::before { content: "▸"; color: var(--muted); }
.execution[open] summary::before { content: "▾"; }
.execution .name { font-weight: 600; }
.execution .machine { color: var(--accent); font-size: .85rem; }
.execution .where { flex: 1 1 16rem; }
.execution .when { color: var(--muted); font-size: .85rem; }
.timeline { list-style: none; margin: 0; padding: .2rem 1rem 1rem 1.6rem; border-top: 1px solid var(--line); }
.step { position: relative; padding: .35rem 0 .35rem 1.2rem; border-left: 2px solid var(--line); display: flex; flex-wrap: wrap; gap: .2rem .7rem; align-items: baseline; }
.step .dot { position: absolute; left: -6px; top: .75rem; width: 10px; height: 10px; border-radius: 50%; background: var(--ok); border: 2px solid #fff; box-shadow: 0 0 0 1px var(--line); }
.step.running .dot { background: var(--run); box-shadow: 0 0 0 3px var(--run-soft); }
.step.failed .dot { background: var(--bad); }
.step time { font-size: .8rem; color: var(--muted); min-width: 12.5rem; font-variant-numeric: tabular-nums; }
.step .state { font-weight: 600; }
.step .kind { font-size: .72rem; color: var(--muted); border: 1px solid var(--line); border-radius: 5px; padding: 0 .3rem; }
.step .waiting { color: var(--run); font-size: .85rem; }
.step .error { flex-basis: 100%; color: var(--bad); font-family: var(--mono); font-size: .8rem; }
.emails { list-style: none; margin: 0 0 .8rem; padding: 0; }
.emails li { display: flex; flex-direction: column; padding: .45rem 0; border-bottom: 1px solid var(--line); }
.emails li:last-child { border-bottom: 0; }
.emails .subject { font-weight: 600; }
.services dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem; margin: 0; }
.services dt { color: var(--muted); }
.services dd { margin: 0; }
.machines { margin: 0; padding-left: 1.1rem; columns: 2; }
footer { max-width: 1200px; margin: 0 auto 2rem; padding: 0 1.5rem; color: var(--muted); font-size: .82rem; }
@media (max-width: 640px) { .top { flex-wrap: wrap; padding: .8rem 1rem; } main { padding: 0 .8rem; } .step time { min-width: 0; } }
`;
