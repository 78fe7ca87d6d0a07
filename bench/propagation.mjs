// Revocation across instances: N times, make a key on instance A (POST /v1/api-keys), get its token from B, revoke
// it on A, then ask B's /v1/me until it answers 401. Prints the time from A's acknowledgement to B's first 401.
// Usage: node bench/propagation.mjs <A base URL> <B base URL> <admin access token from A> [N]
const [a, b, admin, count = '100'] = process.argv.slice(2);
const json = { 'Content-Type': 'application/json', Authorization: `Bearer ${admin}` };
const times = [];
for (let i = 0; i < Number(count); i++) {
  const made = await (await fetch(`${a}/v1/api-keys`, { method: 'POST', headers: json,
    body: JSON.stringify({ name: `Propagation ${i}`, environment: 'live', scopes: ['read:api_keys'] }) })).json();
  const exchange = await fetch(`${b}/oauth/token`, { method: 'POST', headers: { Authorization: `Bearer ${made.key}` } });
  const token = (await exchange.json()).access_token;
  const revoked = await fetch(`${a}/v1/api-keys/${made.apiKey.keyId}/revoke`, { method: 'POST', headers: json, body: '{}' });
  if (revoked.status !== 200) throw new Error(`revoke answered ${revoked.status}`);
  const acknowledged = performance.now();
  while ((await fetch(`${b}/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).status === 200) { /* ask again */ }
  times.push(performance.now() - acknowledged);
}
times.sort((x, y) => x - y);
console.log(JSON.stringify({ revocations: times.length, p50Ms: times[Math.floor(times.length / 2)].toFixed(1), maxMs: times.at(-1).toFixed(1) }));
