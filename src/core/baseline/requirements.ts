import type { CpgGoalId } from './cpg.js';
import type { Csf2SubcategoryId, CsfFunctionId } from './csf2.js';

export type Tier = 'foundational' | 'intermediate' | 'advanced';
export const TIERS: readonly Tier[] = ['foundational', 'intermediate', 'advanced'];

/** NIST OLIR relationship of a requirement (the source) to a reference element (the target). */
export type OlirRelationship = 'subset-of' | 'intersects-with' | 'equal-to' | 'superset-of';

export type OtDomain = 'water' | 'transit';

export interface RequirementParam {
  id: string;
  label: string;
  guideline: string;
}

export interface BaselineRequirement {
  id: string;
  function: CsfFunctionId;
  title: string;
  /** What must be true, in Citywall's own words. Parameters appear as `{{ insert: param, id }}`. */
  statement: string;
  /** Why it matters to a city, with concrete examples. */
  guidance: string;
  /** A realistic first step for a small town with one IT person or a managed service provider. */
  startingPoint: string;
  tier: Tier;
  /** Operational technology this requirement is specifically about; empty for IT-wide requirements. */
  ot: OtDomain[];
  csf: Partial<Record<Csf2SubcategoryId, OlirRelationship>>;
  /** CISA CPG goal ids, version 1.0.1 (see `CPG_VERSION`). */
  cpg: CpgGoalId[];
  params?: RequirementParam[];
}

export const BASELINE_VERSION = '1.0.0';

