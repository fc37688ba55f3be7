// Runs one scenario of tests/test_clients.py through a copy of the JavaScript client:
// node client_scenario.mjs CLIENT_MODULE CURRENT_URL '{"record":..., "languages":[...], "now":...}'
// and prints what the client decided, downloaded and stored, as one JSON line.
import { pathToFileURL } from "node:url";

const [clientPath, currentUrl, input] = process.argv.slice(2);
const client = await import(pathToFileURL(clientPath).href);
const { record, languages, now, policy } = JSON.parse(input);
const result = await client.check({ currentUrl, record, languages, now: new Date(now) });
let stored = null;
if (result.text) {
  await client.download(result.text); // throws unless the bytes match the hash
  stored = client.consentRecord(policy, result.version, result.language, result.text,
                                new Date(now));
}
const again = await client.poll(currentUrl, result.state);
const tampered = result.text &&
  await client.verify(new TextEncoder().encode("not the text"), result.text.sha256);
console.log(JSON.stringify({
  ask: result.ask, reason: result.reason, version: result.version ? result.version.id : null,
  language: result.language, upcoming: result.upcoming, stored,
  revalidated: again.changed === false, tampered,
}));
