import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createCore } from '../src-main/core/core';
import { startWebBridge, type WebBridge } from '../src-main/web/server';

/**
 * Where the renderer's time goes (issue 15), beside bench/renderer.bench.ts which only times it: the same steps
 * (first load → login form, login → list, "new registration" → the form), in Chromium with nothing cached, the app
 * and the bare Vite + React page alternating, each run traced (Chromium's timeline) and, with --cpu, sampled by V8's
 * profiler. For each of the two windows it prints:
 *   wall       the page's own clock (as the bench)
 *   main busy  the renderer main thread's tasks inside the window: wall time, and CPU time (thread time: what the
 *              machine's load affects least)
 *   self time  by kind of work (script compile / run, style, layout, paint, HTML, GC …), thread time
 *   network    the resources fetched in the window (start → end in the page's clock, size)
 *   --cpu      the functions and the files with the most self time (V8 sampling profiler; builds unminified)
 *
 * `npx tsx bench/renderer-profile.ts --db PATH [--runs N] [--cpu] [--no-minify] [--app DIR[,DIR…]] [--out DIR]`
 * PATH: a database made by `npm run cli -- seed` (administrator admin / admin-password-1), opened unencrypted as the
 * bench does. --app: already built renderers instead of building this tree's (several: compared in one run, interleaved). --out: traces and profiles are kept there.
 */

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const RUNS = Number(arg('--runs') ?? 3);
const CPU = process.argv.includes('--cpu');
const MINIFY = !process.argv.includes('--no-minify') && !CPU;
const OUT = resolve(arg('--out') ?? '/tmp/renderer-profile');
const DB = arg('--db');
const WATCH = ['login-username', 'applicant-row', 'consent-section', 'applicant-save'] as const;

const WATCHER = `(() => {
  const ids = ${JSON.stringify(WATCH)};
  window.__marks = {};
  const look = () => {
    for (const id of ids) if (!(id in window.__marks) && document.querySelector('[data-testid="' + id + '"]')) {
      window.__marks[id] = performance.now();
      performance.mark('seen:' + id);
    }
  };
  new MutationObserver(look).observe(document, { childList: true, subtree: true });
})();`;

async function mark(page: Page, id: string): Promise<number> {
  const h = await page.waitForFunction((id) => (window as unknown as { __marks: Record<string, number> }).__marks[id], id, { timeout: 60_000, polling: 50 });
  return (await h.jsonValue()) as number;
}

async function press(page: Page, id: string): Promise<number> {
  return page.evaluate((id) => {
    const t = performance.now();
    performance.mark('press:' + id);
    (document.querySelector(`[data-testid="${id}"]`) as HTMLElement).click();
    return t;
  }, id);
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  tts?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

/** What kind of work an event's self time is. */
function kindOf(name: string): string {
  if (/^(v8\.compile|V8\.CompileCode|V8\.ScriptCompiler|v8\.parseOnBackground|V8\.ParseProgram|V8\.ParseFunction|v8\.produceModuleCache|CompileScript|CompileCode|v8\.compileModule)/i.test(name)) return 'script compile';
  if (/^(MinorGC|MajorGC|V8\.GC|BlinkGC|ThreadState::|GCEvent|V8\.Heap)/i.test(name)) return 'GC';
  if (/^(v8\.|V8\.|EvaluateScript|FunctionCall|RunMicrotasks|v8\.run|EventDispatch|TimerFire|FireAnimationFrame|FireIdleCallback|XHRReadyStateChange|v8\.callFunction|v8\.evaluateModule|ScheduledAction|Microtask)/.test(name)) return 'script run';
  if (/^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|ScheduleStyleRecalculation|StyleRecalc|StyleInvalidator)|recalcStyle|updateStyle|rebuildLayoutTree|StyleEngine|RuleSet|CSSParser|updateActiveStyle/.test(name)) return 'style';
  if (/^(Layout|UpdateLayerTree|LayoutShift|ComputeIntersections|IntersectionObserver)|performLayout|ShapeText|InlineNode|LayoutObject/.test(name)) return 'layout';
  if (/^(Paint|PrePaint|Layerize|UpdateLayer|CompositeLayers|Commit|RasterTask|PaintImage|Decode|ImageDecode|CommitLoad)/.test(name)) return 'paint/composite';
  if (/^(ParseHTML|HTMLDocumentParser|ResourceSendRequest|ResourceReceiveResponse|ResourceReceivedData|ResourceFinish|ResourceFetcher)/.test(name)) return 'HTML/loading';
  if (/Font/i.test(name)) return 'fonts';
  return 'other';
}

