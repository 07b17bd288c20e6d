import type { Result } from '../src-main/shared/errors';

/** What every simulated workstation runs (issue 17 bench): the same plan over the network and in-process. */
export interface MixPlan {
  seconds: number;
  /** Applicant ids to open, and name fragments to search. */
  ids: string[];
  queries: string[];
  /** Per workstation: fresh sessions to record attendance on, and the entries of the checklist. */
  sessions: string[][];
  entries: { applicantId: string; status: string }[];
  /** A prefix making each run's CINs unique. */
  cinPrefix: string;
  /** A person's pause between two actions, ms [min, max] (reading the screen, typing). */
  think: [number, number];
  /** The screens' refresh by polling `changes.latest` every second (false: the workstation listens to the event stream instead). */
  poll?: boolean;
}

export interface MixResult {
  calls: { kind: string; ms: number; ok: boolean; code?: string }[];
  registered: string[];
  attendance: number;
}

const FIRST = ['Salma', 'Fatima', 'Khadija', 'Aicha', 'Naima', 'Zineb', 'Hafsa', 'Meryem', 'Itto', 'Yamna'];
const LAST = ['Boutaleb', 'Amrani', 'Ouali', 'Idrissi', 'Tazi', 'Bennani', 'Alaoui', 'Chraibi', 'Ouhammou', 'Azdad'];

/**
 * One workstation's minute: search 40 %, open a file 30 %, register 15 % (likely duplicates confirmed as other
 * people, as staff do), record a session's attendance 15 %; and the screens' refresh (not counted in the mix's
 * figures): the poll every second, or none when the workstation listens to the event stream (`poll: false`).
 * Deterministic per workstation (no Math.random).
 */
export async function runMix(plan: MixPlan, w: number, call: (method: string, input: unknown) => Promise<Result<unknown>>, now: () => number): Promise<MixResult> {
  const out: MixResult = { calls: [], registered: [], attendance: 0 };
  let seed = 1234567 + w * 7919;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const end = now() + plan.seconds * 1000;
  let nextPoll = now();
  let made = 0;
  let sessionIdx = 0;
  const timed = async (kind: string, method: string, input: unknown) => {
    const t = now();
    const r = await call(method, input);
    out.calls.push({ kind, ms: now() - t, ok: r.ok, ...(r.ok ? {} : { code: r.error.code }) });
    return r;
  };
  while (now() < end) {
    if (plan.poll !== false && now() >= nextPoll) {
      nextPoll = now() + 1000;
      await call('changes.latest', {});
    }
    await new Promise((r) => setTimeout(r, plan.think[0] + rnd() * (plan.think[1] - plan.think[0])));
    const x = rnd();
    if (x < 0.4) {
      await timed('search', 'applicants.search', { q: plan.queries[Math.floor(rnd() * plan.queries.length)], limit: 50 });
    } else if (x < 0.7) {
      await timed('open', 'applicants.get', { id: plan.ids[Math.floor(rnd() * plan.ids.length)] });
    } else if (x < 0.85) {
      const i = made++;
      const input = {
        cin: `${plan.cinPrefix}${w}X${String(i).padStart(5, '0')}`,
        firstNameLat: FIRST[(i + w) % FIRST.length],
        lastNameLat: LAST[Math.floor(i / 3 + w) % LAST.length],
        birthDate: `19${70 + ((i * 7 + w) % 30)}-0${1 + (i % 9)}-1${i % 10}`,
        communeCode: '08.201.01.01',
        isProjectHolder: true,
        consent: { given: true, date: '2026-06-01', textVersion: '2026-01', channel: 'paper' },
      };
      let r = await timed('register', 'applicants.create', input);
      if (!r.ok && r.error.code === 'applicant.possible_duplicates') {
        const ids = ((r.error.params ?? {}).candidates as { id: string }[]).map((c) => c.id);
        r = await timed('register', 'applicants.create', { ...input, distinctFrom: ids });
      }
      if (r.ok) out.registered.push((r.value as { id: string }).id);
    } else {
      const sid = plan.sessions[w][sessionIdx++ % plan.sessions[w].length];
      const r = await timed('attendance', 'sessions.recordAttendance', { sessionId: sid, entries: plan.entries });
      if (r.ok) out.attendance++;
    }
  }
  return out;
}
