import type { CohortReport } from './cohort-report.ts';

/** The cohort report as Markdown (for a terminal or an issue) and as one self-contained HTML page. */

const usd = (n: number, digits = 4) => `$${n.toFixed(digits)}`;
const num = (n: number, digits = 1) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(digits));

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number) => (typeof v === 'number' ? num(v) : v);
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

const entries = (record: Record<string, number>) => Object.entries(record).sort((a, b) => b[1] - a[1]);

export function reportSections(r: CohortReport): { title: string; markdown: string }[] {
  const weeks = r.clinician.perWeek;
  const busiest = Math.max(0, ...weeks);
  return [
    {
      title: 'Run',
      markdown: table(
        ['', ''],
        [
          ['patients (enrolled / cohort)', `${r.enrolled} / ${r.patients}`],
          [
            'months (virtual days simulated)',
            `${r.months} (${num(r.virtualDays)})${r.partial ? ' **PARTIAL: stopped early**' : ''}`,
          ],
          ['seed', String(r.seed)],
          ['protocol version', r.protocolVersion],
          ['wall time (s)', num(r.wallSeconds)],
          ['patient-months simulated', num(r.patientMonths)],
          ['patient-months per wall second', r.patientMonthsPerWallSecond.toFixed(2)],
          ['peak memory of the runtime process (MB)', (r.peakRssBytes / 1e6).toFixed(0)],
          [
            'link page GET p50 / p99 (ms)',
            `${r.pageLatencyMs.getP50.toFixed(0)} / ${r.pageLatencyMs.getP99.toFixed(0)} (${r.pageLatencyMs.gets} GETs)`,
          ],
          [
            'link page POST p50 / p99, until its work settled (ms)',
            `${r.pageLatencyMs.postP50.toFixed(0)} / ${r.pageLatencyMs.postP99.toFixed(0)} (${r.pageLatencyMs.posts} POSTs)`,
          ],
          [
            'wall time in clock moves / mail / actions (s)',
            `${num(r.timing.advanceMs / 1000)} / ${num(r.timing.mailMs / 1000)} / ${num(r.timing.actionMs / 1000)} (${r.timing.steps} clock moves)`,
          ],
        ],
      ),
    },
    {
      title: 'Patients by phase reached',
      markdown: `${table(['phase', 'patients who reached it'], Object.entries(r.phasesReached))}\n\n${table(['phase at the end', 'patients'], entries(r.phaseAtEnd))}\n\n${table(['screening outcome', 'count'], entries(r.screenings))}`,
    },
    {
      title: 'Holds and their outcomes',
      markdown: table(
        ['', ''],
        [
          ['holds placed', r.holds.placed],
          ['patients ever on hold', r.holds.patientsHeld],
          ...entries(r.holds.decisions).map(([k, v]) => [`clinician decided ${k}`, v] as [string, number]),
          ['still on hold at the end', r.holds.standingAtEnd],
        ],
      ),
    },
    {
      title: 'Sessions',
      markdown: `${table(
        ['', ''],
        [
          ['sessions completed', r.sessions.completed],
          ['sessions postponed', r.sessions.postponed],
          ['sessions missed', r.sessions.missed],
          ['journals written more than 12 h after the session', r.sessions.journalsLate],
        ],
      )}\n\n${table(['check-in outcome', 'count'], entries(r.sessions.checkIns))}\n\n${table(['check-in not cleared, by reason', 'count'], entries(r.sessions.notClearedByReason))}`,
    },
    {
      title: 'Refills',
      markdown: `${table(['', ''], [['refills filled', r.refills.filled], ...entries(r.refills.approvals).map(([k, v]) => [`clinician ${k}`, v] as [string, number])])}\n\n${table(
        ['refill gate refused, by reason', 'count'],
        entries(r.refills.gateRefusedByReason),
      )}\n\n${table(['refill and fill events (audit)', 'count'], entries(r.refills.refillEvents))}`,
    },
    {
      title: 'Clinician workload',
      markdown: `${table(
        ['', ''],
        [
          ['decisions (excluding consult booking and evaluation, recorded by staff)', r.clinician.decisions],
          [
            'hours to decide: median / p90 / max',
            `${num(r.clinician.hoursToDecide.median)} / ${num(r.clinician.hoursToDecide.p90)} / ${num(r.clinician.hoursToDecide.max)}`,
          ],
          ['decided after the 24 h reminder', r.clinician.decidedAfterReminder],
          ['busiest week', busiest],
        ],
      )}\n\n${table(['decision', 'count'], entries(r.clinician.byPurpose))}\n\nDecisions per week: ${weeks.join(', ')}`,
    },
    {
      title: 'Emails',
      markdown: table(
        ['', ''],
        [
          ['emails sent', r.emails.total],
          ['to patients, per patient', num(r.emails.perPatient)],
          ['to clinicians about a patient, per patient', num(r.emails.clinicianPerPatient)],
        ],
      ),
    },
    {
      title: 'AWS cost',
      markdown: `Growing with patients (us-east-1 list prices as of ${r.cost.estimate.pricesAsOf}, local/runtime/aws-prices.ts; Lambda durations as measured locally):\n\n${table(
        ['service', 'quantity', 'USD'],
        r.cost.estimate.lines.map((l) => [l.service, `${num(l.quantity, 2)} ${l.unit}`, usd(l.usd)]),
      )}\n\n${table(
        ['', ''],
        [
          ['total for the run', usd(r.cost.estimate.totalUsd)],
          ['patient-years simulated', num(r.cost.patientYears, 2)],
          ['per patient-year', usd(r.cost.perPatientYearUsd)],
          ['per clinic-month (this cohort)', usd(r.cost.perClinicMonthUsd)],
          ['DynamoDB request units per patient-month', num(r.cost.dynamoDbRequestUnitsPerPatientMonth)],
          ['Step Functions transitions per patient-month', num(r.cost.stateTransitionsPerPatientMonth)],
        ],
      )}\n\nFixed each month whatever the number of patients (prices as of ${r.cost.fixedPricesAsOf}, bench/simulate/fixed-monthly-costs.ts):\n\n${table(
        ['item', 'quantity', 'USD per month'],
        [
          ...r.cost.fixedMonthly.map((f) => [f.item, f.quantity, usd(f.usdPerMonth, 2)] as [string, number, string]),
          ['total', '', usd(r.cost.fixedMonthlyUsd, 2)],
        ],
      )}`,
    },
    {
      title: 'Journey invariants',
      markdown: `${r.invariants.violations} violation(s) over ${r.invariants.patientsChecked} patients.${r.invariants.examples.length === 0 ? '' : `\n\n${r.invariants.examples.map((v) => `- ${v}`).join('\n')}`}`,
    },
    {
      title: 'Simulation',
      markdown: `What the simulated people did (door:what:status):\n\n${Object.entries(r.simulation.tally)
        .map(([k, v]) => `- ${k}: ${v}`)
        .join(
          '\n',
        )}${r.simulation.errors.length === 0 ? '' : `\n\nActions that failed (${r.simulation.errors.length}):\n\n${r.simulation.errors.map((e) => `- ${e}`).join('\n')}`}`,
    },
  ];
}