interface Window {
  start: number;
  end: number;
}

interface Breakdown {
  busyWall: number;
  busyCpu: number;
  byKind: Record<string, number>;
  byName: Record<string, number>;
}

/** Self thread time of the renderer main thread's events inside a window (µs in the trace, ms out). */
function analyse(events: TraceEvent[], pid: number, tid: number, w: Window): Breakdown {
  const mine = events.filter((e) => e.pid === pid && e.tid === tid && (e.ph === 'X' || e.ph === 'B' || e.ph === 'E'));
  // B/E pairs into complete events.
  const complete: TraceEvent[] = [];
  const open: TraceEvent[] = [];
  for (const e of mine.sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'X') complete.push(e);
    else if (e.ph === 'B') open.push(e);
    else {
      const b = open.pop();
      if (b) complete.push({ ...b, ph: 'X', dur: e.ts - b.ts, tdur: e.tts !== undefined && b.tts !== undefined ? e.tts - b.tts : undefined });
    }
  }
  complete.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const out: Breakdown = { busyWall: 0, busyCpu: 0, byKind: {}, byName: {} };
  // Nesting by time: self time = own time minus the children's (thread time where known, else wall).
  const stack: { e: TraceEvent; end: number; child: number; childT: number }[] = [];
  const close = (upTo: number) => {
    while (stack.length && stack[stack.length - 1].end <= upTo) {
      const s = stack.pop()!;
      const own = s.e.tdur ?? s.e.dur ?? 0;
      const self = Math.max(0, own - (s.e.tdur !== undefined ? s.childT : s.child));
      if (s.e.ts >= w.start && s.e.ts < w.end) {
        out.byName[s.e.name] = (out.byName[s.e.name] ?? 0) + self / 1000;
        const k = kindOf(s.e.name);
        out.byKind[k] = (out.byKind[k] ?? 0) + self / 1000;
        if (stack.length === 0) {
          out.busyWall += Math.min(s.end, w.end) / 1000 - Math.max(s.e.ts, w.start) / 1000;
          out.busyCpu += own / 1000;
        }
      }
      if (stack.length) {
        stack[stack.length - 1].child += s.e.dur ?? 0;
        stack[stack.length - 1].childT += s.e.tdur ?? s.e.dur ?? 0;
      }
    }
  };
  for (const e of complete) {
    close(e.ts);
    stack.push({ e, end: e.ts + (e.dur ?? 0), child: 0, childT: 0 });
  }
  close(Number.POSITIVE_INFINITY);
  return out;
}

interface RunResult {
  firstLoad: number;
  formOpen: number;
  load: Breakdown;
  form: Breakdown;
  resLoad: string[];
  resForm: string[];
  /** "new registration" pressed → the whole form in the page (its save button), when the form shows in steps. */
  formFull: number;
  cpuLoad?: Record<string, number>;
  cpuLoadFiles?: Record<string, number>;
  cpuForm?: Record<string, number>;
  cpuFormFiles?: Record<string, number>;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

function cpuSelf(p: CpuProfile): { fns: Record<string, number>; files: Record<string, number> } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const fns: Record<string, number> = {};
  const files: Record<string, number> = {};
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]);
    if (!n) continue;
    const dt = (p.timeDeltas[i + 1] ?? p.timeDeltas[i] ?? 0) / 1000;
    const file = n.callFrame.url.split('/').pop() || `(${n.callFrame.functionName || 'native'})`;
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
    fns[fn] = (fns[fn] ?? 0) + dt;
    files[file] = (files[file] ?? 0) + dt;
  }
  return { fns, files };
}

