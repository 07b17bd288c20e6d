// Child process of bench/office-network.bench.ts: N simulated workstations on the office network (HTTPS, pinned
// certificate, signed requests), each running the realistic mix for the given seconds; prints one JSON line.
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
  const results = await Promise.all(
    plan.stations.map(async (s, w) => {
      const c = createOfficeClient({ address: plan.address, fingerprint: plan.fingerprint, deviceId: s.deviceId, secret: s.secret });
      const login = await c.call('auth.login', { username: s.username, password: s.password });
      if (!login.ok) throw new Error(JSON.stringify(login.error));
      const token = (login.value as { token: string }).token;
      const r = await runMix(plan, w, (method, input) => c.call(method, input, token), () => performance.now());
      c.close();
      return r;
    }),
  );
  process.stdout.write(JSON.stringify(results) + '\n');
}
main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(1);
});