export function renderMarkdown(r: CohortReport): string {
  return (
    [
      `# Cohort simulation: ${r.patients} patients, ${r.months} month(s), seed ${r.seed}`,
      ...reportSections(r).map((s) => `## ${s.title}\n\n${s.markdown}`),
    ].join('\n\n') + '\n'
  );
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A bar chart as inline SVG: no script and no dependency, so the page opens anywhere, offline. */
function barChart(title: string, bars: readonly (readonly [string, number])[], width = 640): string {
  const height = 180;
  const max = Math.max(1, ...bars.map(([, v]) => v));
  const w = bars.length === 0 ? 0 : (width - 40) / bars.length;
  const rects = bars
    .map(([label, v], i) => {
      const h = (v / max) * (height - 40);
      const x = 30 + i * w;
      return `<rect x="${x.toFixed(1)}" y="${(height - 20 - h).toFixed(1)}" width="${Math.max(1, w - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="#3b6ea5"><title>${escape(label)}: ${v}</title></rect>${
        bars.length <= 16
          ? `<text x="${(x + w / 2).toFixed(1)}" y="${height - 6}" font-size="9" text-anchor="middle">${escape(label.slice(0, 12))}</text>`
          : ''
      }`;
    })
    .join('');
  return `<figure><figcaption>${escape(title)} (max ${max})</figcaption><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escape(title)}">${rects}</svg></figure>`;
}

/** Markdown tables and lists to HTML, enough for the report's own output. */
function markdownToHtml(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('|')) {
      const rows: string[] = [];
      while (i < lines.length && (lines[i] as string).startsWith('|')) rows.push(lines[i++] as string);
      i -= 1;
      const cells = (row: string) =>
        row
          .slice(1, -1)
          .split('|')
          .map((c) => c.trim());
      const [head, , ...body] = rows;
      out.push(
        `<table><thead><tr>${cells(head ?? '')
          .map((c) => `<th>${escape(c)}</th>`)
          .join('')}</tr></thead><tbody>${body
          .map(
            (row) =>
              `<tr>${cells(row)
                .map((c) => `<td>${escape(c.replace(/\*\*/g, ''))}</td>`)
                .join('')}</tr>`,
          )
          .join('')}</tbody></table>`,
      );
    } else if (line.startsWith('- ')) out.push(`<li>${escape(line.slice(2))}</li>`);
    else if (line.trim() !== '') out.push(`<p>${escape(line)}</p>`);
  }
  return out.join('\n');
}

