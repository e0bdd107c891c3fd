import { createHash } from 'node:crypto';
import { SHIPPED_RULES } from '../../../core/clocks/index.js';
import {
  PHASES,
  type Phase,
  RESPONDER_ROLES,
  SHIPPED_PLAYBOOKS,
  SHIPPED_SCENARIOS,
  scoreSeverity,
  toSco,
} from '../../../core/incident/index.js';
import { SYSTEM_ACTOR } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import {
  type AffectedRef,
  exerciseInjects,
  exerciseReviewItems,
  incidentExercises,
} from '../../db/schema/incidents.js';
import type { SampleContext } from '../../sample/example-city.js';
import { assetsService } from '../assets/assets.service.js';
import { auditService } from '../audit/audit.service.js';
import { incidentsRepository as repo } from './incidents.repository.js';

const HOUR = 3600_000;

/**
 * The Example City's incident history: a closed ransomware incident at city hall and a completed tabletop
 * exercise. Dates are relative to the day the sample is loaded, so the history is always in the recent past.
 */
export async function loadIncidentsSample(tx: DbOrTx, s: SampleContext) {
  const orgId = s.orgIds.city;
  const day = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  // 09:14 UTC is 02:14 in Denver (MST) or 03:14 (MDT): the attack was noticed by the night shift.
  const t0 = new Date(day - 75 * 86_400_000 + 9 * HOUR + 14 * 60_000);
  const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
  const by = { actorId: s.adminUserId, actorLabel: 'Example City CISO (sample)' };

  const playbook = SHIPPED_PLAYBOOKS.find((p) => p.id === 'ransomware');
  if (!playbook) return;
  const severityInput = {
    functionalImpact: 'significant-impact-to-non-critical-services',
    informationImpact: 'privacy-data-breach',
    recoverability: 'supplemented',
    locationLevel: 3,
    crossSectorDependency: 'low',
    populationAffected: 3400,
  } as const;
  const sev = scoreSeverity(severityInput);
  const facts = {
    personalDataAffected: true,
    residentsAffectedByState: { CO: 3400 },
    ransomPaid: false,
    entityType: 'none',
  };

  // The permits service and its portal, as the assets sample put them in the city model.
  const affected = await modelRefs(tx, orgId, [
    ['service', 'Building permits'],
    ['system', 'Permits portal (Accela)'],
  ]);

  const inc = await repo.insert(tx, {
    orgId,
    title: 'Sample: ransomware on city hall file servers',
    summary:
      'Sample data. Akira-style ransomware encrypted two file servers and the permits database server after a ' +
      'VPN account without MFA was abused. Permit applicants’ records (names, addresses, driver licence numbers) ' +
      'were exfiltrated. Restored from immutable backups; no ransom paid.',
    type: 'ransomware',
    status: 'closed',
    tlp: 'amber',
    leadId: s.adminUserId,
    team: [s.adminUserId],
    attackTechniques: ['T1566.002', 'T1078', 'T1486', 'T1490'],
    affected,
    facts,
    timeZone: 'America/Denver',
    severityInput,
    severityScore: sev.score,
    severityLevel: sev.level.level,
    severityName: sev.level.name,
    severityExplanation: {
      contributions: sev.explanation,
      overrides: sev.overrides,
      meaning: sev.level.meaning,
    },
    playbookRef: playbook.id,
    playbookVersion: playbook.version,
    occurredAt: at(-31),
    detectedAt: t0,
    awarenessAt: t0,
    breachDeterminedAt: at(52),
    closedAt: at(24 * 21),
    createdBy: s.adminUserId,
    createdAt: t0,
  });

  // Hours after detection at which each phase was entered.
  const phaseAt: Record<Exclude<Phase, 'detected'>, number> = {
    triage: 0.4,
    containment: 3,
    eradication: 30,
    recovery: 60,
    'post-incident-review': 24 * 12,
    closed: 24 * 21,
  };
  const timeline: Parameters<typeof repo.insertTimeline>[1][number][] = [
    {
      orgId,
      incidentId: inc.id,
      kind: 'status',
      text: `Incident opened (detected) from playbook "${playbook.title}" v${playbook.version} with ${playbook.tasks.length} tasks`,
      occurredAt: t0,
      recordedAt: t0,
      ...by,
    },
  ];
  let from: Phase = 'detected';
  for (const to of PHASES.slice(1)) {
    const when = at(phaseAt[to as Exclude<Phase, 'detected'>]);
    await repo.insertTransition(tx, {
      orgId,
      incidentId: inc.id,
      fromStatus: from,
      toStatus: to,
      kind: 'forward',
      at: when,
      actorId: s.adminUserId,
    });
    timeline.push({
      orgId,
      incidentId: inc.id,
      kind: 'status',
      text: `Status ${from} → ${to}`,
      occurredAt: when,
      recordedAt: when,
      ...by,
    });
    from = to;
  }
  const notes: [number, string, number][] = [
    [
      -31,
      'Forensics: first VPN login from 198.51.100.23 with the account of a retired contractor (no MFA)',
      40,
    ],
    [0, 'Night-shift operator reports files renamed *.akira on FS01 and a ransom note on the desktop', 0.5],
    [2.5, 'Network team cut the VPN concentrator and isolated the city hall VLAN', 3],
    [26, 'Exfiltration of 14 GB to a cloud storage provider confirmed from firewall logs', 28],
    [52, 'City attorney determines a breach of personal information of 3,400 Colorado residents', 52.5],
    [100, 'FS01 and the permits database restored from immutable backups; integrity checks passed', 101],
    [24 * 12, 'After-action review held with IT, Legal, Communications and the City Manager', 24 * 12 + 2],
  ];
  for (const [h, text, rec] of notes) {
    timeline.push({
      orgId,
      incidentId: inc.id,
      kind: 'note',
      text,
      occurredAt: at(h),
      recordedAt: at(rec),
      ...by,
    });
  }

  await repo.insertTasks(
    tx,
    playbook.tasks.map((t, position) => {
      const done = at(
        Math.min(
          phaseAt[t.phase === 'detected' ? 'triage' : (t.phase as Exclude<Phase, 'detected'>)],
          24 * 20,
        ),
      );
      return {
        orgId,
        incidentId: inc.id,
        position,
        playbookTaskId: t.id,
        title: t.title,
        description: t.description,
        phase: t.phase,
        csf: t.csf,
        role: t.role,
        assigneeId: s.adminUserId,
        status: 'done' as const,
        checklist: t.checklist.map((text) => ({ text, done: true })),
        completedAt: done,
        createdAt: t0,
        updatedAt: done,
      };
    }),
  );

  // Colorado residents and attorney general were told within the 30-day window.
  for (const ruleId of ['us-co-residents', 'us-co-attorney-general']) {
    if (!SHIPPED_RULES.some((r) => r.id === ruleId)) continue;
    const sentAt = at(24 * 18);
    await repo.insertNotification(tx, {
      orgId,
      incidentId: inc.id,
      ruleId,
      sentAt,
      reference: 'Sample letter batch 2',
      actorId: s.adminUserId,
    });
    timeline.push({
      orgId,
      incidentId: inc.id,
      kind: 'clock',
      text: `Notification sent: ${ruleId}`,
      ref: ruleId,
      occurredAt: sentAt,
      recordedAt: sentAt,
      ...by,
    });
  }

  for (const c of [
    {
      h: 4,
      direction: 'outbound',
      channel: 'phone',
      contactName: 'FBI Denver field office (sample)',
      contactRole: 'law-enforcement',
      summary: 'Reported the attack; IC3 complaint filed',
    },
    {
      h: 5,
      direction: 'outbound',
      channel: 'email',
      contactName: 'Cyber insurer claims desk (sample)',
      contactRole: 'insurer',
      summary: 'Notice of claim; breach coach assigned',
    },
    {
      h: 30,
      direction: 'outbound',
      channel: 'press release',
      contactName: 'Residents and local media',
      contactRole: 'public',
      summary: 'Permits portal offline; no evidence of payment data affected',
    },
  ] as const) {
    const row = await repo.insertCommunication(tx, {
      orgId,
      incidentId: inc.id,
      ...c,
      occurredAt: at(c.h),
      recordedAt: at(c.h + 0.2),
      actorId: s.adminUserId,
    });
    timeline.push({
      orgId,
      incidentId: inc.id,
      kind: 'communication',
      text: `${c.direction} ${c.channel} with ${c.contactName}: ${c.summary}`,
      ref: row.id,
      occurredAt: row.occurredAt,
      recordedAt: row.recordedAt,
      ...by,
    });
  }

  const log = Buffer.from(
    '# Sample data: firewall export\n' +
      `${at(-31).toISOString()} ALLOW vpn-gw 198.51.100.23 user=ext-contractor07\n` +
      `${at(26).toISOString()} ALLOW fs01 -> 203.0.113.80:443 bytes=14981223301\n`,
  );
  const sha256 = createHash('sha256').update(log).digest('hex');
  const ev = await repo.insertEvidence(tx, {
    orgId,
    incidentId: inc.id,
    fileName: 'firewall-export.log',
    contentType: 'text/plain',
    size: log.length,
    sha256,
    description: 'Sample data: VPN and egress firewall log lines',
    content: log,
    custodian: 'Example City CISO (sample)',
    uploadedBy: s.adminUserId,
    uploadedAt: at(27),
  });
  await repo.insertCustody(tx, {
    orgId,
    evidenceId: ev.id,
    action: 'uploaded',
    note: `sha256 ${sha256}`,
    at: at(27),
    ...by,
  });
  timeline.push({
    orgId,
    incidentId: inc.id,
    kind: 'evidence',
    text: 'Evidence added: firewall-export.log',
    ref: ev.id,
    occurredAt: at(27),
    recordedAt: at(27),
    ...by,
  });
  // What the firewall log showed: the encrypting host calling out to the address of a known C2 indicator.
  for (const [input, note, hours] of [
    [
      { type: 'ipv4-addr', value: '203.0.113.45' },
      'Outbound connections from the permits server during encryption',
      2,
    ],
    [
      { type: 'domain-name', value: 'invoices-example-city.example' },
      'Link in the phishing mail that preceded the VPN login',
      1,
    ],
  ] as const) {
    const { sco, value } = toSco(input);
    const o = await repo.insertObservable(tx, {
      orgId,
      incidentId: inc.id,
      type: input.type,
      value,
      stixId: sco.id as string,
      object: sco,
      note,
      seenAt: at(hours),
      createdBy: s.adminUserId,
      createdAt: at(27),
    });
    timeline.push({
      orgId,
      incidentId: inc.id,
      kind: 'observable',
      text: `Observable added: ${o.type} ${o.value}`,
      ref: o.id,
      occurredAt: at(hours),
      recordedAt: at(27),
      ...by,
    });
  }
  await repo.insertTimeline(tx, timeline);

  await loadExercise(tx, s, new Date(day - 20 * 86_400_000 + 15 * HOUR));
  await loadOpenIncident(tx, s);
  await auditService.record(
    tx,
    { actor: SYSTEM_ACTOR },
    {
      orgId,
      action: 'incident.create.sample',
      targetType: 'incident',
      targetId: inc.id,
      after: { title: inc.title },
    },
  );
}

