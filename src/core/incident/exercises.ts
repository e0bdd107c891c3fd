import { z } from 'zod';
import { INCIDENT_TYPES, RESPONDER_ROLES, type ResponderRole } from './playbooks.js';

/**
 * Tabletop exercise scenarios. Injects are released at an offset from the exercise start (or early by the
 * facilitator); each lists the decisions the facilitator expects to hear, which become the after-action review's
 * checklist of "what worked / what was missed".
 */

const ROLE_IDS = Object.keys(RESPONDER_ROLES) as [ResponderRole, ...ResponderRole[]];

export const InjectSchema = z.strictObject({
  id: z.string().regex(/^[a-z]+-i\d{2}$/, 'inject id must look like "th-i01"'),
  offsetMinutes: z.number().int().nonnegative(),
  title: z.string().min(3),
  text: z.string().min(10),
  /** Who the inject is addressed to in the room. */
  audience: z.array(z.enum(ROLE_IDS)).min(1),
  expectedDecisions: z.array(z.string().min(5)).min(1),
});

export const ScenarioSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  title: z.string().min(3),
  incidentType: z.enum(INCIDENT_TYPES),
  /** The playbook participants are expected to follow. */
  playbookId: z.string().min(1),
  durationMinutes: z.number().int().positive(),
  objectives: z.array(z.string().min(5)).min(1),
  participants: z.array(z.enum(ROLE_IDS)).min(1),
  injects: z.array(InjectSchema).min(1),
});

export type Inject = z.infer<typeof InjectSchema>;
export type Scenario = z.infer<typeof ScenarioSchema>;

/** Schema errors plus ordering and bounds that a schema cannot express. */
export function validateScenario(input: unknown): string[] {
  const parsed = ScenarioSchema.safeParse(input);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(scenario)'}: ${i.message}`);
  }
  const s = parsed.data;
  const problems: string[] = [];
  const ids = new Set<string>();
  s.injects.forEach((inj, i) => {
    if (ids.has(inj.id)) problems.push(`injects[${i}].id: duplicate inject id "${inj.id}"`);
    ids.add(inj.id);
    if (i > 0 && inj.offsetMinutes < s.injects[i - 1].offsetMinutes) {
      problems.push(
        `injects[${i}] (${inj.id}): offset ${inj.offsetMinutes} min is before the previous inject`,
      );
    }
    if (inj.offsetMinutes > s.durationMinutes) {
      problems.push(
        `injects[${i}] (${inj.id}): offset ${inj.offsetMinutes} min is after the end (${s.durationMinutes} min)`,
      );
    }
    for (const a of inj.audience) {
      if (!s.participants.includes(a))
        problems.push(`injects[${i}] (${inj.id}): audience "${a}" is not a participant`);
    }
  });
  return problems;
}

/** Injects due at `elapsedMinutes` of exercise time, given those already released by the facilitator. */
export function dueInjects(
  scenario: Scenario,
  elapsedMinutes: number,
  released: ReadonlySet<string> = new Set(),
): Inject[] {
  if (!Number.isFinite(elapsedMinutes) || elapsedMinutes < 0) {
    throw new RangeError(
      `elapsed exercise time must be a non-negative number of minutes, got ${elapsedMinutes}`,
    );
  }
  return scenario.injects.filter((i) => i.offsetMinutes <= elapsedMinutes && !released.has(i.id));
}

