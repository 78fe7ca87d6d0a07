// Creates N keys through /v1 (8 at a time) while a local receiver records when each key's api_key.created event
// arrives; prints JSON: how many arrived, the delivery rate and the lag from the create response to the delivery.
// Usage: node bench/webhooks.mjs <base> <token> <receiver port> <count>
import http from "node:http";

const [base, token, port, count] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
const created = new Map(), delivered = new Map();
const server = http.createServer((request, response) => {
  let body = "";
  request.on("data", d => body += d).on("end", () => {
    const event = JSON.parse(body);
    if (event.type === "api_key.created" && !delivered.has(event.data.key_id)) delivered.set(event.data.key_id, performance.now());
    response.end("ok");
  });
});
await new Promise(resolve => server.listen(port, "127.0.0.1", resolve));

const started = performance.now();
let next = 0;
async function worker() {
  while (next < count) {
    const i = next++;
    const response = await fetch(`${base}/v1/api-keys`, {
      method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `Webhook bench ${i}`, environment: "test", scopes: ["read:api_keys"] }),
    });
    const key = (await response.json()).apiKey.keyId;
    created.set(key, performance.now());
  }
}
await Promise.all(Array.from({ length: 8 }, worker));
const createdAll = performance.now();
while (delivered.size < count && performance.now() - createdAll < 120_000) await new Promise(r => setTimeout(r, 50));
const lags = [...created].filter(([k]) => delivered.has(k)).map(([k, t]) => delivered.get(k) - t).sort((a, b) => a - b);
const pct = p => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))];
const last = Math.max(...delivered.values());
console.log(JSON.stringify({
  created: created.size, delivered: delivered.size,
  createSeconds: ((createdAll - started) / 1000).toFixed(2), lastDeliverySeconds: ((last - started) / 1000).toFixed(2),
  deliveredPerSecond: (delivered.size / ((last - started) / 1000)).toFixed(0),
  lagMsP50: pct(0.5).toFixed(0), lagMsP95: pct(0.95).toFixed(0), lagMsMax: lags.at(-1).toFixed(0),
}));
server.close();