/** A completed tabletop run of the shipped city-hall ransomware scenario, in exercise mode. */

/** Services and systems of the sample city model, by name, as an incident refers to them. */
async function modelRefs(
  tx: DbOrTx,
  orgId: string,
  wanted: readonly (readonly ['service' | 'system', string])[],
): Promise<AffectedRef[]> {
  const model = await assetsService.loadGraph(tx, orgId);
  const refs: AffectedRef[] = [];
  for (const [kind, name] of wanted) {
    const map = kind === 'service' ? model.services : model.systems;
    const found = [...map.values()].find((x) => x.name === name);
    if (found) refs.push({ kind, ref: found.id, name: found.name });
  }
  return refs;
}
async function loadExercise(tx: DbOrTx, s: SampleContext, start: Date) {
  const scenario = SHIPPED_SCENARIOS.find((x) => x.id === 'ransomware-city-hall');
  if (!scenario) return;
  const orgId = s.orgIds.city;
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
  const end = at(scenario.durationMinutes);
  const by = { actorId: s.adminUserId, actorLabel: 'Exercise facilitator (sample)' };
  const inc = await repo.insert(tx, {
    orgId,
    title: `Sample exercise: ${scenario.title}`,
    summary: `Sample data. Tabletop exercise, scenario "${scenario.title}" v${scenario.version}. Objectives: ${scenario.objectives.join('; ')}`,
    type: scenario.incidentType,
    status: 'closed',
    tlp: 'green',
    exercise: true,
    leadId: s.adminUserId,
    team: [s.adminUserId],
    facts: {},
    timeZone: 'America/Denver',
    playbookRef: scenario.playbookId,
    playbookVersion: SHIPPED_PLAYBOOKS.find((p) => p.id === scenario.playbookId)?.version ?? null,
    detectedAt: start,
    awarenessAt: start,
    closedAt: end,
    createdBy: s.adminUserId,
    createdAt: start,
  });
  const timeline: Parameters<typeof repo.insertTimeline>[1][number][] = [
    {
      orgId,
      incidentId: inc.id,
      kind: 'status',
      text: 'Exercise incident opened (detected)',
      occurredAt: start,
      recordedAt: start,
      ...by,
    },
  ];
  for (const inj of scenario.injects) {
    timeline.push({
      orgId,
      incidentId: inc.id,
      kind: 'inject',
      text: `Inject ${inj.id} released: ${inj.title}`,
      ref: inj.id,
      occurredAt: at(inj.offsetMinutes),
      recordedAt: at(inj.offsetMinutes),
      ...by,
    });
    timeline.push({
      orgId,
      incidentId: inc.id,
      kind: 'note',
      text: `Decisions heard: ${inj.expectedDecisions.join('; ')}`,
      occurredAt: at(inj.offsetMinutes + 10),
      recordedAt: at(inj.offsetMinutes + 12),
      ...by,
    });
  }
  await repo.insertTransition(tx, {
    orgId,
    incidentId: inc.id,
    fromStatus: 'detected',
    toStatus: 'closed',
    kind: 'allowed-skip',
    reason: 'Tabletop exercise ended',
    at: end,
    actorId: s.adminUserId,
  });
  timeline.push({
    orgId,
    incidentId: inc.id,
    kind: 'status',
    text: 'Status detected → closed: tabletop exercise ended',
    occurredAt: end,
    recordedAt: end,
    ...by,
  });
  timeline.push({
    orgId,
    incidentId: inc.id,
    kind: 'note',
    text: 'After-action: worked — isolation decision within 20 minutes, legal engaged early. Gaps — no offline copy of the call tree; backup restore order undefined for 911 CAD interfaces.',
    occurredAt: end,
    recordedAt: at(scenario.durationMinutes + 30),
    ...by,
  });
  await repo.insertTimeline(tx, timeline);

  // The exercise record: run in real time, every inject released on schedule, and its after-action report.
  await tx.insert(incidentExercises).values({
    incidentId: inc.id,
    orgId,
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    scenario,
    facilitatorId: s.adminUserId,
    participants: scenario.participants.map((role) => ({
      name: RESPONDER_ROLES[role].name,
      role,
      userId: null,
    })),
    timeScale: 1,
    startedAt: start,
    endedAt: end,
    createdAt: start,
  });
  await tx.insert(exerciseInjects).values(
    scenario.injects.map((inj) => ({
      orgId,
      incidentId: inc.id,
      injectId: inj.id,
      mode: 'schedule' as const,
      releasedAt: at(inj.offsetMinutes),
      exerciseMinute: inj.offsetMinutes,
      releasedBy: null,
    })),
  );
  const afterEnd = at(scenario.durationMinutes + 30);
  type Item = Omit<typeof exerciseReviewItems.$inferInsert, 'orgId' | 'incidentId'>;
  const review: Item[] = [
    { kind: 'worked', text: 'Isolation of the file servers decided within 20 minutes' },
    { kind: 'worked', text: 'Legal counsel and the insurer engaged in the first hour' },
    { kind: 'gap', text: 'No offline copy of the call tree: the bridge could not be reached without email' },
    { kind: 'gap', text: 'Backup restore order undefined for the 911 CAD interfaces' },
    { kind: 'decision', text: 'No contact with the extortionists before counsel and leadership agree' },
    {
      kind: 'action',
      text: 'Print the call tree and keep copies at the EOC and with each duty officer',
      assigneeId: s.adminUserId,
      dueAt: at(60 * 24 * 7),
      status: 'done',
      completedAt: at(60 * 24 * 5),
    },
    {
      kind: 'action',
      text: 'Write and test the restore order for 911 CAD and its interfaces',
      assigneeId: s.adminUserId,
      dueAt: new Date(start.getTime() + 45 * 86_400_000),
      status: 'in-progress',
    },
  ];
  await tx
    .insert(exerciseReviewItems)
    .values(
      review.map((r) => ({ orgId, incidentId: inc.id, createdAt: afterEnd, updatedAt: afterEnd, ...r })),
    );
}

