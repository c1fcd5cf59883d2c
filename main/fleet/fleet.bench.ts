// Fleet load rig (issue 12): 2,000 real FleetAgents on simulated kiosks (several hundred per process) against a
// private Mosquitto with the shipped ACL and one password per kiosk, and the real fleet console in its own
// process. Measures: time for all kiosks to show online on the console's WebSocket; paper-out on one kiosk to the
// alert on the console's WebSocket (p50/p95, idle fleet and under a status storm); console ingest rate; broker and
// console CPU and memory; time to roll a signed config out to all kiosks with every answer.
//   npm run bench -- fleet        FLEET_BENCH_KIOSKS=2000 FLEET_BENCH_PROCS=4 (defaults)
import { fork, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { projectRoot } from '../config/load.js';
import type { FleetServerMessage } from '../contract/fleet.js';
import { createLogger, logSink } from '../core/logger.js';
import { ConsoleAuth } from '../fleet-console/console-auth.js';
import { FleetConsole } from '../fleet-console/fleet-console.js';
import { consoleMigrations } from '../fleet-console/migrations/index.js';
import { openDatabase } from '../storage/database.js';
import { silentLogger } from '../../drivers/log.js';
import { FleetAgent } from './agent.js';
import { generateFleetKeyPair, loadPrivateKey, loadPublicKey } from './signing.js';
import { SimulatedKiosk } from './simulated-kiosk.js';
import { mosquittoPasswordLine, startTestBroker } from './test-broker.js';

const KIOSKS = Number(process.env.FLEET_BENCH_KIOSKS ?? 2000);
const PROCS = Number(process.env.FLEET_BENCH_PROCS ?? 4);
const PER_HALL = 20;
const PIN = '246810';
const now = () => performance.timeOrigin + performance.now();
const kioskName = (i: number) => ({ hallId: `hall-${String(Math.floor(i / PER_HALL)).padStart(3, '0')}`, kioskId: `k${String(i % PER_HALL).padStart(2, '0')}` });

type ToAgents = { type: 'paper'; index: number; out: boolean } | { type: 'storm'; rounds: number } | { type: 'stop' };
type FromAgents = { type: 'connected'; count: number } | { type: 'paper'; index: number; at: number } | { type: 'storm-done'; messages: number } | { type: 'stopped' };

// ----- child: agents ----------------------------------------------------------------------------------------------

async function runAgents(first: number, count: number, url: string, publicKeyPem: string): Promise<void> {
  logSink.echo = false;
  const sims: SimulatedKiosk[] = [];
  const agents: FleetAgent[] = [];
  const key = loadPublicKey(publicKeyPem);
  for (let i = first; i < first + count; i++) {
    const { hallId, kioskId } = kioskName(i);
    const sim = new SimulatedKiosk({ hallId, kioskId, hallName: `${hallId} 便民服务中心`, region: `区域${Math.floor(i / 500)}` });
    const agent = new FleetAgent({ url, username: `${hallId}/${kioskId}`, password: `pw-${i}`, topicPrefix: 'hk/v1', statsIntervalS: 60, offlineQueueMax: 500, publicKey: key, facts: sim, control: sim, logger: silentLogger });
    sims.push(sim);
    agents.push(agent);
    agent.start();
  }
  const started = now();
  await Promise.all(agents.map((a) => a.connected));
  if (process.env.FLEET_BENCH_DEBUG) console.log(`agents ${first}..${first + count - 1}: connected in ${(now() - started).toFixed(0)} ms after ${(now() - performance.timeOrigin).toFixed(0)} ms of process life`);
  process.send!({ type: 'connected', count } satisfies FromAgents);
  process.on('message', (m: ToAgents) => {
    switch (m.type) {
      case 'paper': {
        const sim = sims[m.index - first]!;
        const at = now();
        sim.setDevice('receiptPrinter', m.out ? 'error' : 'ok', m.out ? 'paper end' : 'ready');
        process.send!({ type: 'paper', index: m.index, at } satisfies FromAgents);
        return;
      }
      case 'storm': {
        // Each round: every kiosk's scanner fails and recovers: alert open + resolve + two status updates.
        let round = 0;
        const tick = () => {
          for (const s of sims) s.setDevice('scanner', round % 2 === 0 ? 'error' : 'ok', round % 2 === 0 ? 'storm' : 'ready');
          round++;
          if (round < m.rounds * 2) return void setTimeout(tick, 150);
          // Done when the broker acknowledged every alert this process published (statuses are coalesced).
          const acked = () => agents.every((a) => a.counters.acked >= a.counters.published);
          const wait = () => (acked() ? process.send!({ type: 'storm-done', messages: sims.length * m.rounds * 4 } satisfies FromAgents) : setTimeout(wait, 50));
          wait();
        };
        tick();
        return;
      }
      case 'stop':
        void Promise.all(agents.map((a) => a.stop())).then(() => {
          process.send!({ type: 'stopped' } satisfies FromAgents);
          process.exit(0);
        });
        return;
      default: {
        const never: never = m;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  });
}

// ----- child: console ---------------------------------------------------------------------------------------------

async function runConsole(url: string, dataDir: string, signingKeyFile: string): Promise<void> {
  logSink.echo = false;
  const fc = new FleetConsole({
    brokerUrl: url,
    username: 'fleet-console',
    password: 'console-pw',
    topicPrefix: 'hk/v1',
    dataDir,
    port: 0,
    rendererDir: path.join(dataDir, 'none'),
    signingKey: loadPrivateKey(readFileSync(signingKeyFile, 'utf8')),
    logger: createLogger('fleet-console'),
    commandTimeoutMs: 30_000,
  });
  const port = await fc.listen();
  await fc.connected;
  process.send!({ type: 'ready', port });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stop') void fc.close().then(() => process.exit(0));
  });
}

// ----- parent: the rig ------------------------------------------------------------------------------------------

interface ProcSample {
  cpuS: number;
  rssMb: number;
}

function sample(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuS = (Number(fields[11]) + Number(fields[12])) / 100;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuS, rssMb: rss ? Number(rss[1]) / 1024 : 0 };
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function parent(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-bench-'));
  const keys = generateFleetKeyPair();
  writeFileSync(path.join(dir, 'signing.key'), keys.privateKeyPem, { mode: 0o600 });
  const kit = path.join(projectRoot(), 'build', 'deploy', 'mosquitto');
  const broker = await startTestBroker({
    prepare: (bdir) => {
      copyFileSync(path.join(kit, 'acl'), path.join(bdir, 'acl'));
      const lines = [mosquittoPasswordLine('fleet-console', 'console-pw')];
      for (let i = 0; i < KIOSKS; i++) {
        const { hallId, kioskId } = kioskName(i);
        lines.push(mosquittoPasswordLine(`${hallId}/${kioskId}`, `pw-${i}`));
      }
      writeFileSync(path.join(bdir, 'passwd'), lines.join('\n') + '\n');
    },
    config: (bdir, port) =>
      `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${bdir}/passwd\nacl_file ${bdir}/acl\npersistence false\nmax_queued_messages 100000\nmax_inflight_messages 1000\n`,
  });
  const brokerPid = broker.process.pid!;
  const db = openDatabase({ file: path.join(dir, 'console', 'fleet.db'), migrations: consoleMigrations });
  await new ConsoleAuth(db).setUser('bench', 'admin', PIN);
  db.close();

  const self = process.argv[1]!;
  const consoleProc = fork(self, ['console', broker.url, path.join(dir, 'console'), path.join(dir, 'signing.key')], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => consoleProc.once('message', (m: { port: number }) => resolve(m.port)));
  const consolePid = consoleProc.pid!;
  const signIn = (await (await fetch(`http://127.0.0.1:${port}/api/sign-in`, { method: 'POST', body: JSON.stringify({ user: 'bench', pin: PIN }) })).json()) as { value: { token: string } };
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const online = new Set<string>();
  const alertWaiters = new Map<string, (at: number) => void>();
  const answerWaiters = new Map<string, (m: FleetServerMessage) => void>();
  let wsMessages = 0;
  ws.on('message', (d) => {
    const at = now();
    wsMessages++;
    const m = JSON.parse(String(d)) as FleetServerMessage;
    if (m.type === 'snapshot') for (const k of m.snapshot.kiosks) if (k.online) online.add(k.key);
    if (m.type === 'kiosks') {
      for (const k of m.kiosks) {
        if (k.online) online.add(k.key);
        else online.delete(k.key);
      }
    }
    if (m.type === 'alert' && m.alert.code === 'PAPER_OUT' && !m.alert.resolved) alertWaiters.get(m.alert.key)?.(at);
    if ((m.type === 'answer' || m.type === 'error') && m.requestId) answerWaiters.get(m.requestId)?.(m);
  });
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  ws.send(JSON.stringify({ type: 'hello', token: signIn.value.token }));

  const until = async (what: string, f: () => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!f()) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const agentPids: number[] = [];
  const phase = () => ({
    t: now(),
    broker: sample(brokerPid),
    console: sample(consolePid),
    agents: { cpuS: agentPids.reduce((s, p) => s + sample(p).cpuS, 0), rssMb: 0 },
  });
  const cpu = (a: ReturnType<typeof phase>, b: ReturnType<typeof phase>, who: 'broker' | 'console' | 'agents') => ((b[who].cpuS - a[who].cpuS) / ((b.t - a.t) / 1000)) * 100;
  const cpus = (a: ReturnType<typeof phase>, b: ReturnType<typeof phase>) =>
    `${cpu(a, b, 'broker').toFixed(0)} % / ${cpu(a, b, 'console').toFixed(0)} % / ${cpu(a, b, 'agents').toFixed(0)} % (all agent processes; 100 % = one core)`;
  const figures: [string, string][] = [];
  const fig = (k: string, v: string) => {
    figures.push([k, v]);
    console.log(`  ${k}: ${v}`);
  };

  // 1. connect storm
  const p0 = phase();
  const per = Math.ceil(KIOSKS / PROCS);
  const agentProcs: ChildProcess[] = [];
  const paperAt = new Map<number, (at: number) => void>();
  const stormDone: (() => void)[] = [];
  for (let p = 0; p < PROCS; p++) {
    const first = p * per;
    const count = Math.min(per, KIOSKS - first);
    if (count <= 0) break;
    const child = fork(self, ['agents', String(first), String(count), broker.url, keys.publicKeyPem], { stdio: 'inherit' });
    child.on('message', (m: FromAgents) => {
      if (m.type === 'paper') paperAt.get(m.index)?.(m.at);
      if (m.type === 'storm-done') stormDone.shift()?.();
    });
    agentProcs.push(child);
    agentPids.push(child.pid!);
  }
  await until('all kiosks online on the console', () => online.size >= KIOSKS, 120_000);
  const p1 = phase();
  fig(`kiosks online on the console page (${KIOSKS} agents in ${agentProcs.length} processes)`, `${((p1.t - p0.t) / 1000).toFixed(1)} s from spawn`);
  fig('connect storm CPU: broker / console / agents', cpus(p0, p1));
  const agentRss = agentProcs.map((c) => sample(c.pid!).rssMb);
  fig('agent process memory (RSS)', `${(agentRss.reduce((a, b) => a + b, 0) / agentRss.length).toFixed(0)} MB per ${per} agents ≈ ${((agentRss.reduce((a, b) => a + b, 0) / KIOSKS) * 1024).toFixed(0)} KB per agent`);

  // 2. paper-out -> alert on the console's WebSocket, idle fleet
  const procOf = (i: number) => agentProcs[Math.floor(i / per)]!;
  let lost = 0;
  const paperLatency = async (n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let j = 0; j < n; j++) {
      const i = Math.floor(Math.random() * KIOSKS);
      const key = `${kioskName(i).hallId}/${kioskName(i).kioskId}`;
      // An alert not seen within 20 s counts as lost (reported), so one miss cannot hang the rig.
      const seen = new Promise<number>((resolve) => {
        const t = setTimeout(() => resolve(Number.NaN), 20_000);
        alertWaiters.set(key, (at) => {
          clearTimeout(t);
          resolve(at);
        });
      });
      const sent = new Promise<number>((resolve) => paperAt.set(i, resolve));
      procOf(i).send({ type: 'paper', index: i, out: true } satisfies ToAgents);
      const [a, b] = await Promise.all([sent, seen]);
      alertWaiters.delete(key);
      if (Number.isNaN(b)) {
        lost++;
        console.log(`  (paper-out alert of ${key} not seen within 20 s)`);
      } else out.push(b - a);
      procOf(i).send({ type: 'paper', index: i, out: false } satisfies ToAgents);
      await new Promise((r) => setTimeout(r, 10));
    }
    return out;
  };
  const idle = await paperLatency(200);
  fig('paper-out → alert on console WebSocket, idle fleet (n=200)', `p50 ${pct(idle, 50).toFixed(1)} ms, p95 ${pct(idle, 95).toFixed(1)} ms, max ${Math.max(...idle).toFixed(1)} ms`);

  // 3. status storm: ingest rate, and alert latency under load
  const health = async () => (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { messages: number };
  const rounds = 5;
  const before = await health();
  const p2 = phase();
  console.log('  (status storm starting)');
  const done = Promise.all(agentProcs.map(() => new Promise<void>((resolve) => stormDone.push(resolve))));
  for (const c of agentProcs) c.send({ type: 'storm', rounds } satisfies ToAgents);
  const loaded = await paperLatency(40);
  console.log('  (alert latency under the storm measured; waiting for the agents to finish sending)');
  await done;
  const sentAll = now();
  const expected = before.messages + KIOSKS * rounds * 4;
  let last = await health();
  const deadline = Date.now() + 60_000;
  while (last.messages < expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await health();
  }
  const p3 = phase();
  const ingested = last.messages - before.messages;
  const stormS = (p3.t - p2.t) / 1000;
  const consoleCpu = cpu(p2, p3, 'console');
  fig(`status storm: ${KIOSKS * rounds * 4} messages (alert open/close + 2 status per kiosk, ${rounds} rounds)`, `console ingested ${ingested} in ${stormS.toFixed(1)} s = ${(ingested / stormS).toFixed(0)} msg/s; backlog drained ${(p3.t - sentAll).toFixed(0)} ms after the agents' last message`);
  fig('console ingest cost', `${consoleCpu.toFixed(0)} % of one core at ${(ingested / stormS).toFixed(0)} msg/s ≈ ${((ingested / stormS) / Math.max(0.01, consoleCpu / 100)).toFixed(0)} msg/s per core`);
  fig(`paper-out → alert during the storm (n=${loaded.length})`, `p50 ${pct(loaded, 50).toFixed(1)} ms, p95 ${pct(loaded, 95).toFixed(1)} ms; alerts not seen within 20 s: ${lost}`);
  fig('storm CPU: broker / console / agents', cpus(p2, p3));
  fig('WebSocket messages to the page during the storm', `${wsMessages} total so far (kiosk rows coalesced every 250 ms)`);

  // 4. roll a signed config out to every kiosk
  const all = Array.from({ length: KIOSKS }, (_, i) => kioskName(i));
  const config = { announcements: [{ id: 'bench', text: { 'zh-CN': '系统升级通知', 'zh-HK': '系統升級通知', en: 'Upgrade notice' } }] };
  const p4 = phase();
  const answer = new Promise<FleetServerMessage>((resolve) => answerWaiters.set('roll', resolve));
  ws.send(JSON.stringify({ type: 'config.rollout', requestId: 'roll', target: { kind: 'list', kiosks: all }, config, firstWave: 20 }));
  const a = await answer;
  const p5 = phase();
  const view = a.type === 'answer' && a.answer.ok ? (a.answer.value as { steps: { state: string }[] }) : undefined;
  fig(`config roll-out to all ${KIOSKS} (20 first, then 200 at a time), every answer collected`, `${((p5.t - p4.t) / 1000).toFixed(1)} s, ${view ? view.steps.filter((s) => s.state === 'ok').length : 0} ok, answer ${a.type === 'answer' && a.answer.ok ? 'ok' : JSON.stringify(a).slice(0, 200)}`);
  fig('roll-out CPU: broker / console / agents', cpus(p4, p5));
  const end = phase();
  fig('memory (RSS) at the end: broker / console', `${end.broker.rssMb.toFixed(0)} MB / ${end.console.rssMb.toFixed(0)} MB`);

  const warnings = broker.log().split('\n').filter((l) => /warn|drop|exceed|disconnect/i.test(l));
  fig('broker warnings in its log', warnings.length ? `${warnings.length}: ${warnings.slice(0, 3).join(' | ')}` : 'none');
  fig('machine load average (1/5/15 min) at the end', os.loadavg().map((l) => l.toFixed(1)).join(' / '));
  ws.close();
  await Promise.all(agentProcs.map((c) => new Promise<void>((resolve) => {
    c.once('exit', () => resolve());
    c.send({ type: 'stop' } satisfies ToAgents);
  })));
  await new Promise<void>((resolve) => {
    consoleProc.once('exit', () => resolve());
    consoleProc.send({ type: 'stop' });
  });
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
  console.log(`\nfleet bench (${os.cpus().length} CPUs, Node ${process.version}, ${KIOSKS} kiosks):`);
  for (const [k, v] of figures) console.log(`| ${k} | ${v} |`);
}

const role = process.argv[2];
const fail = (e: unknown) => {
  console.error(e);
  process.exit(1);
};
if (role === 'agents') runAgents(Number(process.argv[3]), Number(process.argv[4]), process.argv[5]!, process.argv[6]!).catch(fail);
else if (role === 'console') runConsole(process.argv[3]!, process.argv[4]!, process.argv[5]!).catch(fail);
else await parent().catch(fail);
