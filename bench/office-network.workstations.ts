// Child process of bench/office-network.bench.ts: N simulated workstations on the office network (HTTPS, pinned
// certificate, signed requests), each running the realistic mix for the given seconds while listening to the main
// PC's event stream (the screens' live refresh); prints one JSON line: the results, the events each received and
// this process's CPU time.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createOfficeClient } from '../src-main/net/office-client';
import { runMix, type MixPlan } from './office-network.mix';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8')) as MixPlan & {
  address: string;
  fingerprint: string;
  stations: { deviceId: string; secret: string; username: string; password: string }[];
};

async function main() {
  const cpu0 = process.cpuUsage();
  const events: number[] = [];
  const results = await Promise.all(
    plan.stations.map(async (s, w) => {
      const c = createOfficeClient({ address: plan.address, fingerprint: plan.fingerprint, deviceId: s.deviceId, secret: s.secret });
      const login = await c.call('auth.login', { username: s.username, password: s.password });
      if (!login.ok) throw new Error(JSON.stringify(login.error));
      const token = (login.value as { token: string }).token;
      // The screens' live refresh: one event stream per workstation, counted (changes told), not timed.
      events[w] = 0;
      const stream = await c.stream('/api/events', Buffer.from(JSON.stringify({ after: null })), token);
      if (stream.statusCode !== 200) throw new Error(`event stream: ${stream.statusCode}`);
      stream.setEncoding('utf8');
      stream.on('data', (t: string) => (events[w] += t.split('event: changes').length - 1));
      stream.on('error', () => undefined);
      const r = await runMix({ ...plan, poll: false }, w, (method, input) => c.call(method, input, token), () => performance.now());
      stream.destroy();
      c.close();
      return r;
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ results, events, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\n');
}
main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(1);
});
