import { isStepPurpose, purposeSpecs } from '../../functions/links/purposes.ts';
import type { ConsoleData, ExecutionView } from './console-data.ts';
import {
  formatClockTime,
  formatQuantity,
  formatRelative,
  formatSpan,
  formatUsd,
  formatWhen,
} from './console-format.ts';
import type { TimelineStep } from './execution-timeline.ts';
import { escapeHtml as e } from './html-escape.ts';
import type { PendingLink } from './pending-links.ts';

/**
 * The console at `/`: one server-rendered page, no script and nothing loaded from elsewhere. The clock
 * buttons are plain forms that POST to /_local/clock and come back here.
 */
export function renderConsolePage(data: ConsoleData): string {
  const zone = data.clinic.defaultTimeZone;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(data.clinic.clinicName)} · Care Journeys local console</title>
<link rel="stylesheet" href="/_local/console.css">
<link rel="icon" href="data:,">
</head>
<body>
<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true">◐</span> Care Journeys <span class="tag">local</span></div>
  <div class="clinic">${e(data.clinic.clinicName)}</div>
  <nav><a href="/">Refresh</a><a href="${e(data.urls.sesViewer)}">Mail viewer ↗</a><a href="/_local/usage">Usage JSON</a></nav>
</header>
<main>
  <div class="row">
    ${clockPanel(data, zone)}
    ${costPanel(data)}
  </div>
  ${executionsPanel(data, zone)}
  <div class="row">
    ${pendingLinksPanel(data, zone)}
    ${emailsPanel(data, zone)}
  </div>
  ${servicesPanel(data)}
