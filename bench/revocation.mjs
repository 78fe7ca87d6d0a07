// (c) Revoke a key while its token is in use; report how long until its first 401, and whether any request
// that started after the revoke was acknowledged still got 200. Node's built-in fetch, loopback only, bounded.
const [base, token, adminToken, keyId] = process.argv.slice(2);
const loops = 8, runMs = 3000, revokeAtMs = 1000;
const results = [];
let revokedAt = null;
const started = performance.now();

async function poll() {
  while (performance.now() - started < runMs) {
    const begin = performance.now();
    const response = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    results.push({ begin, end: performance.now(), status: response.status });
  }
}

async function revoke() {
  await new Promise(resolve => setTimeout(resolve, revokeAtMs));
  const response = await fetch(`${base}/v1/api-keys/${keyId}/revoke`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ reason: "benchmark" }),
  });
  if (response.status !== 200) throw new Error(`revoke answered ${response.status}`);
  revokedAt = performance.now();
}

await Promise.all([revoke(), ...Array.from({ length: loops }, poll)]);
const after = results.filter(r => r.begin >= revokedAt);
const first401 = results.filter(r => r.status === 401).sort((a, b) => a.end - b.end)[0];
console.log(JSON.stringify({
  requests: results.length,
  okBeforeRevoke: results.filter(r => r.end <= revokedAt && r.status === 200).length,
  startedAfterRevoke: after.length,
  okAfterRevoke: after.filter(r => r.status === 200).length,
  firstUnauthorizedMsAfterRevoke: first401 ? Math.max(0, first401.end - revokedAt).toFixed(2) : null,
}));