async function oneRun(browser: Browser, bridge: WebBridge, label: string, i: number): Promise<RunResult> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    await context.addInitScript(WATCHER);
    const page = await context.newPage();
    await browser.startTracing(page, {
      categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing', 'loading', 'blink', '__metadata'],
    });
    let cdp: Awaited<ReturnType<typeof context.newCDPSession>> | null = null;
    if (CPU) {
      cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(bridge.url);
    const firstLoad = await mark(page, 'login-username');
    let cpuLoad: Record<string, number> | undefined;
    let cpuLoadFiles: Record<string, number> | undefined;
    if (cdp) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      const s = cpuSelf(profile);
      cpuLoad = s.fns;
      cpuLoadFiles = s.files;
      writeFileSync(join(OUT, `${label}-${i}-load.cpuprofile`), JSON.stringify(profile));
    }
    const resLoad = await resources(page, 0, firstLoad);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('admin-password-1');
    await press(page, 'login-submit');
    await mark(page, 'applicant-row');
    await page.getByTestId('applicant-new').waitFor();
    if (cdp) await cdp.send('Profiler.start');
    const t1 = await press(page, 'applicant-new');
    const formAt = await mark(page, 'consent-section');
    const formOpen = formAt - t1;
    // The bare page's form is one piece: its end is the consent section's mark.
    const isApp = await page.evaluate(() => !!document.querySelector('[data-testid="applicant-form"]'));
    const formFull = isApp ? (await mark(page, 'applicant-save')) - t1 : formOpen;
    let cpuForm: Record<string, number> | undefined;
    let cpuFormFiles: Record<string, number> | undefined;
    if (cdp) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      const s = cpuSelf(profile);
      cpuForm = s.fns;
      cpuFormFiles = s.files;
      writeFileSync(join(OUT, `${label}-${i}-form.cpuprofile`), JSON.stringify(profile));
    }
    const resForm = await resources(page, t1, formAt);
    await page.waitForTimeout(300);
    const buf = await browser.stopTracing();
    writeFileSync(join(OUT, `${label}-${i}.trace.json`), buf);
    const trace = JSON.parse(buf.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
    const events = Array.isArray(trace) ? trace : trace.traceEvents;
    // The page's renderer: the process and thread where our marks are.
    const seen = (n: string) => events.filter((e) => e.name === n && e.cat.includes('blink.user_timing')).pop();
    const mLogin = seen('seen:login-username');
    const mPress = seen('press:applicant-new');
    const mForm = seen('seen:consent-section');
    if (!mLogin || !mPress || !mForm) throw new Error(`marks not found in the trace (${label} ${i})`);
    const pid = mLogin.pid;
    const mainTid = events.find((e) => e.pid === pid && e.name === 'thread_name' && (e.args as { name?: string })?.name === 'CrRendererMain')?.tid ?? mLogin.tid;
    const origin = mLogin.ts - firstLoad * 1000;
    const load = analyse(events, pid, mainTid, { start: origin, end: mLogin.ts });
    const form = analyse(events, pid, mainTid, { start: mPress.ts, end: mForm.ts });
    return { firstLoad, formOpen, formFull, load, form, resLoad, resForm, cpuLoad, cpuLoadFiles, cpuForm, cpuFormFiles };
  } finally {
    await context.close();
  }
}

