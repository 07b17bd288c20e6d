// The office network's own cost per call, apart from the machine's load and the registry's size (issue 17):
// one workstation, calls one after the other, over loopback HTTPS (pinned certificate, signed requests) and then
// in-process, A/B/A/B. Client and main PC in this one process, so the CPU time per call is the whole transport's.
// `npx tsx bench/office-network.micro.ts [--calls N] [--method applicants.get|applicants.search|changes.latest]`
// (with `node --cpu-prof --import tsx …` for a profile). Not part of `npm run bench`: a tool to find what costs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore } from '../src-main/core/core';
import type { Actor } from '../src-main/core/context';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../src-main/shared/offices';
import { runOfficeNetwork } from '../src-main/net/office-server';
import { createOfficeClient } from '../src-main/net/office-client';

const cli: Actor = { kind: 'cli', osUser: 'micro' };
const HOST = '127.0.0.2';
const args = process.argv.slice(2);
const CALLS = args.includes('--calls') ? Number(args[args.indexOf('--calls') + 1]) : 1000;
const METHOD = args.includes('--method') ? args[args.indexOf('--method') + 1] : 'applicants.get';

function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.once('error', ko);
    s.listen(0, HOST, () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'jisr-micro-'));
  const core = createCore({ dbPath: join(dir, 'jisr.db'), encrypt: false });
  const n = PROVINCE_NAMES.errachidia;
  await core.invoke('system.setup', { office: 'errachidia', settings: defaultOfficeSettings('errachidia', n.ar, n.fr), admin: { username: 'admin', displayName: 'Admin', password: 'admin-password-1' } });
  await core.invoke('users.create', { username: 'amina', displayName: 'Amina', role: 'agent', password: 'amina-pass-2026', mustChange: false }, { actor: cli });
  const ids: string[] = [];
  for (let i = 0; i < 200; i++) {
    const r = await core.invoke(
      'applicants.create',
      {
        cin: `MC${String(i).padStart(6, '0')}`,
        firstNameLat: ['Itto', 'Salma', 'Fatima', 'Zineb'][i % 4],
        lastNameLat: `Ouhammou ${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[i % 26]}${'abcdefghij'[Math.floor(i / 26) % 10]}`,
        birthDate: `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
        communeCode: '08.201.01.01',
        isProjectHolder: true,
        consent: { given: true, date: '2026-06-01', textVersion: '2026-01', channel: 'paper' },
        distinctFrom: [],
      },
      { actor: cli },
    ).catch((e) => (i === 0 ? (console.error(e), null) : null));
    if (r) ids.push(r.id);
  }
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  const st = await core.invoke('network.configure', { enabled: true, host: HOST, port: await freePort() }, { actor: cli });
  const net = runOfficeNetwork({ core, staticDir: dir, everyMs: 500 });
  await net.ready;
  const { code } = await core.invoke('network.pairingCode', {}, { actor: cli });
  const c = createOfficeClient({ address: st.address!, fingerprint: st.fingerprint! });
  const p = await c.pair(code, 'Micro');
  if (!p.ok) throw new Error(p.error.code);
  const login = await c.call('auth.login', { username: 'amina', password: 'amina-pass-2026' });
  if (!login.ok) throw new Error(login.error.code);
  const token = (login.value as { token: string }).token;
  const input = (i: number) => (METHOD === 'applicants.search' ? { q: 'Ouham', limit: 50 } : METHOD === 'changes.latest' ? {} : { id: ids[i % ids.length] });

  const run = async (label: string, call: (i: number) => Promise<{ ok: boolean }>) => {
    for (let i = 0; i < 50; i++) await call(i);
    const cpu0 = process.cpuUsage();
    const hr0 = Number(process.hrtime.bigint() / 1000n);
    const t0 = performance.now();
    const ms: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const t = performance.now();
      const r = await call(i);
      ms.push(performance.now() - t);
      if (!r.ok) throw new Error(`${label}: ${JSON.stringify(r)}`);
    }
    const wall = performance.now() - t0;
    marks.push({ label, from: hr0, to: Number(process.hrtime.bigint() / 1000n) });
    const cpu = process.cpuUsage(cpu0);
    ms.sort((a, b) => a - b);
    return { label, wallPerCall: wall / CALLS, cpuPerCall: (cpu.user + cpu.system) / 1000 / CALLS, p50: ms[Math.floor(CALLS / 2)], p95: ms[Math.floor(CALLS * 0.95)] };
  };
  const out = [];
  // The phases' times (µs, the profiler's clock), for reading a --cpu-prof profile of one phase: MICRO_MARKS=file.
  const marks: { label: string; from: number; to: number }[] = [];
  for (let round = 0; round < 2; round++) {
    out.push(await run('network', (i) => c.call(METHOD, input(i), token)));
    out.push(await run('in-process', (i) => core.call(METHOD as never, input(i), { token })));
  }
  const f = (x: number) => x.toFixed(3);
  console.log(`${METHOD}, ${CALLS} calls one after the other; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  for (const r of out) console.log(`${r.label.padEnd(11)} wall/call ${f(r.wallPerCall)} ms  cpu/call ${f(r.cpuPerCall)} ms  p50 ${f(r.p50)}  p95 ${f(r.p95)}`);
  if (process.env.MICRO_MARKS) writeFileSync(process.env.MICRO_MARKS, JSON.stringify(marks));
  c.close();
  await net.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
