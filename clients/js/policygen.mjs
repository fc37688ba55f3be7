// policygen's reference client: an ES module without dependencies, for browsers and Node 18+.
// check() polls current.json, reads the index only when it must, and says whether to ask the
// user for consent; download() fetches a text and verifies its hash; consentRecord() makes the
// record to store (api/v1/schema/consent-record.schema.json).

const inBrowser = typeof document !== "undefined";

// Poll current.json. `state` is what the last poll returned ({etag, current}); an unchanged
// document costs a 304 without a body. A browser revalidates with its own cache: setting
// If-None-Match by hand would make a request from another origin need a preflight.
export async function poll(currentUrl, state = {}, fetchImpl = globalThis.fetch) {
  const headers = !inBrowser && state.etag ? { "If-None-Match": state.etag } : {};
  const response = await fetchImpl(currentUrl, { headers, cache: "no-cache" });
  if (response.status === 304 && state.current) return { ...state, changed: false };
  if (!response.ok) throw new Error(`${currentUrl}: HTTP ${response.status}`);
  const current = await response.json();
  const changed = JSON.stringify(current) !== JSON.stringify(state.current);
  return { etag: response.headers.get("ETag"), current, changed };
}

// Whether current.json still tells what is in force at `now`: until valid_until.
export function isFresh(current, now = new Date()) {
  return current.valid_until === null || now < new Date(current.valid_until);
}

// A version as the decision needs it: its texts by language, with absolute URLs.
function fromCurrent(entry, currentUrl) {
  const texts = {};
  for (const [lang, sha256] of Object.entries(entry.sha256)) {
    const path = entry.by_hash.replace("{lang}", lang.toLowerCase()).replace("{sha256}", sha256);
    texts[lang] = { sha256, url: new URL(path, currentUrl).href };
  }
  return { ...entry, texts };
}

function fromIndex(entry, indexUrl) {
  const texts = {};
  for (const [lang, doc] of Object.entries(entry.documents)) {
    texts[lang] = { sha256: doc.sha256, url: new URL(doc.by_hash, indexUrl).href };
  }
  return { ...entry, texts };
}

// The version in force at `now`, or null. After valid_until the site has not been rebuilt
// since: the index's instants tell (the last version not withdrawn that has taken effect).
export function inForce(current, index, now = new Date(), urls = {}) {
  if (isFresh(current, now)) {
    return current.current && fromCurrent(current.current, urls.current);
  }
  const taken = takingEffect(index).filter((v) => new Date(v.effective_at) <= now);
  return taken.length ? fromIndex(taken[taken.length - 1], urls.index) : null;
}

function takingEffect(index) {
  if (!index) throw new Error("the index is needed: current.json alone cannot settle this");
  return index.versions.filter((v) => !v.withdrawal)
    .sort((a, b) => a.sequence - b.sequence);
}

// The next version to take effect after `now`, as {id, effective_at, reconsent_required}.
function nextUpcoming(current, index, now) {
  const next = isFresh(current, now) ? current.upcoming
    : takingEffect(index).find((v) => new Date(v.effective_at) > now);
  return next ? { id: next.id, effective_at: next.effective_at,
                  reconsent_required: next.reconsent_required } : null;
}

// Whether deciding for this record needs the index: current.json settles a record of the
// text in force, or no record; anything else (an older version, a corrected text, a hash
// that matches nothing) is checked against the whole history.
export function needsIndex(record, current, now = new Date()) {
  if (!isFresh(current, now)) return true;
  const named = current.current;
  return Boolean(record && named && !(record.version === named.id &&
                                      record.sha256 === named.sha256[record.language]));
}