async function resources(page: Page, from: number, to: number): Promise<string[]> {
  return page.evaluate(
    ([from, to]) =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((r) => r.startTime >= from - 1 && r.startTime <= to)
        .map((r) => `${r.startTime.toFixed(0).padStart(5)} → ${r.responseEnd.toFixed(0).padStart(5)} ms  ${(r.encodedBodySize / 1024).toFixed(0).padStart(4)} KB  ${r.name.replace(/^.*\/(assets\/)?/, '').replace(/\?.*/, '')}`),
    [from, to],
  );
}

const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const r0 = (x: number) => Math.round(x);

function top(rec: Record<string, number>[], n: number): string[] {
  const keys = new Set(rec.flatMap((r) => Object.keys(r)));
  return [...keys]
    .map((k) => [k, med(rec.map((r) => r[k] ?? 0))] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `    ${String(r0(v)).padStart(6)} ms  ${k}`);
}

/** Writes each chunk of the build with its biggest modules (rendered size), to see what the first chunks hold. */
function chunkReport(file: string) {
  return {
    name: 'chunk-report',
    generateBundle(_: unknown, bundle: Record<string, { type: string; fileName: string; isEntry?: boolean; isDynamicEntry?: boolean; imports?: string[]; modules?: Record<string, { renderedLength: number }>; source?: string | Uint8Array }>) {
      const out: string[] = [];
      const items = Object.values(bundle);
      const size = (c: (typeof items)[number]) => Object.values(c.modules ?? {}).reduce((s, m) => s + m.renderedLength, 0);
      for (const c of items.sort((a, b) => size(b) - size(a))) {
        if (c.type !== 'chunk') {
          out.push(`${c.fileName} (asset) ${((typeof c.source === 'string' ? c.source.length : (c.source?.length ?? 0)) / 1024).toFixed(0)} KB`);
          continue;
        }
        out.push(`${c.fileName}${c.isEntry ? ' [entry]' : ''}${c.isDynamicEntry ? ' [dynamic]' : ''} ${(size(c) / 1024).toFixed(0)} KB; imports ${(c.imports ?? []).join(' ')}`);
        const mods = Object.entries(c.modules ?? {}).sort((a, b) => b[1].renderedLength - a[1].renderedLength);
        const byPkg = new Map<string, number>();
        for (const [id, m] of mods) {
          const pkg = id.includes('node_modules/') ? id.split('node_modules/').pop()!.split('/').slice(0, id.split('node_modules/').pop()!.startsWith('@') ? 2 : 1).join('/') : id.replace(root, '').split('/').slice(0, 3).join('/');
          byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + m.renderedLength);
        }
        for (const [pkg, n] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 12)) out.push(`    ${(n / 1024).toFixed(1).padStart(7)} KB  ${pkg}`);
        for (const [id, m] of mods.slice(0, 15)) out.push(`        ${(m.renderedLength / 1024).toFixed(1).padStart(7)} KB  ${id.replace(root, '')}`);
      }
      writeFileSync(file, out.join('\n') + '\n');
    },
  };
}
const root = resolve('.');

