// Validates every JSON document under a built site's api/v1/ against the schema it names in
// `$schema`, as a JavaScript app would: Ajv 8, draft 2020-12, strict mode, formats checked.
// Usage: node validate.mjs SITE_DIR [EXTRA_SCHEMA...]; prints one JSON report on stdout.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [site, ...extraSchemas] = process.argv.slice(2);
const api = join(site, "api", "v1");
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);

function files(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".json") ? [path] : [];
  });
}

const compiled = new Map();
const report = { schemas: [], documents: 0, problems: [] };
function validatorOf(path) {
  if (!compiled.has(path)) {
    try {
      compiled.set(path, ajv.compile(JSON.parse(readFileSync(path, "utf8"))));
      report.schemas.push(relative(site, path));
    } catch (error) {
      compiled.set(path, null);
      report.problems.push(`${relative(site, path)}: does not compile: ${error.message}`);
    }
  }
  return compiled.get(path);
}

for (const path of [...files(join(api, "schema")), ...extraSchemas].map((p) => resolve(p))) {
  validatorOf(path);
}
for (const path of files(api)) {
  const data = JSON.parse(readFileSync(path, "utf8"));
  if (typeof data.$schema !== "string" || data.$schema.startsWith("https://json-schema.org/")) {
    continue; // a schema itself, or a document that names none (openapi.json)
  }
  const validate = validatorOf(resolve(dirname(resolve(path)), data.$schema));
  if (!validate) continue;
  report.documents += 1;
  if (!validate(data)) {
    report.problems.push(`${relative(site, path)}: ${ajv.errorsText(validate.errors)}`);
  }
}
process.stdout.write(JSON.stringify(report) + "\n");