export const SHIPPED_SCENARIOS: Scenario[] = [
  {
    id: 'ransomware-city-hall',
    version: '1.0.0',
    title: 'Ransomware at City Hall',
    incidentType: 'ransomware',
    playbookId: 'ransomware',
    durationMinutes: 180,
    objectives: [
      'Practise declaring an incident and running the bridge out of band',
      'Keep 911 dispatch and utility billing working on fallbacks',
      'Meet notification deadlines (CIRCIA ransom payment, state breach laws)',
      'Decide on ransom contact with legal, insurance and leadership',
    ],
    participants: [
      'incident-lead',
      'security-analyst',
      'it-operations',
      'ciso',
      'legal-counsel',
      'communications',
      'executive',
      'privacy-officer',
    ],
    injects: [
      {
        id: 'rh-i01',
        offsetMinutes: 0,
        title: 'Monday 07:40: files will not open',
        text: 'The service desk receives twelve calls from the finance and permits departments: files on the shared drive have a new extension and a text file named README_RESTORE.txt appears in every folder.',
        audience: ['security-analyst', 'it-operations'],
        expectedDecisions: [
          'Treat as suspected ransomware and escalate to the incident lead',
          'Isolate affected hosts without powering them off',
        ],
      },
      {
        id: 'rh-i02',
        offsetMinutes: 20,
        title: 'The domain is affected',
        text: 'EDR shows the encryptor running from a domain admin account on 40 servers, including the backup server. The email system is slow and may be affected.',
        audience: ['incident-lead', 'it-operations', 'ciso'],
        expectedDecisions: [
          'Move coordination to an out-of-band channel',
          'Disconnect backup repositories',
          'Declare the incident and score severity',
        ],
      },
      {
        id: 'rh-i03',
        offsetMinutes: 45,
        title: 'Dispatch asks what to do',
        text: 'The 911 center reports that CAD is working but the records system and mapping layers on the file server are unavailable. Utility billing cannot print shut-off notices.',
        audience: ['executive', 'incident-lead'],
        expectedDecisions: [
          'Switch dispatch to documented manual procedures',
          'Suspend utility shut-offs while billing is down',
        ],
      },
      {
        id: 'rh-i04',
        offsetMinutes: 75,
        title: 'Leak-site listing',
        text: 'A reporter emails the communications office: the city appears on a ransomware group’s leak site with a sample of employee W-2 forms. The group demands payment within 72 hours.',
        audience: ['communications', 'legal-counsel', 'privacy-officer'],
        expectedDecisions: [
          'Record breach determination time and affected states',
          'Prepare a holding statement with counsel',
          'Notify law enforcement',
        ],
      },
      {
        id: 'rh-i05',
        offsetMinutes: 110,
        title: 'Insurance and payment question',
        text: 'The insurer’s breach coach asks whether the city wants a negotiator engaged. Council members call the city manager asking whether paying would be faster.',
        audience: ['executive', 'legal-counsel', 'ciso'],
        expectedDecisions: [
          'Check sanctions exposure before any contact',
          'Document the decision and its rationale',
          'Note that a payment starts a 24-hour CIRCIA report clock',
        ],
      },
      {
        id: 'rh-i06',
        offsetMinutes: 150,
        title: 'Restoration order',
        text: 'Clean backups from nine days ago are found on a tape set kept off site. Restoring everything will take two weeks.',
        audience: ['it-operations', 'executive'],
        expectedDecisions: [
          'Restore in service-priority order',
          'Scan backups before restore',
          'Plan resident communications on service availability',
        ],
      },
    ],
  },
  {
    id: 'water-plant-tampering',
    version: '1.0.0',
    title: 'Tampering at the water treatment plant',
    incidentType: 'ot-compromise',
    playbookId: 'ot-water-utility',
    durationMinutes: 150,
    objectives: [
      'Put water safety ahead of availability and forensics',
      'Coordinate plant operations, OT engineering, IT security and public health',
      'Decide on public notices with the health department',
    ],
    participants: [
      'incident-lead',
      'plant-operator',
      'ot-engineer',
      'security-analyst',
      'executive',
      'communications',
      'ciso',
    ],
    injects: [
      {
        id: 'wp-i01',
        offsetMinutes: 0,
        title: 'Saturday 02:10: the cursor moves',
        text: 'The night operator sees the HMI cursor move on its own and the sodium hydroxide set point change from 100 ppm to 11,100 ppm. The operator changes it back immediately.',
        audience: ['plant-operator'],
        expectedDecisions: [
          'Call the on-call supervisor and OT engineer',
          'Verify dosing in the field',
          'Preserve the HMI session evidence',
        ],
      },
      {
        id: 'wp-i02',
        offsetMinutes: 20,
        title: 'Remote access tool found',
        text: 'The OT engineer finds a remote-desktop tool installed on the HMI workstation with a shared password used by three vendors. The last connection came from an unknown IP address.',
        audience: ['ot-engineer', 'incident-lead'],
        expectedDecisions: [
          'Disable remote access to the control network',
          'Switch dosing to local manual control',
          'Declare an OT incident',
        ],
      },
      {
        id: 'wp-i03',
        offsetMinutes: 50,
        title: 'Is the water safe?',
        text: 'Grab samples show pH within limits at the clearwell, but one reservoir has not been sampled since the evening. The health department asks whether a notice is needed.',
        audience: ['plant-operator', 'executive', 'communications'],
        expectedDecisions: [
          'Sample the reservoir before deciding on a notice',
          'Agree notice wording with public health in advance',
        ],
      },
      {
        id: 'wp-i04',
        offsetMinutes: 80,
        title: 'Sector partners call',
        text: 'The state drinking-water program and the sector ISAC have heard rumours of similar activity at two neighbouring utilities and ask for indicators.',
        audience: ['security-analyst', 'ciso'],
        expectedDecisions: ['Share indicators under the right TLP', 'Report to CISA / the national CSIRT'],
      },
      {
        id: 'wp-i05',
        offsetMinutes: 110,
        title: 'PLC logic differs',
        text: 'Comparison of the running PLC program with the last backup shows a modified alarm threshold for the chlorine analyser.',
        audience: ['ot-engineer', 'plant-operator'],
        expectedDecisions: [
          'Reload logic from the verified offline backup',
          'Return stages to automatic control one at a time',
          'Increase sampling for several days',
        ],
      },
    ],
  },
];

/**
 * Exercise time at a real instant: the start plus the elapsed real time times the scale (exercise minutes per real
 * minute), frozen when the exercise ends; null before it starts.
 */
export function exerciseNow(
  ex: { startedAt: Date | null; endedAt: Date | null; timeScale: number },
  real: Date,
): Date | null {
  if (!ex.startedAt) return null;
  const until = ex.endedAt && ex.endedAt < real ? ex.endedAt : real;
  const elapsed = Math.max(0, until.getTime() - ex.startedAt.getTime());
  return new Date(ex.startedAt.getTime() + elapsed * ex.timeScale);
}