async function main() {
  if (!DB) throw new Error('--db PATH (a seeded database) is required');
  process.env.JISR_BENCH_UNENCRYPTED = '1';
  mkdirSync(OUT, { recursive: true });
  // --app DIR[,DIR…]: builds to compare in one run (interleaved, so the machine's load weighs on each alike).
  const apps: { name: string; dir: string }[] = (arg('--app') ?? '').split(',').filter(Boolean).map((dir, i) => ({ name: `app${i + 1}`, dir }));
  if (!apps.length) {
    const dir = join(OUT, 'app-build');
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', plugins: [chunkReport(join(OUT, 'chunks.txt'))], build: { outDir: dir, emptyOutDir: true, minify: MINIFY } });
    apps.push({ name: 'app', dir });
  }
  const baseOut = join(OUT, 'baseline-build');
  await build({ configFile: false, root: join(root, 'bench', 'renderer-baseline'), base: './', logLevel: 'warn', plugins: [react()], build: { outDir: baseOut, emptyOutDir: true, minify: MINIFY } });

  const core = createCore({ dbPath: DB });
  const bridges = new Map<string, WebBridge>();
  for (const a of apps) bridges.set(a.name, await startWebBridge({ core, staticDir: a.dir }));
  bridges.set('base', await startWebBridge({ core, staticDir: baseOut }));
  const names = [...bridges.keys()];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const res = new Map<string, RunResult[]>(names.map((n) => [n, []]));
  const loads: number[] = [];
  try {
    for (const n of names) await oneRun(browser, bridges.get(n)!, `warm-${n}`, 0);
    for (let i = 0; i < RUNS; i++) {
      loads.push(loadavg()[0]);
      for (const n of names) res.get(n)!.push(await oneRun(browser, bridges.get(n)!, n, i));
    }
  } finally {
    await browser.close();
    for (const b of bridges.values()) await b.close();
    await core.close();
  }

  const lines: string[] = [];
  lines.push(`runs: ${RUNS} of each, interleaved; load average (1 min) median ${med(loads).toFixed(1)}; minified: ${MINIFY}`);
  for (const a of apps) lines.push(`  ${a.name}: ${a.dir}`);
  const base = res.get('base')!;
  for (const [w, wallKey] of [
    ['load', 'firstLoad'],
    ['form', 'formOpen'],
  ] as const) {
    lines.push('', `== ${w === 'load' ? 'first load: navigation → login form' : 'first opening of the registration form'}`);
    for (const who of names) {
      const rs = res.get(who)!;
      const wall = med(rs.map((r) => r[wallKey]));
      const busyW = med(rs.map((r) => r[w].busyWall));
      const busyC = med(rs.map((r) => r[w].busyCpu));
      const full = w === 'form' ? `; whole form (save button) ${r0(med(rs.map((r) => r.formFull)))} ms` : '';
      const ratio = who === 'base' ? '' : ` — ×${(wall / med(base.map((r) => r[wallKey]))).toFixed(2)} the bare page's wall, ×${(busyC / med(base.map((r) => r[w].busyCpu))).toFixed(2)} its CPU`;
      lines.push(`  ${who}: wall ${r0(wall)} ms; main thread busy ${r0(busyW)} ms wall, ${r0(busyC)} ms CPU (medians)${full} [walls: ${rs.map((r) => r0(r[wallKey])).join(', ')}; CPU: ${rs.map((r) => r0(r[w].busyCpu)).join(', ')}]${ratio}`);
      lines.push('   self CPU time by kind:');
      lines.push(...top(rs.map((r) => r[w].byKind), 12));
      if (who !== 'base') {
        lines.push('   self CPU time by event:');
        lines.push(...top(rs.map((r) => r[w].byName), 15));
        lines.push(`   resources (last run):`, ...(w === 'load' ? rs[RUNS - 1].resLoad : rs[RUNS - 1].resForm).map((s) => '    ' + s));
      }
    }
  }
  if (CPU) {
    for (const a of apps) {
      const rs = res.get(a.name)!;
      lines.push('', `== ${a.name}: first load, V8 sampling profiler, self time (median over runs), by file:`);
      lines.push(...top(rs.map((r) => r.cpuLoadFiles ?? {}), 15));
      lines.push('  by function:');
      lines.push(...top(rs.map((r) => r.cpuLoad ?? {}), 30));
      lines.push('', `== ${a.name}: form opening, V8 sampling profiler, self time (median over runs), by file:`);
      lines.push(...top(rs.map((r) => r.cpuFormFiles ?? {}), 15));
      lines.push('  by function:');
      lines.push(...top(rs.map((r) => r.cpuForm ?? {}), 40));
    }
  }
  const text = lines.join('\n');
  writeFileSync(join(OUT, 'summary.txt'), text + '\n');
  console.log(text);
}

void main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
