/* policygen: compare any two versions, in the reader's browser, over the published JSON
 * documents (api/v1/versions/<id>/<lang>.json). This is the algorithm of generator/core/diff.py,
 * step for step: sections aligned by id, Python difflib's matching (no autojunk), the same
 * folding of short equalities. The rules it shares with Python (tokens per language,
 * whitespace, field order) arrive as data from diff.browser_rules(). The test vectors in
 * tests/diff_vectors.json run against both (tests/js/ under node --test), and a browser test
 * checks that it marks exactly what the prebuilt redline pages mark. Text only ever reaches
 * the page as text nodes, never as HTML. */
(function () {
  "use strict";

  // The tokenizer, whitespace and field order are not written here: they are generator/core/diff.py's
  // browser_rules(), handed over as data (the compare form's data-rules) and compiled once.
  function compile(rules) {
    function set(name) {
      return rules.classes[name].map(function (range) {
        var low = "\\u{" + range[0].toString(16) + "}";
        return range[1] > range[0] ? low + "-\\u{" + range[1].toString(16) + "}" : low;
      }).join("");
    }
    function pattern(source) {
      return source.replace(/\{(\w+)\}/g, function (_, name) { return set(name); });
    }
    var grains = {};
    Object.keys(rules.grains).forEach(function (name) {
      grains[name] = new RegExp(pattern(rules.grains[name]), "gsu");
    });
    var space = set("space");
    return {grains: grains, grainOf: rules.grainOf, defaultGrain: rules.defaultGrain,
            spaceRun: new RegExp("[" + space + "]+", "gu"),
            edges: new RegExp("^[" + space + "]+|[" + space + "]+$", "gu"),
            fieldOrder: rules.fieldOrder};
  }

  function tokens(text, language, rules) {
    var primary = language.split("-")[0].toLowerCase();
    var grain = Object.prototype.hasOwnProperty.call(rules.grainOf, primary) ?
      rules.grainOf[primary] : rules.defaultGrain;
    return text.match(rules.grains[grain]) || [];
  }

  function length(text) { return Array.from(text).length; }  // code points, as Python counts
  function foldSpace(text, rules) {
    return text.replace(rules.spaceRun, " ").replace(rules.edges, "");
  }

  // --- difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() ---------------------
  function opcodes(a, b) {
    var b2j = new Map();
    b.forEach(function (token, j) {
      if (!b2j.has(token)) b2j.set(token, []);
      b2j.get(token).push(j);
    });
    function longest(alo, ahi, blo, bhi) {
      var besti = alo, bestj = blo, bestsize = 0, j2len = new Map();
      for (var i = alo; i < ahi; i++) {
        var next = new Map(), indices = b2j.get(a[i]) || [];
        for (var n = 0; n < indices.length; n++) {
          var j = indices[n];
          if (j < blo) continue;
          if (j >= bhi) break;
          var k = (j2len.get(j - 1) || 0) + 1;
          next.set(j, k);
          if (k > bestsize) { besti = i - k + 1; bestj = j - k + 1; bestsize = k; }
        }
        j2len = next;
      }
      while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
        besti--; bestj--; bestsize++;
      }
      while (besti + bestsize < ahi && bestj + bestsize < bhi &&
             a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
      return [besti, bestj, bestsize];
    }
    var queue = [[0, a.length, 0, b.length]], blocks = [];
    while (queue.length) {
      var q = queue.pop(), m = longest(q[0], q[1], q[2], q[3]);
      if (m[2]) {
        blocks.push(m);
        if (q[0] < m[0] && q[2] < m[1]) queue.push([q[0], m[0], q[2], m[1]]);
        if (m[0] + m[2] < q[1] && m[1] + m[2] < q[3]) queue.push([m[0] + m[2], q[1], m[1] + m[2], q[3]]);
      }
    }
    blocks.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });
    var merged = [], i1 = 0, j1 = 0, k1 = 0;
    blocks.forEach(function (block) {
      if (i1 + k1 === block[0] && j1 + k1 === block[1]) { k1 += block[2]; return; }
      if (k1) merged.push([i1, j1, k1]);
      i1 = block[0]; j1 = block[1]; k1 = block[2];
    });
    if (k1) merged.push([i1, j1, k1]);
    merged.push([a.length, b.length, 0]);
    var result = [], i = 0, j = 0;
    merged.forEach(function (block) {
      if (i < block[0] || j < block[1]) result.push(["change", i, block[0], j, block[1]]);
      i = block[0] + block[2]; j = block[1] + block[2];
      if (block[2]) result.push(["equal", block[0], i, block[1], j]);
    });
    return result;
  }

  function segments(oldText, newText, language, rules) {
    var a = tokens(oldText, language, rules), b = tokens(newText, language, rules), runs = [];
    // The unchanged start and end are set aside first, as diff.py does.
    var prefix = 0, suffix = 0, shorter = Math.min(a.length, b.length);
    while (prefix < shorter && a[prefix] === b[prefix]) prefix++;
    while (suffix < shorter - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
    var middleA = a.slice(prefix, a.length - suffix), middleB = b.slice(prefix, b.length - suffix);
    function add(kind, before, after) {
      var last = runs[runs.length - 1];
      if (last && last[0] === kind) { last[1] += before; last[2] += after; }
      else runs.push([kind, before, after]);
    }
    if (prefix) add("equal", a.slice(0, prefix).join(""), b.slice(0, prefix).join(""));
    opcodes(middleA, middleB).forEach(function (op) {
      add(op[0], middleA.slice(op[1], op[2]).join(""), middleB.slice(op[3], op[4]).join(""));
    });
    if (suffix) add("equal", a.slice(a.length - suffix).join(""), b.slice(b.length - suffix).join(""));
    // Fold an unchanged run no longer than the edits on both sides into them.
    for (var changed = true; changed;) {
      changed = false;
      for (var i = 1; i < runs.length - 1; i++) {
        var x = runs[i - 1], eq = runs[i], y = runs[i + 1];
        if (eq[0] !== "equal" || x[0] !== "change" || y[0] !== "change") continue;
        var size = length(eq[1]);
        if (size <= Math.max(length(x[1]), length(x[2])) &&
            size <= Math.max(length(y[1]), length(y[2]))) {
          runs.splice(i - 1, 3, ["change", x[1] + eq[1] + y[1], x[2] + eq[2] + y[2]]);
          changed = true;
          break;
        }
      }
    }
    var result = [];
    runs.forEach(function (run) {
      if (run[0] === "equal") { result.push(["equal", run[2]]); return; }
      if (run[1]) result.push(["delete", run[1]]);
      if (run[2]) result.push(["insert", run[2]]);
    });
    return result;
  }

  // A body as written (Markdown) and as read (text), as diff.compare_text compares them.
  function compareText(oldBody, newBody, oldText, newText, language, rules) {
    if (oldBody === newBody) return {kind: "unchanged", segments: newBody ? [["equal", newBody]] : []};
    if (foldSpace(oldText, rules) === foldSpace(newText, rules)) {
      return {kind: foldSpace(oldBody, rules) === foldSpace(newBody, rules) ? "whitespace" : "formatting",
              segments: [["equal", newText]]};
    }
    var result = {kind: "wording", segments: segments(oldText, newText, language, rules)};
    if (hasTable(oldText) || hasTable(newText)) result.blocks = blocks(oldText, newText, language, rules);
    return result;
  }

  // --- tables, as diff.py compares them: a row is a line, each of its cells led by a tab ----
  var CELL = "\t";
  function hasTable(text) { return text.indexOf(CELL) === 0 || text.indexOf("\n" + CELL) >= 0; }

  function splitBlocks(text) {
    var result = [], lines = [], table = null;
    text.split("\n").forEach(function (line) {
      if (line.indexOf(CELL) === 0) {
        if (lines.length) { result.push(lines.join("\n")); lines = []; }
        (table = table || []).push(line.slice(1).split(CELL));
        return;
      }
      if (table) {
        result.push(table);
        table = null;
        if (!line) return;  // the empty line that ends a table is the table's
      }
      lines.push(line);
    });
    if (table) result.push(table);
    if (lines.length) result.push(lines.join("\n"));
    return result;
  }

  function equalSegments(text) { return text ? [["equal", text]] : []; }

  function row(before, after, language, rules) {
    if (!before || !after) {
      var op = after ? "insert" : "delete";
      return {op: op, cells: (after || before).map(function (cell) {
        return {segments: cell ? [[op, cell]] : []};
      })};
    }
    if (before.join(CELL) === after.join(CELL)) {
      return {op: "equal", cells: after.map(function (c) { return {segments: equalSegments(c)}; })};
    }
    var cells = [];
    for (var k = 0; k < Math.max(before.length, after.length); k++) {
      var x = k < before.length ? before[k] : "", y = k < after.length ? after[k] : "";
      cells.push({segments: x === y ? equalSegments(y) : segments(x, y, language, rules)});
    }
    return {op: "changed", cells: cells};
  }

  function rows(before, after, language, rules) {
    var result = [row(before[0], after[0], language, rules)];
    var a = before.slice(1), b = after.slice(1);
    var key = function (r) { return r.join(CELL); };
    opcodes(a.map(key), b.map(key)).forEach(function (op) {
      var paired = Math.min(op[2] - op[1], op[4] - op[3]), k;
      for (k = 0; k < paired; k++) result.push(row(a[op[1] + k], b[op[3] + k], language, rules));
      for (k = op[1] + paired; k < op[2]; k++) result.push(row(a[k], null, language, rules));
      for (k = op[3] + paired; k < op[4]; k++) result.push(row(null, b[k], language, rules));
    });
    return result;
  }

  function block(before, after, language, rules) {
    if (Array.isArray(before) || Array.isArray(after)) {
      return {segments: [], rows: rows(before || [], after || [], language, rules)};
    }
    if (before === null || after === null) {
      var text = after === null ? before : after;
      return {segments: text ? [[after === null ? "delete" : "insert", text]] : [], rows: []};
    }
    return {segments: before === after ? equalSegments(after) : segments(before, after, language, rules),
            rows: []};
  }

  function blocks(oldText, newText, language, rules) {
    var a = splitBlocks(oldText), b = splitBlocks(newText), result = [];
    var kind = function (x) { return Array.isArray(x) ? "t" : "p"; };
    opcodes(a.map(kind), b.map(kind)).forEach(function (op) {
      var k;
      if (op[0] === "equal") {
        for (k = 0; k < op[2] - op[1]; k++) result.push(block(a[op[1] + k], b[op[3] + k], language, rules));
        return;
      }
      for (k = op[1]; k < op[2]; k++) result.push(block(a[k], null, language, rules));
      for (k = op[3]; k < op[4]; k++) result.push(block(null, b[k], language, rules));
    });
    return result;
  }

  // --- links, as diff.link_fields names them: "link:<its text>" -> its target ---------------
  // The subset has inline links and autolinks only (references, images and code are refused
  // by validation), so a pattern finds what markdown-it finds; the text loses its emphasis
  // marks and escapes, the target reads as written.
  var LINK = /\[((?:\\.|[^\\\[\]])*)\]\(\s*(<[^>]*>|[^\s)]*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)|<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>|<([^\s<>@]+@[^\s<>@]+)>/g;
  function asWritten(href) {
    try { return decodeURI(href); } catch (error) { return href; }
  }
  function linkFields(body) {
    var fields = {};
    (body || "").replace(LINK, function (match, label, target, autolink, email) {
      var text, href;
      if (target !== undefined) {
        text = label.replace(/\*+|(^|[\s(])_+|_+(?=[\s).,;:!?]|$)/g, "$1")
          .replace(/\\(.)/g, "$1").replace(/\s*\n\s*/g, " ").trim();
        href = target.replace(/^<|>$/g, "");
      } else if (autolink !== undefined) {
        text = href = autolink;
      } else {
        text = email; href = "mailto:" + email;
      }
      var key = "link:" + text, number = 2;
      while (key in fields) key = "link:" + text + " (" + number++ + ")";
      fields[key] = asWritten(href);
      return match;
    });
    return fields;
  }

  function sectionText(before, after, language, rules) {
    return compareText(before ? before.body || "" : "", after ? after.body || "" : "",
                       before ? before.text || "" : "", after ? after.text || "" : "",
                       language, rules);
  }

  // --- structured data ----------------------------------------------------------------------
  function flatten(value, prefix, into) {
    if (value === null || value === undefined) return into;
    if (Array.isArray(value) && value.length && typeof value[0] === "object") {
      // A list of objects: each item under its number, from 1, as the Python diff does.
      value.forEach(function (item, index) { flatten(item, prefix + "." + (index + 1), into); });
      return into;
    }
    if (Array.isArray(value)) { into[prefix] = value.join(", "); return into; }
    if (typeof value === "object") {
      Object.keys(value).forEach(function (key) {
        flatten(value[key], prefix ? prefix + "." + key : key, into);
      });
      return into;
    }
    into[prefix] = String(value);
    return into;
  }

  function ordered(fields, order) {  // the model's field order, as the Python diff reports
    var result = {};
    order.forEach(function (key) { if (key in fields) result[key] = fields[key]; });
    Object.keys(fields).forEach(function (key) { if (!(key in result)) result[key] = fields[key]; });
    return result;
  }

  function sectionFields(section, withLevel, rules) {
    var fields = withLevel ? {level: String(section.level)} : {};
    section.categories.forEach(function (category) {
      rules.fieldOrder.category.forEach(function (key) {
        if (category[key] !== null) fields[category.id + "." + key] = category[key];
      });
    });
    if (section.note !== null) fields.note = section.note;
    if (section.block !== null) fields.block = section.block;
    if (withLevel) {
      var links = linkFields(section.body);
      Object.keys(links).forEach(function (key) { fields[key] = links[key]; });
    }
    return fields;
  }

  function compareFields(before, after) {
    var keys = Object.keys(before).concat(Object.keys(after).filter(function (k) { return !(k in before); }));
    return keys.filter(function (k) { return before[k] !== after[k]; }).map(function (k) {
      return {field: k, old: k in before ? before[k] : null, "new": k in after ? after[k] : null};
    });
  }

  function moved(oldIds, newIds) {
    var common = newIds.filter(function (id) { return oldIds.indexOf(id) >= 0; });
    var best = [];
    common.forEach(function (id) {
      var position = oldIds.indexOf(id), longestRun = [];
      best.forEach(function (run) {
        if (run[run.length - 1] < position && run.length > longestRun.length) longestRun = run;
      });
      best.push(longestRun.concat([position]));
    });
    var kept = [];
    best.forEach(function (run) { if (run.length > kept.length) kept = run; });
    var keptIds = kept.map(function (p) { return oldIds[p]; });
    return common.filter(function (id) { return keptIds.indexOf(id) < 0; });
  }

  function compare(oldDoc, newDoc, rules) {
    var language = newDoc.language;
    var oldIds = oldDoc.sections.map(function (s) { return s.id; });
    var newIds = newDoc.sections.map(function (s) { return s.id; });
    var movedIds = moved(oldIds, newIds), changes = [];
    newDoc.sections.forEach(function (section, index) {
      var before = oldDoc.sections[oldIds.indexOf(section.id)];
      if (!before) {
        changes.push({id: section.id, status: "added", oldTitle: null, newTitle: section.title,
                      oldPosition: null, newPosition: index + 1, moved: false,
                      body: sectionText(null, section, language, rules),
                      fields: compareFields({}, sectionFields(section, false, rules))});
        return;
      }
      var body = sectionText(before, section, language, rules);
      var fields = compareFields(sectionFields(before, true, rules), sectionFields(section, true, rules));
      var changed = body.kind !== "unchanged" || fields.length || before.title !== section.title;
      changes.push({id: section.id, status: changed ? "changed" : "unchanged",
                    oldTitle: before.title, newTitle: section.title,
                    oldPosition: oldIds.indexOf(section.id) + 1, newPosition: index + 1,
                    moved: movedIds.indexOf(section.id) >= 0, body: body, fields: fields});
    });
    oldDoc.sections.forEach(function (section, index) {
      if (newIds.indexOf(section.id) >= 0) return;
      var anchor = -1;
      for (var c = 0; c < changes.length && index > 0; c++) {
        if (changes[c].id === oldIds[index - 1]) { anchor = c; break; }
      }
      changes.splice(anchor + 1, 0, {
        id: section.id, status: "removed", oldTitle: section.title, newTitle: null,
        oldPosition: index + 1, newPosition: null, moved: false,
        body: sectionText(section, null, language, rules),
        fields: compareFields(sectionFields(section, false, rules), {})});
    });
    var factOrder = rules.fieldOrder.facts, labelOrder = rules.fieldOrder.labels;
    var facts = compareFields(ordered(flatten(oldDoc.facts, "", {}), factOrder),
                              ordered(flatten(newDoc.facts, "", {}), factOrder));
    var labels = compareFields(ordered(flatten(oldDoc.labels, "labels", {}), labelOrder),
                               ordered(flatten(newDoc.labels, "labels", {}), labelOrder));
    // The title a version goes by is legal text too (the redline reports it first).
    var titled = oldDoc.policy.title === newDoc.policy.title ? [] :
      [{field: "title", old: oldDoc.policy.title, "new": newDoc.policy.title}];
    return {sections: changes, facts: titled.concat(facts, labels),
            summary: newDoc.version.summary};
  }

  // "translation not updated" where the redline page says it: from the changes document of
  // the later version (api/v1/changes/<id>/<lang>.json, translation_stale per section), which
  // holds the redline from the version before it, so only when that is the earlier version.
  function markStale(diff, changes, oldId) {
    var stale = {};
    if (changes && changes.from === oldId) {
      changes.sections.forEach(function (s) { if (s.translation_stale) stale[s.id] = true; });
    }
    diff.sections.forEach(function (s) { s.translationStale = stale[s.id] === true; });
    return diff;
  }

  // --- rendering, as templates/redline.md.j2 renders ---------------------------------------
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function fieldName(field, strings) {
    if (field in strings.fields) return strings.fields[field];
    if (field.indexOf("link:") === 0) return format(strings.link, {text: field.slice(5)});
    var dot = field.indexOf("."), head = field.slice(0, dot), key = field.slice(dot + 1);
    if (head === "labels") return format(strings.label, {name: key});
    if (key in strings.fields) return format(strings.categoryField, {field: strings.fields[key], category: head});
    return field;
  }

  function notes(section, strings) {
    var result = [];
    if (section.status === "added") result.push(strings.added);
    else if (section.status === "removed") result.push(strings.removed);
    if (section.moved) result.push(format(strings.moved, {old: section.oldPosition, "new": section.newPosition}));
    if (section.oldTitle !== null && section.newTitle !== null && section.oldTitle !== section.newTitle) {
      result.push(format(strings.retitled, {old: section.oldTitle}));
    }
    var linked = section.fields.some(function (f) { return f.field.indexOf("link:") === 0; });
    if (section.status === "changed" && section.body && section.body.kind === "formatting" && linked) {
      result.push(strings.linkChanged);
    } else if (section.status === "changed" && section.body && strings[section.body.kind] &&
        section.body.kind !== "unchanged") {
      result.push(strings[section.body.kind]);
    }
    if (section.translationStale) result.push(strings.untranslated);
    return result;
  }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function lines(text) {  // text with its line breaks, as the |text filter renders it
    var parts = [];
    text.split("\n").forEach(function (line, i) {
      if (i) parts.push(element("br"), "\n");
      parts.push(line);
    });
    return parts;
  }

  function marked(segments, strings, container) {
    var paragraph = container || element("p", {"class": "pg-redline"});
    segments.forEach(function (s) {
      if (s[0] === "equal") { lines(s[1]).forEach(function (n) { paragraph.append(n); }); return; }
      var start = s[0] === "delete" ? strings.deleted : strings.inserted;
      var end = s[0] === "delete" ? strings.endDeleted : strings.endInserted;
      paragraph.appendChild(element(s[0] === "delete" ? "del" : "ins", {}, [
        element("span", {"class": "pg-sr"}, [start + " "])].concat(lines(s[1]), [
        element("span", {"class": "pg-sr"}, [" " + end])])));
    });
    return paragraph;
  }

  function redlineTable(rows, strings) {  // as redline_changes.md.j2's redline_table
    function cells(row, tag) {
      return element("tr", {"class": "pg-row-" + row.op}, row.cells.map(function (cell) {
        return marked(cell.segments, strings, element(tag, tag === "th" ? {scope: "col"} : {}));
      }));
    }
    return element("table", {"class": "pg-redline-table"}, [
      element("thead", {}, [cells(rows[0], "th")]),
      element("tbody", {}, rows.slice(1).map(function (row) { return cells(row, "td"); }))]);
  }

  function fieldTable(changes, strings) {
    var body = element("tbody", {}, changes.map(function (change) {
      function cell(value, tag) {
        return element("td", {}, value ? [element(tag, {}, lines(value))] : [strings.none]);
      }
      return element("tr", {}, [element("td", {}, [fieldName(change.field, strings)]),
                                cell(change.old, "del"), cell(change["new"], "ins")]);
    }));
    var head = element("thead", {}, [element("tr", {}, [strings.field, strings.before, strings.after].map(
      function (label) { return element("th", {scope: "col"}, [label]); }))]);
    return element("table", {"class": "pg-field-changes"}, [head, body]);
  }

  // A message with nodes in its placeholders: "Changes from %(old)s to %(new)s" with links.
  function formatNodes(template, values) {
    return template.split(/(%\(\w+\)s)/).filter(Boolean).map(function (part) {
      var key = /^%\((\w+)\)s$/.exec(part);
      return key && key[1] in values ? values[key[1]] : part;
    });
  }

  function legend(strings) {  // as redline_changes.md.j2's legend
    return element("p", {"class": "pg-legend"}, [strings.legend + " ",
      element("del", {}, [strings.deletedWord]), " ", element("ins", {}, [strings.insertedWord])]);
  }

  function render(result, diff, strings, heading, swapped) {
    result.replaceChildren();
    if (swapped) result.appendChild(element("p", {"class": "pg-swapped", role: "note"}, [strings.swapped]));
    result.appendChild(element("h2", {id: "comparison"}, heading));
    result.appendChild(legend(strings));
    if (diff.summary) {
      result.appendChild(element("div", {"class": "pg-summary"}, [element("p", {}, lines(diff.summary))]));
    }
    var unchanged = !diff.facts.length && !(diff.processing || []).length && diff.sections.every(function (s) {
      return s.status === "unchanged" && !s.moved;
    });
    if (unchanged) result.appendChild(element("p", {"class": "pg-unchanged"}, [strings.unchanged]));
    if (diff.facts.length) {
      result.appendChild(element("h3", {id: "changed-facts"}, [strings.facts]));
      result.appendChild(fieldTable(diff.facts, strings));
    }
    processingChanges(result, diff.processing || [], strings);
    diff.sections.forEach(function (section) {
      if (section.status === "unchanged" && !section.moved && !section.translationStale) return;
      var part = element("section", {"class": "pg-compared", "data-section": section.id}, [
        element("h3", {}, [section.newTitle || section.oldTitle]),
        element("p", {"class": "pg-change-notes"}, [notes(section, strings).join("; ")])]);
      if (section.body && section.body.kind === "wording") {
        (section.body.blocks || [{segments: section.body.segments, rows: []}]).forEach(function (b) {
          part.appendChild(b.rows.length ? redlineTable(b.rows, strings) : marked(b.segments, strings));
        });
      }
      if (section.fields.length) part.appendChild(fieldTable(section.fields, strings));
      result.appendChild(part);
    });
  }

  // What changed in the processing, by meaning: the sentences of the later version's changes
  // document (generator/core/processing_changes.py), given only when it compares this very
  // pair (see withProcessing): the browser does not compare the structure itself.
  function processingChanges(result, changes, strings) {
    if (!changes.length) return;
    result.appendChild(element("h3", {id: "processing-changes"}, [strings.processing]));
    result.appendChild(element("ul", {"class": "pg-processing-changes"}, changes.map(
      function (change) { return element("li", {}, [change.text]); })));
  }

  function withProcessing(diff, changes, oldId) {
    diff.processing = changes && changes.from === oldId ? changes.processing || [] : [];
    return diff;
  }

  // A shared address naming a version this language has no text of: the page's notice for
  // it (hidden, with a link to the authoritative text), instead of a failed comparison.
  function unavailable(ids) {
    var notices = Array.prototype.slice.call(document.querySelectorAll(".pg-compare-unavailable"));
    return notices.filter(function (notice) {
      return ids.indexOf(notice.getAttribute("data-version")) >= 0;
    }).map(function (notice) {
      var shown = notice.cloneNode(true);
      shown.hidden = false;
      return shown;
    });
  }

  function start() {
    var result = document.getElementById("pg-compare-result");
    if (!result) return;
    var query = new URLSearchParams(window.location.search);
    var missing = unavailable([query.get("from"), query.get("to")]);
    if (missing.length) { result.replaceChildren.apply(result, missing); return; }
    var form = document.querySelector("form.pg-compare");
    if (!form) return;
    var strings = JSON.parse(form.getAttribute("data-strings"));
    var rules = compile(JSON.parse(form.getAttribute("data-rules")));
    var base = form.getAttribute("data-documents"), folder = form.getAttribute("data-folder");
    var changesBase = form.getAttribute("data-changes");
    var from = form.elements.from, to = form.elements.to;
    function choose(select, id) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === id) { select.selectedIndex = i; return true; }
      }
      return false;
    }
    // An address without a choice shows the latest change at once (the form's default pair:
    // the latest version and the one before it); one with a choice shows that, so a
    // comparison can be shared and reloads as it was.
    if (query.has("from") || query.has("to")) {
      if (!(choose(from, query.get("from")) && choose(to, query.get("to")))) return;
    }
    if (from.value === to.value) { result.replaceChildren(element("p", {}, [strings.same])); return; }
    // The options are in the order of their dates: a later "earlier" version is a reversed
    // pair, compared the right way round (as the CLI does) and said so; the address is put
    // right too, so that what is shared is what is shown.
    var swapped = from.selectedIndex > to.selectedIndex;
    if (swapped) {
      var later = from.selectedIndex;
      from.selectedIndex = to.selectedIndex;
      to.selectedIndex = later;
      if (window.history && window.history.replaceState) {
        var address = new URL(window.location.href);
        address.searchParams.set("from", from.value);
        address.searchParams.set("to", to.value);
        window.history.replaceState(null, "", address.toString());
      }
    }
    function versionLink(select) {
      var option = select.options[select.selectedIndex];
      return element("a", {href: option.getAttribute("data-url")}, [option.text]);
    }
    function load(id) {
      return fetch(base + encodeURIComponent(id) + "/" + encodeURIComponent(folder) + ".json")
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        });
    }
    function loadChanges(id) {  // none for the first version, or one before this language
      return fetch(changesBase + encodeURIComponent(id) + "/" + encodeURIComponent(folder) + ".json")
        .then(function (response) { return response.ok ? response.json() : null; });
    }
    result.setAttribute("aria-busy", "true");
    Promise.all([load(from.value), load(to.value), loadChanges(to.value)]).then(function (docs) {
      var heading = formatNodes(strings.heading, {old: versionLink(from), "new": versionLink(to)});
      render(result, withProcessing(markStale(compare(docs[0], docs[1], rules), docs[2],
                                              from.value), docs[2], from.value),
             strings, heading, swapped);
    }).catch(function () {
      result.replaceChildren(element("p", {"class": "pg-error"}, [strings.failed]));
    }).finally(function () { result.removeAttribute("aria-busy"); });
  }

  // For the tests that hold this file to generator/core/diff.py's results: node's require() in
  // tests/js/, window.policygen in the browser.
  var exported = {compile: compile, tokens: tokens, foldSpace: foldSpace, segments: segments,
                  linkFields: linkFields,
                  compareText: compareText, compare: compare, markStale: markStale};
  if (typeof module === "object" && module.exports) { module.exports = exported; return; }
  window.policygen = exported;

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