/**
 * An incident still in containment, so the dashboard has a running notification clock: a payroll mailbox taken
 * over two days before the sample is loaded; the breach of 800 Colorado residents' data was determined a day later.
 */
async function loadOpenIncident(tx: DbOrTx, s: SampleContext) {
  const playbook = SHIPPED_PLAYBOOKS.find((p) => p.id === 'account-compromise');
  if (!playbook) return;
  const orgId = s.orgIds.city;
  const detected = new Date(Date.now() - 46 * HOUR);
  const at = (hours: number) => new Date(detected.getTime() + hours * HOUR);
  const inc = await repo.insert(tx, {
    orgId,
    title: 'Sample: payroll mailbox taken over',
    summary:
      'Sample data. A payroll clerk approved a fraudulent MFA prompt; the attacker read the mailbox for a day and ' +
      'forwarded employees’ W-2 forms. Sessions revoked, forwarding rule removed; the investigation continues.',
    type: 'account-compromise',
    status: 'containment',
    tlp: 'amber',
    leadId: s.adminUserId,
    team: [s.adminUserId],
    attackTechniques: ['T1566.002', 'T1078.002', 'T1114', 'T1534'],
    affected: await modelRefs(tx, orgId, [['system', 'Email (Exchange)']]),
    facts: {
      personalDataAffected: true,
      residentsAffectedByState: { CO: 800 },
      ransomPaid: false,
      entityType: 'none',
    },
    timeZone: 'America/Denver',
    playbookRef: playbook.id,
    playbookVersion: playbook.version,
    occurredAt: at(-20),
    detectedAt: detected,
    awarenessAt: detected,
    breachDeterminedAt: at(22),
    createdBy: s.adminUserId,
    createdAt: detected,
  });
  const by = { actorId: s.adminUserId, actorLabel: 'Example City CISO (sample)' };
  const steps: [Phase, Phase, number][] = [
    ['detected', 'triage', 0.5],
    ['triage', 'containment', 2],
  ];
  for (const [from, to, h] of steps) {
    await repo.insertTransition(tx, {
      orgId,
      incidentId: inc.id,
      fromStatus: from,
      toStatus: to,
      kind: 'forward',
      at: at(h),
      actorId: s.adminUserId,
    });
  }
  await repo.insertTimeline(tx, [
    {
      orgId,
      incidentId: inc.id,
      kind: 'status',
      text: `Incident opened (detected) from playbook "${playbook.title}" v${playbook.version}`,
      occurredAt: detected,
      recordedAt: detected,
      ...by,
    },
    ...steps.map(([from, to, h]) => ({
      orgId,
      incidentId: inc.id,
      kind: 'status',
      text: `Status ${from} → ${to}`,
      occurredAt: at(h),
      recordedAt: at(h),
      ...by,
    })),
    {
      orgId,
      incidentId: inc.id,
      kind: 'note',
      text: 'City attorney determines a breach of personal information of 800 Colorado residents',
      occurredAt: at(22),
      recordedAt: at(22.5),
      ...by,
    },
  ]);
}
