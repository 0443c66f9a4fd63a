import { describe, expect, it } from 'vitest';
import { defaultProtocol } from '../functions/domain/protocol.ts';
import { judgeRecovery } from '../functions/domain/recovery-check.ts';

describe('the check after the session hour', () => {
  it.each([
    { report: { recovered: true, symptoms: [] }, decision: 'RECOVERED', hold: null, alert: false },
    { report: { recovered: false, symptoms: [] }, decision: 'NOT_RECOVERED', hold: null, alert: true },
    { report: { recovered: true, symptoms: ['nausea'] }, decision: 'RECOVERED', hold: null, alert: true },
    {
      report: { recovered: false, symptoms: ['dizziness', 'sedation'] },
      decision: 'NOT_RECOVERED',
      hold: null,
      alert: true,
    },
    {
      report: { recovered: true, symptoms: ['chest-pain'] },
      decision: 'NOT_RECOVERED',
      hold: 'severe-side-effect',
      alert: false,
    },
    {
      report: { recovered: false, symptoms: ['severe-headache'] },
      decision: 'NOT_RECOVERED',
      hold: 'severe-side-effect',
      alert: false,
    },
    {
      report: { recovered: true, symptoms: ['suicidal-thoughts'] },
      decision: 'NOT_RECOVERED',
      hold: 'suicidal-ideation',
      alert: false,
    },
  ] as const)('$report → $decision (hold: $hold, same-day alert: $alert)', ({ report, decision, hold, alert }) => {
    const judged = judgeRecovery({ recovered: report.recovered, symptoms: [...report.symptoms] }, defaultProtocol);
    expect([judged.decision, judged.hold?.kind ?? null, judged.alertMessage !== null]).toEqual([decision, hold, alert]);
    expect(judged.protocolVersion).toBe(defaultProtocol.version);
    expect(judged.reasons.length).toBeGreaterThan(0);
  });

  it('thoughts of self-harm show crisis resources on the page; nothing else does', () => {
    expect(judgeRecovery({ recovered: true, symptoms: ['suicidal-thoughts'] }, defaultProtocol).crisisResources).toBe(
      true,
    );
    expect(judgeRecovery({ recovered: false, symptoms: ['chest-pain'] }, defaultProtocol).crisisResources).toBe(false);
  });
});