// Whether to ask the user for consent, from their stored record (or null), the polled
// current.json and, where needsIndex() says so, the index.
export function decide(record, current, index, now = new Date(), urls = {}) {
  const version = inForce(current, index, now, urls);
  const upcoming = nextUpcoming(current, index, now);
  const answer = (ask, reason) => ({ ask, reason, version, upcoming });
  if (!version) return answer(false, "nothing-in-force");
  if (!record) return answer(true, "no-record");
  if (record.version === version.id && record.sha256 === version.texts[record.language]?.sha256) {
    return answer(false, "consented-to-this-text");
  }
  const versions = takingEffect(index);
  const accepted = versions.find((v) => v.id === record.version);
  if (!accepted) return answer(true, "unknown-or-withdrawn-version");
  // The text the user read: the version's latest, or one a correction replaced since.
  const corrections = accepted.corrections ?? [];
  const replacedBy = corrections.findIndex((c) => c.replaced[record.language]?.sha256 === record.sha256);
  if (replacedBy < 0 && accepted.documents[record.language]?.sha256 !== record.sha256) {
    return answer(true, "hash-matches-no-text");
  }
  if (replacedBy >= 0 && corrections.slice(replacedBy).some((c) => c.reconsent_required)) {
    return answer(true, "correction-requires-consent");
  }
  // Withdrawn versions never took effect: they are not in `versions`, so never counted.
  const since = versions.filter((v) => v.sequence > accepted.sequence && v.sequence <= version.sequence);
  if (since.some((v) => v.reconsent_required)) return answer(true, "reconsent-required");
  return answer(false, since.length ? "earlier-consent-still-counts" : "consented-to-this-version");
}

// The user's language where the version has it, else the authoritative one: each wanted
// tag is tried whole, then without its last subtag (zh-Hant-TW, zh-Hant, zh), as RFC 4647's
// lookup does, ignoring case.
export function chooseLanguage(wanted, available, authoritative) {
  const byLower = new Map(available.map((tag) => [tag.toLowerCase(), tag]));
  for (const tag of wanted) {
    const parts = tag.toLowerCase().split("-");
    while (parts.length) {
      const found = byLower.get(parts.join("-"));
      if (found) return found;
      parts.pop();
    }
  }
  return authoritative;
}

// Poll, read the index only where needed, and decide. Returns the decision, the language to
// show, that text ({sha256, url}) and `state` to pass to the next check.
export async function check({ currentUrl, record = null, languages = [], now = new Date(),
                              state = {}, fetchImpl = globalThis.fetch }) {
  const polled = await poll(currentUrl, state, fetchImpl);
  const current = polled.current;
  const urls = { current: currentUrl, index: new URL(current.index, currentUrl).href };
  let index = null;
  if (needsIndex(record, current, now)) {
    const response = await fetchImpl(urls.index, { cache: "no-cache" });
    if (!response.ok) throw new Error(`${urls.index}: HTTP ${response.status}`);
    index = await response.json();
  }
  const decision = decide(record, current, index, now, urls);
  const version = decision.version;
  const language = version &&
    chooseLanguage(languages, Object.keys(version.texts), current.authoritative_language);
  return { ...decision, language, text: version && version.texts[language],
           state: { etag: polled.etag, current } };
}

// Whether `bytes` are the text whose SHA-256 is `sha256`.
export async function verify(bytes, sha256) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("") === sha256;
}

// The text ({sha256, url}) as bytes, refused unless it is what its hash says.
export async function download(text, fetchImpl = globalThis.fetch) {
  const response = await fetchImpl(text.url);
  if (!response.ok) throw new Error(`${text.url}: HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  if (!(await verify(bytes, text.sha256))) {
    throw new Error(`${text.url} does not match its published hash`);
  }
  return bytes;
}

// What to store once the user has read the text and agreed.
export function consentRecord(policyId, version, language, text, consentedAt = new Date(),
                              presentedAt = consentedAt) {
  return {
    policy: policyId, version: version.id, sequence: version.sequence, language,
    sha256: text.sha256, url: text.url, consented_at: consentedAt.toISOString(),
    notice: { notice_id: text.url, notice_version: version.id, notice_language: language,
              notice_hash: text.sha256, notice_presented_at: presentedAt.toISOString() },
  };
}