</main>
<footer>Everything here runs on this machine: no AWS account, no email leaves it. Times are the virtual clock's, shown in ${e(zone)}.</footer>
</body>
</html>`;
}

function clockPanel(data: ConsoleData, zone: string): string {
  const shown = formatClockTime(data.now, zone);
  const button = (seconds: number, label: string) =>
    `<form method="post" action="/_local/clock"><input type="hidden" name="advanceSeconds" value="${seconds}"><button type="submit">+ ${label}</button></form>`;
  return `<section class="card clock" aria-labelledby="clock-title">
    <h2 id="clock-title">Virtual clock</h2>
    <p class="time">${e(shown.time)} <span class="zone">${e(shown.zone)}</span></p>
    <p class="day">${e(shown.day)}</p>
    <p class="muted mono">${e(data.now.toISOString())}</p>
    <div class="buttons">${button(3600, '1 hour')}${button(86_400, '1 day')}${button(604_800, '1 week')}</div>
    <p class="muted small">${data.speed > 0 ? `Also running on its own at ${e(data.speed)}× real time.` : 'It moves only when advanced; every timer that falls due fires before the page comes back.'}</p>
  </section>`;
}

function costPanel(data: ConsoleData): string {
  const cost = data.usage.estimatedCost;
  const rows = cost.lines
    .map(
      (line) =>
        `<tr><td>${e(line.service)}</td><td class="num">${e(formatQuantity(line.quantity))} <span class="muted">${e(line.unit)}</span></td><td class="num">${e(formatUsd(line.usd))}</td></tr>`,
    )
    .join('');
  return `<section class="card cost" aria-labelledby="cost-title">
    <h2 id="cost-title">Estimated AWS cost so far</h2>
    <p class="total">${e(formatUsd(cost.totalUsd))}</p>
    <table><thead><tr><th>Service</th><th class="num">Used</th><th class="num">Cost</th></tr></thead><tbody>${rows}</tbody></table>
    <p class="muted small">List prices for ${e(cost.region)} as of ${e(cost.pricesAsOf)}, on-demand, free tiers left out.</p>
  </section>`;
}

function executionsPanel(data: ConsoleData, zone: string): string {
  const running = data.executions.filter((x) => x.status === 'RUNNING').length;
  const body =
    data.executions.length === 0
      ? `<p class="empty">No executions yet. Enrol a patient through the staff API (<span class="mono">POST ${e(data.urls.app)}/staff/…</span>) and watch the journey start here.</p>`
      : data.executions.map((execution) => executionView(execution, data.now, zone)).join('');
  const more =
    data.executionsNotShown > 0
      ? `<p class="muted small">${data.executionsNotShown} older executions not shown.</p>`
      : '';
  return `<section class="card" aria-labelledby="executions-title">
    <h2 id="executions-title">Executions <span class="count">${data.executions.length + data.executionsNotShown}</span>${running > 0 ? ` <span class="badge RUNNING">${running} running</span>` : ''}</h2>
    ${body}${more}
  </section>`;
}

function executionView(execution: ExecutionView, now: Date, zone: string): string {
  const current = execution.steps.findLast((step) => step.status === 'running');
  const summary =
    current !== undefined
      ? `at <strong>${e(current.name)}</strong>${current.waitingFor !== undefined ? `, waiting for ${e(current.waitingFor)}` : ''}`
      : `${execution.steps.length} states`;
  const usage =
    execution.usage !== undefined
      ? `<span class="muted small">${e(formatQuantity(execution.usage.stateTransitions))} transitions · ${e(formatQuantity(execution.usage.lambdaInvocations))} invocations</span>`
      : '';
  const shownSteps = execution.steps.slice(-60);
  const hidden = execution.steps.length - shownSteps.length;
  return `<details class="execution"${execution.status === 'RUNNING' ? ' open' : ''}>
    <summary>
      <span class="badge ${e(execution.status)}">${e(execution.status)}</span>
      <span class="name mono">${e(execution.name)}</span>
      <span class="machine">${e(execution.stateMachineName)}</span>
      <span class="where">${summary}</span>
      <span class="when" title="${e(execution.startedAt?.toISOString())}">started ${e(formatRelative(execution.startedAt, now))}</span>
      ${usage}
    </summary>
    ${hidden > 0 ? `<p class="muted small">${hidden} earlier states not shown.</p>` : ''}
    <ol class="timeline">${shownSteps.map((step) => timelineStep(step, now, zone)).join('')}</ol>
  </details>`;
}

function timelineStep(step: TimelineStep, now: Date, zone: string): string {
  const end = step.exitedAt ?? (step.status === 'running' ? now : undefined);
  const took =
    step.enteredAt !== undefined && end !== undefined ? formatSpan(end.getTime() - step.enteredAt.getTime()) : '';
  const detail =
    step.status === 'running'
      ? `<span class="waiting">${step.waitingFor !== undefined ? `waiting for ${e(step.waitingFor)}` : 'running'} · ${e(took)}</span>`
      : `<span class="muted">${e(took)}</span>`;
  return `<li class="step ${e(step.status)}">
      <span class="dot" aria-hidden="true"></span>
      <time datetime="${e(step.enteredAt?.toISOString())}">${e(formatWhen(step.enteredAt, zone))}</time>
      <span class="state">${e(step.name)}</span> <span class="kind">${e(step.kind)}</span>
      ${detail}
      ${step.error !== undefined ? `<span class="error">${e(step.error)}</span>` : ''}
    </li>`;
}

/** "consult-booking" → "consult booking", with the answers its page can give (functions/links/purposes.ts) */
function purposeLabel(purpose: string): string {
  const words = purpose.replace(/-/g, ' ');
  return isStepPurpose(purpose) ? `${words} (${purposeSpecs[purpose].decisions.join(' / ').toLowerCase()})` : words;
}

function pendingLinksPanel(data: ConsoleData, zone: string): string {
  const result = data.pendingLinks;
  let body: string;
  if (!result.available) {
    body = `<p class="empty">Pending links cannot be shown: ${e(result.reason)}.</p>`;
  } else if (result.links.length === 0) {
    body = '<p class="empty">Nobody has a link waiting.</p>';
  } else {
    body = `<table><thead><tr><th>Who</th><th>Waiting for</th><th>Patient</th><th>Expires</th></tr></thead><tbody>${result.links.map((link) => pendingLinkRow(link, data, zone)).join('')}</tbody></table>`;
  }
  return `<section class="card" aria-labelledby="links-title">
    <h2 id="links-title">Pending links <span class="count">${result.available ? result.links.length : '–'}</span></h2>
    ${body}
  </section>`;
}

function pendingLinkRow(link: PendingLink, data: ConsoleData, zone: string): string {
  const clinician = data.clinic.clinicians.find((c) => c.id === link.personId);
  const who = link.personKind === 'clinician' ? (clinician?.name ?? link.personId) : `patient ${link.personId}`;
  const expired = link.expiresAt !== undefined && link.expiresAt.getTime() <= data.now.getTime();
  return `<tr${expired ? ' class="expired"' : ''}><td>${e(who)}</td><td>${e(purposeLabel(link.purpose))}${link.stepKey !== undefined ? `<br><span class="muted small mono">${e(link.stepKey)}</span>` : ''}</td><td class="mono">${e(link.patientId)}</td><td title="${e(formatWhen(link.expiresAt, zone))}">${e(formatRelative(link.expiresAt, data.now))}</td></tr>`;
}

function emailsPanel(data: ConsoleData, zone: string): string {
  const recent = [...data.emails].reverse().slice(0, 12);
  const body =
    recent.length === 0
      ? '<p class="empty">No email sent yet.</p>'
      : `<ul class="emails">${recent
          .map(
            (email) =>
              `<li><span class="subject">${e(email.subject)}</span><span class="muted small">to ${e(email.to.join(', '))} · ${e(formatWhen(email.date, zone))} (real time)</span></li>`,
          )
          .join('')}</ul>`;
  return `<section class="card" aria-labelledby="emails-title">
    <h2 id="emails-title">Emails <span class="count">${data.emails.length}</span></h2>
    ${body}
    <p><a class="button-link" href="${e(data.urls.sesViewer)}">Open the mail viewer ↗</a></p>
  </section>`;
}

function servicesPanel(data: ConsoleData): string {
  const services = [
    ['Console and app routes', data.urls.app],
    ['Step Functions', data.urls.sfn],
    ['DynamoDB Local', data.urls.dynamodb],
    ['SES', data.urls.ses],
  ];
  return `<section class="card services" aria-labelledby="services-title">
    <h2 id="services-title">Services</h2>
    <dl>${services.map(([name, url]) => `<dt>${e(name)}</dt><dd class="mono">${e(url)}</dd>`).join('')}</dl>
    <h3>State machines</h3>
    <ul class="machines">${data.stateMachines.map((m) => `<li class="mono" title="${e(m.arn)}">${e(m.name)}</li>`).join('') || '<li class="muted">none</li>'}</ul>
  </section>`;
}
