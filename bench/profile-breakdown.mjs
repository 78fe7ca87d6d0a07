// Reads `perf script -F comm,tid,ip,sym,dso` from stdin and prints where the server's CPU went, as shares of all
// samples: first by the code that was running (leaf), then the token endpoint's own managed work by step.
import { createInterface } from 'node:readline';

const samples = [];
let current = null;
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) { if (current) samples.push(current); current = null; continue; }
  if (!/^\s/.test(line)) current = { thread: line.trim(), frames: [] };
  else if (current) current.frames.push(line.trim());
}
if (current) samples.push(current);

const has = (s, text) => s.frames.some(f => f.includes(text));
const leafIn = (s, lib) => (s.frames[0] ?? '').includes(lib);

// The first rule that matches a sample names it.
const where = [
  ['signing and hashing (libcrypto)', s => leafIn(s, 'libcrypto')],
  ['garbage collector threads', s => /\.NET (Server )?GC|\.NET BGC/.test(s.thread)],
  ['JIT compiler', s => has(s, 'libclrjit')],
  ['audit flush (SQLite INSERTs)', s => leafIn(s, 'libe_sqlite3') || has(s, 'AuditQueue+<WriteAsync>') || has(s, 'AuditQueue::Flush')],
  ['kernel (TCP send/receive, scheduling)', s => leafIn(s, '[kernel')],
  ['token endpoint (managed)', s => has(s, 'TokenEndpoint+<HandleAsync>')],
  ['Kestrel, middleware and socket engine (managed)', s => has(s, 'ProcessRequests') || has(s, 'SocketAsyncEngine') || has(s, 'SocketAsyncContext')],
  ['runtime (libcoreclr)', s => leafIn(s, 'libcoreclr')],
  ['libc (malloc, memset, syscalls)', s => leafIn(s, 'libc.so')],
  ['other', () => true],
];
const steps = [
  ['JWT assembly (TokenIssuer.Issue)', 'TokenIssuer::Issue'],
  ['key authentication (hash, registry, standing)', 'KeyAuthenticator'],
  ['request reading', 'TokenRequestReader'],
  ['scope ordering', 'ScopeCatalog'],
  ['usage record', 'KeyUsageTracker'],
  ['audit event (build + enqueue)', 'AuditLog::Event'],
  ['audit event (build + enqueue)', 'AuditQueue::Enqueue'],
  ['rate limits', 'RateLimits'],
  ['response JSON', 'System.Text.Json'],
];

const share = n => `${(100 * n / samples.length).toFixed(1).padStart(5)} %`;
const tally = (items, name) => items.reduce((m, s) => m.set(name(s), (m.get(name(s)) ?? 0) + 1), new Map());
const print = map => [...map].sort((a, b) => b[1] - a[1]).forEach(([k, n]) => console.log(`| ${k} | ${share(n)} |`));

console.log(`${samples.length} samples\n\n| where | share of the server's CPU |\n|---|---|`);
print(tally(samples, s => where.find(([, test]) => test(s))[0]));
const handler = samples.filter(s => where.find(([, test]) => test(s))[0] === 'token endpoint (managed)');
console.log(`\n| token endpoint step (managed code only) | share of the server's CPU |\n|---|---|`);
print(tally(handler, s => steps.find(([, frame]) => has(s, frame))?.[0] ?? 'the handler itself, headers, Kestrel writes'));