export const CITY_BASELINE_REQUIREMENTS: readonly BaselineRequirement[] = [
  // --- GOVERN ---------------------------------------------------------------------------------------------
  {
    id: 'CWB-GV-01',
    function: 'GV',
    title: 'One accountable cybersecurity lead',
    statement:
      'The city names one person who is accountable for cybersecurity across all departments, gives that person the authority to halt risky changes, and has them report to the chief executive at least quarterly.',
    guidance:
      'When ransomware hits, the first hours are lost to the question “who decides?”. In a city the answer is rarely obvious: IT, the utility, police and the clerk each run their own systems. A named lead with a direct line to the manager or mayor decides fast, owns the budget request and speaks for the city to insurers and the state.',
    startingPoint:
      'Add the role to the IT manager’s job description (or the contract of the managed service provider) by a one-page memo signed by the city manager.',
    tier: 'foundational',
    ot: [],
    csf: { 'GV.RR-01': 'subset-of', 'GV.RR-02': 'intersects-with', 'GV.RR-03': 'intersects-with' },
    cpg: ['1.B'],
  },
  {
    id: 'CWB-GV-02',
    function: 'GV',
    title: 'A short security policy adopted by leadership',
    statement:
      'The city keeps a written cybersecurity policy that leadership has adopted, that applies to every department and contractor, and that is reviewed at least yearly and after every major incident.',
    guidance:
      'Departments follow what the council or manager has formally adopted, not what IT recommends. A policy of a few pages that states the rules (MFA, backups, reporting incidents, approved software) gives IT the standing to enforce them and gives auditors and insurers something to check.',
    startingPoint:
      'Adapt a state or MS-ISAC template to five pages and put it on the council consent agenda.',
    tier: 'foundational',
    ot: [],
    csf: { 'GV.PO-01': 'subset-of', 'GV.PO-02': 'subset-of' },
    cpg: [],
  },
  {
    id: 'CWB-GV-03',
    function: 'GV',
    title: 'Services that must not fail are known',
    statement:
      'The city lists the services residents depend on, ranks them, and records for each the systems, people and suppliers it needs and how long it can be down before harm occurs.',
    guidance:
      'Water treatment, 911 dispatch, transit operations, payroll and utility billing do not have equal urgency. Writing down that drinking water tolerates hours while permit applications tolerate weeks tells everyone where money and recovery effort go first, and it is the input to every later requirement.',
    startingPoint:
      'Hold one meeting with department heads and fill a one-page table: service, owner, key systems, maximum outage.',
    tier: 'foundational',
    ot: [],
    csf: {
      'GV.OC-01': 'intersects-with',
      'GV.OC-04': 'subset-of',
      'GV.OC-05': 'subset-of',
      'ID.AM-05': 'intersects-with',
    },
    cpg: [],
  },
  {
    id: 'CWB-GV-04',
    function: 'GV',
    title: 'Legal and reporting obligations are recorded',
    statement:
      'The city keeps a register of the laws, regulations and contracts that impose cybersecurity or breach-notification duties on it, with the deadline and recipient of each notification.',
    guidance:
      'A single city can be bound by state breach laws, criminal justice information rules for police, health privacy rules for EMS, card-payment rules for the utility cashier and drinking water resilience rules. Knowing the deadlines before an incident avoids missed notifications and fines.',
    startingPoint: 'Ask the city attorney to review a one-page list drafted by the cybersecurity lead.',
    tier: 'intermediate',
    ot: [],
    csf: { 'GV.OC-03': 'subset-of' },
    cpg: [],
  },
  {
    id: 'CWB-GV-05',
    function: 'GV',
    title: 'Cyber risks are registered and owned',
    statement:
      'The city records its cybersecurity risks in a register with an owner, a rating by one agreed method and a chosen response, and leadership reviews the register and states how much risk it accepts.',
    guidance:
      'Without a register, risks live in one person’s head and leave with them. A shared method (for example likelihood × impact on the services of CWB-GV-03) lets a council compare an unsupported SCADA server with a missing backup and fund the worse one first.',
    startingPoint:
      'Start with the ten biggest risks in a spreadsheet and review it at a quarterly management meeting.',
    tier: 'intermediate',
    ot: [],
    csf: {
      'GV.RM-01': 'intersects-with',
      'GV.RM-02': 'subset-of',
      'GV.RM-03': 'intersects-with',
      'GV.RM-06': 'subset-of',
      'ID.RA-05': 'intersects-with',
      'ID.RA-06': 'intersects-with',
    },
    cpg: [],
  },
  {
    id: 'CWB-GV-06',
    function: 'GV',
    title: 'Critical suppliers are known and reachable',
    statement:
      'The city keeps a list of the suppliers its critical services depend on (managed service provider, software and cloud vendors, SCADA integrators, payment processors), ranked by criticality, with contract owner and an emergency contact that works outside office hours.',
    guidance:
      'Many city incidents start at, or need help from, a supplier: a compromised remote-support tool at the MSP, a hosted utility-billing system, the integrator that alone holds the PLC passwords. During an incident the after-hours number is worth more than the contract.',
    startingPoint:
      'Pull the list from accounts payable, keep the top fifteen, and call each to confirm the emergency contact.',
    tier: 'foundational',
    ot: [],
    csf: { 'GV.SC-04': 'subset-of', 'ID.AM-04': 'subset-of' },
    cpg: [],
  },
  {
    id: 'CWB-GV-07',
    function: 'GV',
    title: 'Security terms in supplier contracts',
    statement:
      'New and renewed contracts for systems or services that handle city data or operate city infrastructure require the supplier to notify the city of incidents and vulnerabilities affecting it within an agreed time, to use MFA for access to city systems, and to return or destroy city data at the end of the contract.',
    guidance:
      'A city’s leverage over a supplier is greatest when the contract is signed. Standard clauses, reused by purchasing for every IT and OT contract, close the most common gaps: late incident notice, shared vendor passwords, and data left behind after a change of supplier.',
    startingPoint:
      'Ask purchasing to attach a one-page security addendum to every IT contract renewal from now on.',
    tier: 'intermediate',
    ot: [],
    csf: {
      'GV.SC-02': 'intersects-with',
      'GV.SC-05': 'subset-of',
      'GV.SC-10': 'subset-of',
      'GV.SC-08': 'intersects-with',
    },
    cpg: ['1.G', '1.H', '1.I'],
  },
  {
    id: 'CWB-GV-08',
    function: 'GV',
    title: 'Security in hiring, moving and leaving',
    statement:
      'Human resources notifies IT of every hire, role change and departure before it takes effect, new staff accept the acceptable-use rules, and roles with privileged or OT access have a background check appropriate to the role.',
    guidance:
      'Seasonal staff, elected officials and volunteers come and go on a municipal calendar. When HR and IT do not talk, accounts of former employees stay active for months; several public-sector breaches began with exactly such an account.',
    startingPoint: 'Add an “IT notified” checkbox to the HR onboarding and offboarding forms.',
    tier: 'intermediate',
    ot: [],
    csf: { 'GV.RR-04': 'subset-of' },
    cpg: ['2.D'],
  },
  {
    id: 'CWB-GV-09',
    function: 'GV',
    title: 'IT and operations share responsibility for OT',
    statement:
      'The city names a person responsible for the cybersecurity of operational technology in water, wastewater and transit, and that person and the cybersecurity lead meet at least quarterly to agree on changes, risks and incident roles.',
    guidance:
      'Plant operators know the process, IT knows the threats, and each tends to assume the other handles security. Treatment plants and transit control centres are where a cyber incident can hurt people, so the two groups need a standing arrangement, not an introduction during an emergency.',
    startingPoint: 'Put the utility superintendent and the IT lead on a recurring 30-minute call.',
    tier: 'intermediate',
    ot: ['water', 'transit'],
    csf: { 'GV.RR-02': 'intersects-with', 'GV.RM-05': 'intersects-with' },
    cpg: ['1.C', '1.D'],
  },
  {
    id: 'CWB-GV-10',
    function: 'GV',
    title: 'Independent review and reporting to elected officials',
    statement:
      'At least every two years an independent party assesses the city against this baseline, and the cybersecurity lead reports the results, progress and remaining risks to the council each year.',
    guidance:
      'Self-assessment drifts toward optimism. An outside review (state cyber team, CISA assessment services, a neighbouring city under a peer-review agreement, or a paid assessor) validates what is claimed, and a yearly public report keeps funding tied to results.',
    startingPoint:
      'Request a free assessment from the state or CISA and present its summary at a council work session.',
    tier: 'advanced',
    ot: [],
    csf: {
      'GV.OV-01': 'intersects-with',
      'GV.OV-02': 'intersects-with',
      'GV.OV-03': 'subset-of',
      'ID.IM-01': 'subset-of',
    },
    cpg: ['1.F'],
  },

  // --- IDENTIFY -------------------------------------------------------------------------------------------
  {
    id: 'CWB-ID-01',
    function: 'ID',
    title: 'Inventory of every networked device, including OT',
    statement:
      'The city keeps an inventory of every device with a network address that it owns or operates, including PLCs, HMIs, cellular modems at lift stations and wells, traffic signal controllers and on-vehicle transit equipment, with location and owner, updated at least monthly.',
    guidance:
      'Attackers find the forgotten device first: the camera recorder installed by a contractor, the modem a vendor left at a pump station. An inventory is also what every later step (patching, passwords, segmentation) is counted against.',
    startingPoint:
      'Export what the firewall, switches and endpoint tool already see, then walk the treatment plant and bus yard with the operators for an afternoon.',
    tier: 'foundational',
    ot: ['water', 'transit'],
    csf: { 'ID.AM-01': 'subset-of' },
    cpg: ['1.A'],
  },
  {
    id: 'CWB-ID-02',
    function: 'ID',
    title: 'Inventory of software and cloud services',
    statement:
      'The city keeps a list of the software it runs and the hosted or cloud services it uses, with version, owner department, supplier and end-of-support date, and replaces or isolates what is no longer supported.',
    guidance:
      'Departments buy subscriptions with a purchasing card, and old versions of court, permit or SCADA software stay in service for a decade. Knowing what runs where, and what is out of support, is the basis for patching and for answering “are we affected?” when a vulnerability is in the news.',
    startingPoint:
      'Combine the software list of the endpoint tool with card statements for recurring software charges.',
    tier: 'foundational',
    ot: [],
    csf: { 'ID.AM-02': 'subset-of', 'ID.AM-04': 'intersects-with', 'ID.AM-08': 'intersects-with' },
    cpg: ['1.A'],
  },
  {
    id: 'CWB-ID-03',
    function: 'ID',
    title: 'Network and data-flow diagrams',
    statement:
      'The city maintains current diagrams of its networks that show internet connections, the boundary between IT and OT, remote-access paths, supplier connections and the flows of sensitive data.',
    guidance:
      'In an incident responders must decide within minutes what to disconnect. A diagram that shows the one link between the utility network and city hall, or the vendor VPN into the transit dispatch system, turns that decision from a guess into a plan.',
    startingPoint: 'Draw the current state by hand with the MSP, photograph it, and store a copy offline.',
    tier: 'intermediate',
    ot: [],
    csf: { 'ID.AM-03': 'subset-of' },
    cpg: ['2.P'],
  },
  {
    id: 'CWB-ID-04',
    function: 'ID',
    title: 'Sensitive data is located and classified',
    statement:
      'The city knows where it stores personal data of residents and staff, payment card data, criminal justice information and health information, and labels each store with its classification and owner.',
    guidance:
      'Utility billing, parks registrations, police records and ambulance billing all hold data that triggers notification duties when exposed. Knowing where it lives limits who needs access and how much must be disclosed after a breach.',
    startingPoint: 'Ask each department head which systems and shared folders hold personal or payment data.',
    tier: 'intermediate',
    ot: [],
    csf: { 'ID.AM-07': 'subset-of', 'ID.AM-05': 'intersects-with' },
    cpg: ['2.L'],
  },
  {
    id: 'CWB-ID-05',
    function: 'ID',
    title: 'Known exploited vulnerabilities are fixed fast',
    statement:
      'The city tracks the CISA Known Exploited Vulnerabilities catalog against its inventory and fixes or mitigates each listed vulnerability on an internet-facing system within {{ insert: param, CWB-ID-05_prm_1 }} of its listing, recording any exception with a compensating measure.',
    guidance:
      'Most intrusions into local governments use flaws that were already public and actively exploited: VPN appliances, file-transfer servers, email servers. Working from the KEV list instead of every scanner finding lets a small team fix what attackers actually use first.',
    startingPoint:
      'Subscribe the IT mailbox to KEV updates and check each new entry against the inventory every Monday.',
    tier: 'foundational',
    ot: [],
    csf: { 'ID.RA-01': 'subset-of', 'PR.PS-02': 'intersects-with', 'ID.RA-06': 'intersects-with' },
    cpg: ['1.E'],
    params: [
      {
        id: 'CWB-ID-05_prm_1',
        label: 'maximum time to fix a known exploited vulnerability on an internet-facing system',
        guideline: 'Federal agencies work to two weeks; a city should not exceed thirty days.',
      },
    ],
  },
  {
    id: 'CWB-ID-06',
    function: 'ID',
    title: 'Regular vulnerability scanning',
    statement:
      'The city scans its internet-facing addresses continuously and its internal IT systems at least monthly for vulnerabilities, and assesses OT systems only with methods the system supplier has approved.',
    guidance:
      'CISA offers free external scanning to state and local governments, and it regularly finds exposed devices the city did not know about. Active scans can crash older PLCs, so OT is assessed passively or during planned maintenance with the integrator.',
    startingPoint:
      'Enrol in CISA Cyber Hygiene vulnerability scanning; it costs nothing and takes a short form.',
    tier: 'intermediate',
    ot: ['water', 'transit'],
    csf: { 'ID.RA-01': 'subset-of', 'DE.CM-09': 'intersects-with' },
    cpg: ['1.E'],
  },
  {
    id: 'CWB-ID-07',
    function: 'ID',
    title: 'The city receives threat information',
    statement:
      'The city is a member of at least one information-sharing organization for governments or its sectors and routes its alerts to the people who can act on them.',
    guidance:
      'MS-ISAC membership is free for local governments, WaterISAC serves utilities and state fusion centres share regional warnings. A warning about an actively exploited appliance is only useful if it reaches whoever manages that appliance that same day.',
    startingPoint: 'Join MS-ISAC and have alerts delivered to a shared IT mailbox rather than one person.',
    tier: 'foundational',
    ot: [],
    csf: { 'ID.RA-02': 'equal-to', 'ID.RA-03': 'intersects-with' },
    cpg: ['3.A'],
  },
  {
    id: 'CWB-ID-08',
    function: 'ID',
    title: 'Risk assessment of critical services, including OT',
    statement:
      'At least every two years, and after major changes, the city assesses the threats, weaknesses and consequences for each critical service, including a drinking water risk and resilience assessment where federal law requires one, and feeds the results into the risk register.',
    guidance:
      'Consequences in a city are physical as well as financial: unsafe water, stranded riders, traffic signals in flash mode. An assessment that follows the service, not only the server room, shows where a cyber event becomes a public-safety event.',
    startingPoint:
      'Use the free CISA or EPA assessment tools for the water system and reuse the format for other services.',
    tier: 'intermediate',
    ot: ['water', 'transit'],
    csf: { 'ID.RA-03': 'subset-of', 'ID.RA-04': 'subset-of', 'ID.RA-05': 'intersects-with' },
    cpg: [],
  },
  {
    id: 'CWB-ID-09',
    function: 'ID',
    title: 'Suppliers are checked before purchase',
    statement:
      'Before buying a system or service that is critical or handles sensitive data, the city assesses the supplier’s security practices, asks for a software bill of materials for OT and critical software, and verifies that delivered software and firmware are authentic.',
    guidance:
      'The cheapest bid for a SCADA upgrade may ship with a remote-access tool and a shared default password. Asking the questions before the contract is signed costs nothing; changing a supplier after installation costs years.',
    startingPoint:
      'Add five security questions to the request-for-proposal template for IT and OT purchases.',
    tier: 'advanced',
    ot: [],
    csf: {
      'GV.SC-06': 'subset-of',
      'ID.RA-10': 'subset-of',
      'ID.RA-09': 'intersects-with',
      'GV.SC-07': 'intersects-with',
    },
    cpg: ['1.I'],
  },
  {
    id: 'CWB-ID-10',
    function: 'ID',
    title: 'Vulnerability reports from outsiders are welcome',
    statement:
      'The city publishes how to report a security problem in its websites or services, answers reports within a stated time, and does not threaten good-faith reporters.',
    guidance:
      'Residents and researchers regularly spot exposed city data or a misconfigured portal. A security.txt file and a monitored address turn that into a free warning instead of a news story.',
    startingPoint: 'Publish a security.txt file on the main city website that points to a monitored mailbox.',
    tier: 'advanced',
    ot: [],
    csf: { 'ID.RA-08': 'subset-of' },
    cpg: ['4.B', '4.C'],
  },

  // --- PROTECT --------------------------------------------------------------------------------------------
  {
    id: 'CWB-PR-01',
    function: 'PR',
    title: 'Multifactor authentication where it matters most',
    statement:
      'The city requires multifactor authentication for email, for all remote access, for every administrator account and for cloud services holding sensitive data, and uses phishing-resistant methods for administrators.',
    guidance:
      'Stolen passwords are the most common way into a city network. MFA on email and remote access stops most of them; phishing-resistant keys for administrators stop the rest of the attacks that trick staff into approving prompts.',
    startingPoint:
      'Turn on the MFA already included in the email subscription, starting with administrators and the clerk’s office.',
    tier: 'foundational',
    ot: [],
    csf: { 'PR.AA-03': 'subset-of', 'PR.AA-01': 'intersects-with' },
    cpg: ['2.H'],
  },
  {
    id: 'CWB-PR-02',
    function: 'PR',
    title: 'No default, shared or weak passwords',
    statement:
      'Every device and account, including OT equipment, cameras and network gear, uses a changed, unique password of at least fifteen characters or a passphrase, and shared accounts are replaced by personal ones wherever the system allows.',
    guidance:
      'Water systems have been tampered with through HMIs reachable with the factory password. Shared logins at the front counter or the plant make it impossible to tell who did what. A password manager makes long unique passwords practical for a small staff.',
    startingPoint:
      'List every device that still uses a factory password and change them, starting with anything reachable remotely.',
    tier: 'foundational',
    ot: ['water', 'transit'],
    csf: { 'PR.AA-01': 'subset-of', 'PR.AA-03': 'intersects-with' },
    cpg: ['2.A', '2.B', '2.C'],
  },
  {
    id: 'CWB-PR-03',
    function: 'PR',
    title: 'Separate administrator accounts and least privilege',
    statement:
      'Staff who administer systems use a separate privileged account only for administration, and everyone has only the access their job needs.',
    guidance:
      'If the IT manager reads email with a domain-admin account, one phishing message compromises the whole city. Separate accounts and trimmed permissions limit the damage of every other mistake.',
    startingPoint:
      'Remove everyday users from local administrator groups and create separate admin accounts for IT staff.',
    tier: 'foundational',
    ot: [],
    csf: { 'PR.AA-05': 'subset-of' },
    cpg: ['2.E'],
  },
  {
    id: 'CWB-PR-04',
    function: 'PR',
    title: 'Access is removed on time and reviewed',
    statement:
      'Accounts of people who leave are disabled no later than their last working day, access changes follow role changes, and owners review who has access to their systems {{ insert: param, CWB-PR-04_prm_1 }}.',
    guidance:
      'Former employees, elected officials at the end of a term and contractors whose project ended keep access longer than anyone intends. Regular reviews also catch the MSP or vendor accounts nobody remembers creating.',
    startingPoint:
      'Compare the payroll list with active accounts once and disable every account without a current owner.',
    tier: 'foundational',
    ot: [],
    csf: { 'PR.AA-05': 'subset-of', 'PR.AA-01': 'intersects-with' },
    cpg: ['2.D'],
    params: [
      {
        id: 'CWB-PR-04_prm_1',
        label: 'how often access is reviewed',
        guideline: 'At least every six months; quarterly for privileged and OT access.',
      },
    ],
  },
  {
    id: 'CWB-PR-05',
    function: 'PR',
    title: 'Security awareness for all staff',
    statement:
      'All staff and elected officials complete security awareness training when they start and every year, and the city runs phishing exercises and makes reporting a suspicious message a single click.',
    guidance:
      'Payment-redirection fraud against city finance offices and phishing of council members are routine. Short, regular training and an easy report button catch attacks that technology misses, and staff who report quickly shorten incidents.',
    startingPoint:
      'Use free MS-ISAC or state training material and add a “report phishing” button to the mail client.',
    tier: 'foundational',
    ot: [],
    csf: { 'PR.AT-01': 'superset-of' },
    cpg: ['2.I'],
  },
  {
    id: 'CWB-PR-06',
    function: 'PR',
    title: 'Role-based training for IT and OT staff',
    statement:
      'Staff with privileged, financial or operational-technology duties receive yearly training specific to their role, including OT security for plant operators and transit control staff.',
    guidance:
      'An operator who recognizes an unexpected remote session on the HMI, or a finance clerk who calls back before changing a vendor’s bank account, prevents the incidents that cost cities the most.',
    startingPoint:
      'Send the plant operators to the free CISA ICS training and hold a one-hour session for the finance office.',
    tier: 'intermediate',
    ot: ['water', 'transit'],
    csf: { 'PR.AT-02': 'equal-to' },
    cpg: ['2.J'],
  },
  {
    id: 'CWB-PR-07',
    function: 'PR',
    title: 'Backups that survive ransomware',
    statement:
      'The city backs up critical systems and data, keeps at least one copy offline or immutable and separate from the normal administrator accounts, and tests a restore {{ insert: param, CWB-PR-07_prm_1 }}.',
    guidance:
      'Ransomware groups delete or encrypt reachable backups first. An offline or immutable copy is often the only reason a city can restore without paying; an untested backup is a hope, not a plan.',
    startingPoint:
      'Confirm with the MSP that one backup copy cannot be deleted with domain credentials, then restore one file server as a test.',
    tier: 'foundational',
    ot: [],
    csf: { 'PR.DS-11': 'subset-of' },
    cpg: ['2.R'],
    params: [
      {
        id: 'CWB-PR-07_prm_1',
        label: 'how often a restore is tested',
        guideline: 'At least quarterly for critical systems.',
      },
    ],
  },
  {
    id: 'CWB-PR-08',
    function: 'PR',
    title: 'Sensitive data is encrypted',
    statement:
      'Laptops, mobile devices and removable media that may hold city data are encrypted, and sensitive data is encrypted in transit over networks the city does not control, using current algorithms.',
    guidance:
      'Laptops left in vehicles and phones lost at events are a steady source of breach notifications. Full-disk encryption turns most of those losses into an equipment cost instead of a notification to residents.',
    startingPoint:
      'Turn on the disk encryption built into the operating system for all laptops and keep the recovery keys centrally.',
    tier: 'intermediate',
    ot: [],
    csf: { 'PR.DS-01': 'subset-of', 'PR.DS-02': 'subset-of' },
    cpg: ['2.K', '2.L'],
  },
  {
    id: 'CWB-PR-09',
    function: 'PR',
    title: 'Email is authenticated and macros are blocked',
    statement:
      'The city’s email domains publish SPF, DKIM and an enforcing DMARC policy, incoming mail is filtered for malicious links and attachments, and macros in documents from the internet are blocked by default.',
    guidance:
      'Criminals impersonate city domains to defraud residents and suppliers, and macro-laden invoices are a classic ransomware entry. DMARC protects the city’s name; blocking internet macros removes a whole class of attack at no cost.',
    startingPoint:
      'Check the domains with a free DMARC checker and set the macro-blocking policy in the office suite.',
    tier: 'foundational',
    ot: [],
    csf: { 'PR.PS-01': 'intersects-with', 'PR.DS-02': 'intersects-with' },
    cpg: ['2.M', '2.N'],
  },
  {
    id: 'CWB-PR-10',
    function: 'PR',
    title: 'Secure configuration baselines',
    statement:
      'The city defines secure configurations for its servers, workstations, network devices and OT components, records the approved configuration of each critical device, and manages changes through an approval step.',
    guidance:
      'Recorded configurations let the city spot an unauthorized change and rebuild a device quickly. For PLCs and HMIs the saved configuration and logic are also what makes recovery possible after tampering.',
    startingPoint:
      'Apply vendor or CIS hardening guides to new workstations and save a copy of every firewall and switch configuration.',
    tier: 'intermediate',
    ot: [],
    csf: { 'PR.PS-01': 'equal-to', 'ID.RA-07': 'intersects-with' },
    cpg: ['2.O'],
  },
  {
    id: 'CWB-PR-11',
    function: 'PR',
    title: 'Software and firmware are kept up to date',
    statement:
      'The city installs security updates for operating systems, applications and network devices at least monthly, schedules OT updates with the system supplier, and replaces or isolates systems that no longer receive updates.',
    guidance:
      'Unsupported operating systems remain common at treatment plants and in police vehicles. A monthly rhythm for IT and a planned window for OT keep the backlog small and make the exceptions visible.',
    startingPoint:
      'Enable automatic updates on workstations and put a monthly patch night for servers on the calendar.',
    tier: 'foundational',
    ot: [],
    csf: { 'PR.PS-02': 'subset-of', 'PR.PS-03': 'intersects-with', 'ID.AM-08': 'intersects-with' },
    cpg: ['1.E'],
  },
  {
    id: 'CWB-PR-12',
    function: 'PR',
    title: 'Logs are collected and kept safe',
    statement:
      'Critical systems, firewalls, remote-access gateways, cloud services and OT servers send security logs to a central store that ordinary administrators cannot alter, and logs are kept for at least twelve months.',
    guidance:
      'Without logs, a city cannot tell investigators or insurers what was accessed, and must assume the worst when notifying residents. Many cloud services keep only a few weeks of logs unless configured otherwise.',
    startingPoint:
      'Turn on audit logging in the email and cloud services and extend retention to the maximum the licence allows.',
    tier: 'intermediate',
    ot: [],
    csf: { 'PR.PS-04': 'subset-of' },
    cpg: ['2.T', '2.U'],
  },
  {
    id: 'CWB-PR-13',
    function: 'PR',
    title: 'Nothing exploitable is exposed to the internet',
    statement:
      'The city exposes no remote desktop, file sharing, administration interfaces or OT interfaces directly to the internet, and checks its public address space for exposed services at least weekly.',
    guidance:
      'Scanning tools find an exposed remote desktop or HMI within hours. Removing exposure is usually a firewall rule, and external scanning tells the city about a contractor’s mistake before an attacker uses it.',
    startingPoint:
      'Review the CISA Cyber Hygiene report and close every exposed remote desktop and management page.',
    tier: 'foundational',
    ot: [],
    csf: { 'PR.IR-01': 'subset-of', 'ID.RA-01': 'intersects-with' },
    cpg: ['2.W', '2.X'],
  },
  {
    id: 'CWB-PR-14',
    function: 'PR',
    title: 'SCADA and control networks are segmented',
    statement:
      'Water, wastewater and transit control networks are separated from the city business network and from public or guest networks, and traffic between them passes only through a controlled point that allows only documented connections.',
    guidance:
      'When a ransomware infection on the business network can reach the SCADA server, a clerical incident becomes a water-safety incident. Separation also keeps library and city-hall guest Wi-Fi away from everything internal.',
    startingPoint:
      'Place a firewall between the plant network and city hall that allows only the data historian connection, and move guest Wi-Fi to its own network.',
    tier: 'foundational',
    ot: ['water', 'transit'],
    csf: { 'PR.IR-01': 'subset-of' },
    cpg: ['2.F', '2.X'],
  },
  {
    id: 'CWB-PR-15',
    function: 'PR',
    title: 'Remote access to PLCs and OT is controlled',
    statement:
      'Remote access to PLCs, HMIs and other OT systems, by staff or suppliers, goes only through a city-controlled gateway with MFA, is enabled only when needed and for a limited time, is logged, and cannot reach devices beyond those required for the task.',
    guidance:
      'Always-on vendor remote-access tools and HMIs with a remote desktop open to the internet are behind the best-known attacks on water utilities. A gateway the city controls lets the integrator help in an emergency without leaving a door open the rest of the year.',
    startingPoint:
      'Disable every always-on vendor remote-access tool and have the operator enable the VPN account on request.',
    tier: 'foundational',
    ot: ['water', 'transit'],
    csf: {
      'PR.AA-05': 'intersects-with',
      'PR.IR-01': 'intersects-with',
      'PR.AA-03': 'intersects-with',
      'DE.CM-06': 'intersects-with',
    },
    cpg: ['2.X', '2.H'],
  },
  {
    id: 'CWB-PR-16',
    function: 'PR',
    title: 'Manual operation fallback for water and transit',
    statement:
      'For each water, wastewater and transit process that depends on automation, the city documents how to run it safely by hand or in a degraded mode, keeps the needed instructions and supplies on site on paper, and practises the fallback at least yearly.',
    guidance:
      'The fastest way to contain an OT incident is often to disconnect automation, and that is only safe if operators can run the plant by hand, dispatch buses by radio and paper blocks, and fall back to fixed-time signal plans. Practised fallback turns a cyber incident into an inconvenience.',
    startingPoint:
      'Ask the chief operator to write down, on paper, how the plant ran before SCADA and walk through it once with the shift.',
    tier: 'intermediate',
    ot: ['water', 'transit'],
    csf: { 'PR.IR-03': 'subset-of', 'RC.RP-04': 'intersects-with', 'ID.IM-04': 'intersects-with' },
    cpg: ['5.A'],
  },
  {
    id: 'CWB-PR-17',
    function: 'PR',
    title: 'Only approved devices and software',
    statement:
      'Only devices and software approved by IT (or the OT lead for control systems) may connect to city networks or run on city systems; USB storage is blocked on OT workstations and HMIs.',
    guidance:
      'An engineer’s laptop plugged into the plant network or a USB stick from a conference can carry malware past every firewall. Approval and port blocking are cheap compared with cleaning a control network.',
    startingPoint:
      'Block USB storage on HMIs and SCADA workstations and keep one scanned, dedicated transfer stick at the plant.',
    tier: 'intermediate',
    ot: ['water', 'transit'],
    csf: { 'PR.PS-05': 'subset-of', 'PR.IR-01': 'intersects-with' },
    cpg: ['2.Q', '2.V'],
  },
  {
    id: 'CWB-PR-18',
    function: 'PR',
    title: 'Physical protection of equipment and remote sites',
    statement:
      'Server rooms, network closets and unattended sites such as pump stations, wells, lift stations, traffic cabinets and transit depots are locked, access to them is limited and recorded, and intrusion at critical remote sites raises an alarm.',
    guidance:
      'A city’s network reaches into dozens of unstaffed buildings and roadside cabinets. A person with physical access to a PLC or switch can bypass most network protections, and door alarms on remote sites are often already available through SCADA.',
    startingPoint:
      'Re-key network closets, check the locks on traffic cabinets, and wire existing door contacts at pump stations into SCADA alarms.',
    tier: 'intermediate',
    ot: ['water', 'transit'],
    csf: { 'PR.AA-06': 'subset-of', 'DE.CM-02': 'intersects-with', 'PR.IR-02': 'intersects-with' },
    cpg: [],
  },
  {
    id: 'CWB-PR-19',
    function: 'PR',
    title: 'Vehicle and passenger networks are separated in transit',
    statement:
      'On transit vehicles and at stations, passenger Wi-Fi and information displays are separated from fare collection, vehicle location and any system that affects vehicle operation, and remote updates to on-board systems are authenticated.',
    guidance:
      'Buses and trains now carry routers that join passenger Wi-Fi, ticketing, location tracking and sometimes vehicle diagnostics. If those share a network, a passenger’s laptop is one hop from payment data or operational systems.',
    startingPoint:
      'Ask the on-board router supplier for the current network configuration and confirm passenger Wi-Fi is its own network.',
    tier: 'advanced',
    ot: ['transit'],
    csf: { 'PR.IR-01': 'subset-of', 'PR.DS-02': 'intersects-with' },
    cpg: ['2.F'],
  },
  {
    id: 'CWB-PR-20',
    function: 'PR',
    title: 'Secure development and web services',
    statement:
      'Websites, portals and software built or customized for the city follow a secure development practice: security requirements in the contract, code review or testing before release, and a supplier commitment to fix vulnerabilities for the life of the service.',
    guidance:
      'Online payment, permit and records portals are the city’s most exposed systems and are often built by small local firms. Writing security into the statement of work is far cheaper than retrofitting it after a breach.',
    startingPoint: 'Require a vulnerability scan of every new public web application before it goes live.',
    tier: 'advanced',
    ot: [],
    csf: { 'PR.PS-06': 'subset-of', 'PR.DS-10': 'intersects-with' },
    cpg: [],
  },
  {
    id: 'CWB-PR-21',
    function: 'PR',
    title: 'Resilient infrastructure for critical services',
    statement:
      'Systems that support critical services have the redundancy, power protection and capacity needed to meet their maximum outage times, including backup connectivity for dispatch and SCADA and uninterruptible power for control systems.',
    guidance:
      'Dispatch centres and treatment plants must keep working through storms, power cuts and a failed internet provider, and those are also the conditions in which attacks and mistakes hurt most.',
    startingPoint:
      'Check that SCADA servers, network gear and the dispatch console are on UPS and that the UPS batteries have been tested.',
    tier: 'advanced',
    ot: ['water', 'transit'],
    csf: { 'PR.IR-03': 'intersects-with', 'PR.IR-04': 'subset-of', 'PR.IR-02': 'intersects-with' },
    cpg: [],
  },

  // --- DETECT ---------------------------------------------------------------------------------------------
  {
    id: 'CWB-DE-01',
    function: 'DE',
    title: 'Endpoint detection with someone watching',
    statement:
      'Servers and workstations run endpoint detection and response software whose alerts are reviewed and acted on around the clock, by city staff, the managed service provider or a monitoring service.',
    guidance:
      'Ransomware operators often spend days inside a network before encrypting it, and they work nights and weekends. Detection that nobody looks at until Monday morning does not stop them.',
    startingPoint:
      'Check whether the MSP contract includes 24/7 alert response, and ask about free monitoring services for local governments.',
    tier: 'foundational',
    ot: [],
    csf: { 'DE.CM-09': 'subset-of', 'DE.AE-02': 'intersects-with', 'DE.AE-06': 'intersects-with' },
    cpg: ['3.A'],
  },
  {
    id: 'CWB-DE-02',
    function: 'DE',
    title: 'Failed and unusual logins raise alerts',
    statement:
      'Repeated failed logins, logins from unexpected countries and new MFA registrations on email, remote access and administrator accounts generate an alert that is reviewed the same day, and accounts lock after repeated failures.',
    guidance:
      'Password-guessing against city email and VPNs runs constantly. Alerts on the few events that precede most account takeovers let a small team react before the attacker sends invoices from the finance director’s mailbox.',
    startingPoint:
      'Turn on the built-in risky-sign-in and impossible-travel alerts of the email service and route them to the IT mailbox.',
    tier: 'foundational',
    ot: [],
    csf: { 'DE.CM-03': 'subset-of', 'DE.AE-02': 'intersects-with' },
    cpg: ['2.G'],
  },
  {
    id: 'CWB-DE-03',
    function: 'DE',
    title: 'Logs are correlated and reviewed',
    statement:
      'Security events from network, endpoint, cloud and remote-access sources are correlated in one place, enriched with threat information, and reviewed daily against defined use cases.',
    guidance:
      'A login from an unusual place, a new forwarding rule and a large download mean little apart and a lot together. Correlation is what turns collected logs into detection.',
    startingPoint:
      'Start with the five alerts that matter most (new admin, disabled backup, mass file change, new mail forwarding rule, VPN login from abroad).',
    tier: 'intermediate',
    ot: [],
    csf: { 'DE.AE-03': 'subset-of', 'DE.CM-01': 'intersects-with', 'DE.AE-07': 'intersects-with' },
    cpg: ['2.T', '3.A'],
  },
  {
    id: 'CWB-DE-04',
    function: 'DE',
    title: 'Supplier activity is monitored',
    statement:
      'Remote sessions and administrative actions of managed service providers, software vendors and OT integrators on city systems are logged and reviewed, and unexpected supplier activity raises an alert.',
    guidance:
      'Supplier accounts have broad access and little scrutiny, which is why attackers target remote-management tools of MSPs. Knowing when a supplier connected and what they did is essential to tell maintenance from intrusion.',
    startingPoint:
      'Require suppliers to announce remote sessions by ticket and compare the tickets with the VPN log each month.',
    tier: 'intermediate',
    ot: [],
    csf: { 'DE.CM-06': 'equal-to' },
    cpg: [],
  },
  {
    id: 'CWB-DE-05',
    function: 'DE',
    title: 'OT networks are monitored',
    statement:
      'Water and transit control networks are monitored passively for new devices, new connections, remote sessions and changes to PLC logic or set points, and alerts go to both operations and the cybersecurity lead.',
    guidance:
      'An attacker who changes a chemical dosing set point or downloads new PLC logic looks like normal engineering work to IT tools. Passive OT monitoring, plus operators who know what normal looks like, catches tampering without risk to the process.',
    startingPoint:
      'Turn on the change-logging and set-point alarms the SCADA system already has and review them at shift handover.',
    tier: 'advanced',
    ot: ['water', 'transit'],
    csf: { 'DE.CM-01': 'subset-of', 'DE.CM-09': 'intersects-with', 'DE.AE-02': 'intersects-with' },
    cpg: ['3.A'],
  },
  {
    id: 'CWB-DE-06',
    function: 'DE',
    title: 'Incidents are declared by clear criteria',
    statement:
      'The city defines when an event becomes an incident, how incidents are categorized by severity and who must be told at each level, and applies those criteria to every triaged event.',
    guidance:
      'Staff hesitate to “make a fuss” about a strange pop-up or a locked account. Written criteria and severity levels make escalation automatic, bring in leadership, insurer and counsel at the right moment, and start the legal reporting clocks of CWB-GV-04.',
    startingPoint:
      'Write a one-page severity table (low, medium, high, critical) with an example and a phone list for each level.',
    tier: 'intermediate',
    ot: [],
    csf: {
      'DE.AE-08': 'superset-of',
      'DE.AE-04': 'intersects-with',
      'RS.MA-02': 'intersects-with',
      'RS.MA-03': 'subset-of',
      'RS.MA-04': 'subset-of',
    },
    cpg: [],
  },

  // --- RESPOND --------------------------------------------------------------------------------------------
  {
    id: 'CWB-RS-01',
    function: 'RS',
    title: 'An incident response plan that works offline',
    statement:
      'The city keeps an incident response plan with roles, decision authority, contact details of staff, insurer, counsel, suppliers and government partners, and first steps for ransomware, account compromise and OT incidents, and keeps printed copies where the network cannot delete them.',
    guidance:
      'A plan stored only on the encrypted file server is useless. Knowing in advance who calls the insurer, who may authorize disconnecting the plant from the network and how to reach the state cyber team saves the most expensive hours of an incident.',
    startingPoint:
      'Fill a four-page template with names and phone numbers and put printed copies in the manager’s office and at the plant.',
    tier: 'foundational',
    ot: [],
    csf: { 'ID.IM-04': 'subset-of', 'RS.MA-01': 'intersects-with' },
    cpg: ['2.S'],
  },
  {
    id: 'CWB-RS-02',
    function: 'RS',
    title: 'Incidents are reported to the right parties on time',
    statement:
      'The city reports incidents to the authorities, regulators, insurer and affected people that its obligations name, within their deadlines, and shares indicators with its information-sharing partners.',
    guidance:
      'Early reporting to state and federal partners brings free help and warns neighbouring cities hit by the same group. Late notification of residents or regulators adds fines and lost trust to the damage.',
    startingPoint:
      'Put the reporting contacts and deadlines from CWB-GV-04 on the first page of the response plan.',
    tier: 'foundational',
    ot: [],
    csf: { 'RS.CO-02': 'subset-of', 'RS.CO-03': 'intersects-with' },
    cpg: ['4.A'],
  },
  {
    id: 'CWB-RS-03',
    function: 'RS',
    title: 'Yearly exercise including an OT scenario',
    statement:
      'The city exercises its incident response plan at least yearly with leadership, IT, communications and operations, alternating scenarios that include ransomware on the business network and a compromise of water or transit control systems, and records improvements.',
    guidance:
      'Exercises expose the missing phone number, the backup nobody can restore and the decision nobody feels authorized to make, at the price of one afternoon. Including operators makes sure the plant knows when and how to isolate.',
    startingPoint: 'Run a free CISA tabletop exercise package for two hours with the department heads.',
    tier: 'intermediate',
    ot: ['water', 'transit'],
    csf: { 'ID.IM-02': 'subset-of', 'RS.MA-01': 'intersects-with', 'ID.IM-03': 'intersects-with' },
    cpg: ['2.S', '5.A'],
  },
  {
    id: 'CWB-RS-04',
    function: 'RS',
    title: 'Containment steps are prepared',
    statement:
      'The city has tested procedures to isolate infected devices, disable compromised accounts, cut the connection between IT and OT networks and block malicious addresses, and knows who may trigger each step.',
    guidance:
      'Containment that must be improvised takes hours that ransomware uses to spread. Being able to break the IT/OT link with one documented action protects the plant even when the business network is lost.',
    startingPoint:
      'Label the cable or firewall rule that separates the plant network and write down who may pull it.',
    tier: 'intermediate',
    ot: [],
    csf: { 'RS.MI-01': 'subset-of', 'RS.MI-02': 'intersects-with' },
    cpg: ['2.S'],
  },
  {
    id: 'CWB-RS-05',
    function: 'RS',
    title: 'Evidence is preserved and incidents are analyzed',
    statement:
      'During an incident the city preserves logs, images and a record of every action taken, has forensic support arranged in advance, and establishes the root cause and scope before declaring systems clean.',
    guidance:
      'Rebuilding systems before evidence is collected destroys the ability to say what data left the city, which decides who must be notified. Cyber insurers usually provide forensic firms; knowing how to engage them in advance saves a day.',
    startingPoint:
      'Record the insurer’s breach hotline and panel forensic firm in the response plan and keep a paper incident log template.',
    tier: 'advanced',
    ot: [],
    csf: {
      'RS.AN-03': 'subset-of',
      'RS.AN-06': 'subset-of',
      'RS.AN-07': 'subset-of',
      'RS.AN-08': 'intersects-with',
    },
    cpg: [],
  },

  // --- RECOVER --------------------------------------------------------------------------------------------
  {
    id: 'CWB-RC-01',
    function: 'RC',
    title: 'A recovery plan with a priority order',
    statement:
      'The city keeps a recovery plan that states in which order services and systems are restored, following the priorities of CWB-GV-03, and who decides when recovery starts.',
    guidance:
      'After a city-wide outage everyone’s system is urgent. A restoration order agreed in calm times (dispatch, water, payroll before permits and parks bookings) prevents arguments and wasted effort when the pressure is highest.',
    startingPoint: 'Add a numbered restoration list to the response plan and have the city manager sign it.',
    tier: 'foundational',
    ot: [],
    csf: { 'RC.RP-01': 'subset-of', 'RC.RP-02': 'subset-of', 'RS.MA-05': 'intersects-with' },
    cpg: ['5.A'],
  },
  {
    id: 'CWB-RC-02',
    function: 'RC',
    title: 'Clean restoration from verified backups',
    statement:
      'Before restoring, the city verifies that backups and installation media are free of the attacker’s changes, rebuilds compromised systems from known-good sources, resets credentials, and confirms systems are clean before reconnecting them.',
    guidance:
      'Restoring a backup taken after the attacker arrived reinfects the city. Verifying restore points and resetting passwords, including service and supplier accounts, is what ends an incident instead of starting its second round.',
    startingPoint:
      'Write down how many days of backup history are kept and make sure it covers several weeks.',
    tier: 'intermediate',
    ot: [],
    csf: { 'RC.RP-03': 'subset-of', 'RC.RP-05': 'subset-of' },
    cpg: ['2.R'],
  },
  {
    id: 'CWB-RC-03',
    function: 'RC',
    title: 'Known-good OT configurations are kept offline',
    statement:
      'Current PLC programs, HMI projects, SCADA configurations and network device settings for water and transit systems are stored offline in at least two places, checked after every change, and can be reloaded by city staff or a contracted integrator.',
    guidance:
      'If PLC logic is wiped or altered, the plant can only return to automatic operation once the correct program is reloaded. Often the only copy sits on the integrator’s laptop; an offline copy at the city shortens recovery from weeks to hours.',
    startingPoint:
      'Ask the integrator for current copies of all PLC and HMI projects and store them on encrypted media in two locked places.',
    tier: 'foundational',
    ot: ['water', 'transit'],
    csf: { 'PR.DS-11': 'subset-of', 'RC.RP-03': 'intersects-with', 'RC.RP-05': 'intersects-with' },
    cpg: ['2.O', '2.R'],
  },
  {
    id: 'CWB-RC-04',
    function: 'RC',
    title: 'Residents and staff are kept informed',
    statement:
      'The city prepares holding statements and communication channels that work when city systems are down, names who approves public messages, and informs staff, residents and partners about service status during recovery.',
    guidance:
      'When online payments, phones or the website stop, rumours fill the gap. Prepared statements and an out-of-band channel (social media accounts protected by MFA, local radio, a phone tree) keep residents informed and protect trust.',
    startingPoint:
      'Draft three holding statements (service outage, data exposure, water advisory) with the communications officer.',
    tier: 'intermediate',
    ot: [],
    csf: { 'RC.CO-03': 'subset-of', 'RC.CO-04': 'superset-of' },
    cpg: [],
  },
  {
    id: 'CWB-RC-05',
    function: 'RC',
    title: 'Restoration times are tested',
    statement:
      'The city restores at least one critical system from backup in a test each year and compares the time taken with the maximum outage its service tolerates, planning improvements where it falls short.',
    guidance:
      'A backup that takes nine days to restore does not meet a two-day outage limit for utility billing. Only a timed test shows whether backup design, bandwidth and staff skills match what the services need.',
    startingPoint: 'Time the next planned restore test from start to a working system and record the result.',
    tier: 'intermediate',
    ot: [],
    csf: { 'RC.RP-05': 'intersects-with', 'ID.IM-02': 'intersects-with', 'PR.DS-11': 'intersects-with' },
    cpg: ['2.R'],
  },
  {
    id: 'CWB-RC-06',
    function: 'RC',
    title: 'Recovery is closed with lessons learned',
    statement:
      'The city declares the end of recovery by agreed criteria, completes the incident record, and holds a review whose improvement actions are assigned, tracked and reported to leadership.',
    guidance:
      'Incidents recur when the same gap stays open. A formal close with owned actions turns an expensive incident into a funded improvement plan and documents the city’s diligence for insurers and auditors.',
    startingPoint:
      'After every significant incident hold a one-hour review and add its actions to the risk register.',
    tier: 'advanced',
    ot: [],
    csf: { 'RC.RP-06': 'superset-of', 'ID.IM-03': 'intersects-with', 'ID.IM-01': 'intersects-with' },
    cpg: [],
  },
  {
    id: 'CWB-RC-07',
    function: 'RC',
    title: 'Mutual aid for cyber incidents',
    statement:
      'The city has arrangements with neighbouring governments, the county or state, and its suppliers to obtain additional skilled people, equipment and services during a major cyber incident, and includes them in exercises.',
    guidance:
      'A town with two IT staff cannot rebuild a hundred computers alone. Mutual-aid agreements, state cyber response teams and supplier surge support are the realistic way for a small government to recover at the scale a ransomware attack requires.',
    startingPoint:
      'Ask the county and the state emergency management agency which cyber mutual-aid or response teams exist and how to request them.',
    tier: 'advanced',
    ot: [],
    csf: { 'GV.SC-08': 'intersects-with', 'RC.RP-02': 'intersects-with', 'RS.MA-01': 'intersects-with' },
    cpg: [],
  },
];

/** Values the three tiered profiles give the baseline's parameters. */
export const PROFILE_PARAMETER_VALUES: Record<Tier, Record<string, string>> = {
  foundational: {
    'CWB-ID-05_prm_1': '14 days',
    'CWB-PR-04_prm_1': 'every six months',
    'CWB-PR-07_prm_1': 'every quarter',
  },
  intermediate: {
    'CWB-ID-05_prm_1': '14 days',
    'CWB-PR-04_prm_1': 'every quarter',
    'CWB-PR-07_prm_1': 'every quarter',
  },
  advanced: {
    'CWB-ID-05_prm_1': '7 days',
    'CWB-PR-04_prm_1': 'every quarter',
    'CWB-PR-07_prm_1': 'every month',
  },
};