export function renderHtml(r: CohortReport): string {
  const charts = [
    barChart('Patients by phase reached', Object.entries(r.phasesReached)),
    barChart(
      'Clinician decisions per week',
      r.clinician.perWeek.map((v, i) => [`week ${i + 1}`, v] as const),
    ),
    barChart('Check-in outcomes', entries(r.sessions.checkIns)),
    barChart('Refill gate refusals by reason', entries(r.refills.gateRefusedByReason)),
    barChart(
      'Cost by service (USD)',
      r.cost.estimate.lines.map((l) => [l.service, Number(l.usd.toFixed(6))] as const),
    ),
  ].join('\n');
  const sections = reportSections(r)
    .map((s) => `<section><h2>${escape(s.title)}</h2>${markdownToHtml(s.markdown)}</section>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cohort simulation</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}figure{margin:1rem 0}figcaption{font-weight:600}</style></head><body><h1>Cohort simulation: ${r.patients} patients, ${r.months} months, seed ${r.seed}</h1>${charts}${sections}</body></html>\n`;
}

/** Two runs of the same cohort under two protocols, the numbers that differ side by side. */
export function renderComparison(a: CohortReport, b: CohortReport, names: readonly [string, string]): string {
  const rows: [string, string, string, string][] = [];
  const add = (label: string, x: number, y: number, digits = 1) => {
    const d = y - x;
    rows.push([label, num(x, digits), num(y, digits), `${d > 0 ? '+' : ''}${num(d, digits)}`]);
  };
  for (const phase of Object.keys(a.phasesReached))
    add(`reached ${phase}`, a.phasesReached[phase] ?? 0, b.phasesReached[phase] ?? 0);
  add('sessions completed', a.sessions.completed, b.sessions.completed);
  add('sessions postponed', a.sessions.postponed, b.sessions.postponed);
  add('sessions missed', a.sessions.missed, b.sessions.missed);
  for (const outcome of new Set([...Object.keys(a.sessions.checkIns), ...Object.keys(b.sessions.checkIns)]))
    add(`check-ins ${outcome}`, a.sessions.checkIns[outcome] ?? 0, b.sessions.checkIns[outcome] ?? 0);
  add('holds placed', a.holds.placed, b.holds.placed);
  add('refills filled', a.refills.filled, b.refills.filled);
  for (const reason of new Set([
    ...Object.keys(a.refills.gateRefusedByReason),
    ...Object.keys(b.refills.gateRefusedByReason),
  ]))
    add(
      `refill refused: ${reason}`,
      a.refills.gateRefusedByReason[reason] ?? 0,
      b.refills.gateRefusedByReason[reason] ?? 0,
    );
  add('clinician decisions', a.clinician.decisions, b.clinician.decisions);
  add('clinician decisions, busiest week', Math.max(0, ...a.clinician.perWeek), Math.max(0, ...b.clinician.perWeek));
  add('clinician hours to decide (median)', a.clinician.hoursToDecide.median, b.clinician.hoursToDecide.median);
  add('emails per patient', a.emails.perPatient, b.emails.perPatient);
  add('cost per patient-year (USD)', a.cost.perPatientYearUsd, b.cost.perPatientYearUsd, 4);
  add('invariant violations', a.invariants.violations, b.invariants.violations);
  return `# What-if: ${names[0]} vs ${names[1]}\n\nThe same cohort (${a.patients} patients, ${a.months} months, seed ${a.seed}) under protocol ${a.protocolVersion} and protocol ${b.protocolVersion}.\n\n${table(['', names[0], names[1], 'difference'], rows)}\n`;
}
