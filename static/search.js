// briefing search: the script of /search/ and of no other page. No framework, no CDN.
//
// It reads the index the build wrote (src/render/search.rs describes the files): the manifest
// search/index.json, then only the shards the query's words fall in, then the result data of
// the briefs on screen. Words are folded and cut exactly as src/render/tokens.rs does it:
// change the two together. Results are built with DOM methods (no innerHTML), and nothing
// here needs an inline script or style, so the page works under a strict
// Content-Security-Policy.
(function () {
  'use strict';

  var form = document.getElementById('search-form');
  if (!form || !window.fetch || !window.URL) return;
  var input = document.getElementById('search-input');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var nojs = document.getElementById('search-nojs');
  var root = form.getAttribute('data-root') || '/';
  var manifestUrl = new URL(form.getAttribute('data-index'), document.baseURI).href;

  form.hidden = false;
  if (nojs) nojs.hidden = true;

  // ---- words: a mirror of src/render/tokens.rs -------------------------------------------
  var STRIP = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u064b-\u065f\u0670]/u;
  var PAIRED = /[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\u{20000}-\u{3134f}]/u;
  var WORD = /[\p{Alphabetic}\p{N}\p{M}]/u;
  var MAX_TOKEN_CHARS = 32;

  function isHangulSyllable(c) {
    var cp = c.codePointAt(0);
    return cp >= 0xac00 && cp <= 0xd7a3;
  }

  function fold(text) {
    var out = '';
    for (var c of text) {
      if (isHangulSyllable(c)) { out += c; continue; }
      for (var d of c.normalize('NFKD')) {
        for (var l of d.toLowerCase()) {
          if (!STRIP.test(l)) out += l === 'ς' ? 'σ' : l;
        }
      }
    }
    return out;
  }

  function cutWord(word, out) {
    var start = 0;
    while (start < word.length) {
      var paired = PAIRED.test(word[start]);
      var end = start + 1;
      while (end < word.length && PAIRED.test(word[end]) === paired) end++;
      var run = word.slice(start, end);
      if (paired) {
        if (run.length === 1) out.push(run[0]);
        for (var i = 0; i + 1 < run.length; i++) out.push(run[i] + run[i + 1]);
      } else if (run.length > 1) {
        out.push(run.slice(0, MAX_TOKEN_CHARS).join(''));
      }
      start = end;
    }
  }

  function tokens(text) {
    var out = [];
    var word = [];
    for (var c of fold(text) + ' ') {
      if (WORD.test(c)) {
        word.push(c);
      } else if (word.length) {
        cutWord(word, out);
        word = [];
      }
    }
    return out;
  }

  // ---- the index -----------------------------------------------------------------------
  var cache = new Map();
  function getJson(url) {
    if (!cache.has(url)) {
      cache.set(url, fetch(url, { credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
        return r.json();
      }).catch(function (e) { cache.delete(url); throw e; }));
    }
    return cache.get(url);
  }

  function manifest() {
    return getJson(manifestUrl).then(function (m) {
      m.base = new URL(m.files, manifestUrl).href;
      return m;
    });
  }

  // The shards one word needs: a mirror of shards_for in src/render/search.rs.
  function shardsFor(m, token, prefix) {
    var shards = m.shards;
    if (!shards.length) return [];
    var lo = 0, hi = shards.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (shards[mid][0] <= token) lo = mid + 1; else hi = mid;
    }
    var at = Math.max(lo - 1, 0);
    var out = [at];
    if (prefix) {
      var bytes = shards[at][1];
      for (var next = at + 1; next < shards.length && shards[next][0].startsWith(token); next++) {
        bytes += shards[next][1];
        out.push(next);
      }
      if (bytes > m.prefix_budget) out.length = 1;
    }
    return out;
  }

  // Weights of a match in the title or regions; the tags; the summary; the body (the order of
  // the lists in a shard entry). An exact word counts a little more than a word it begins.
  var WEIGHTS = [16, 8, 4, 1];

  // Scores by brief id for one query word, from the shard entries it matches.
  function scoresFor(m, token, prefix) {
    var wanted = shardsFor(m, token, prefix);
    return Promise.all(wanted.map(function (n) { return getJson(m.base + 's' + n + '.json'); }))
      .then(function (shards) {
        var scores = new Map();
        for (var entries of shards) {
          for (var entry of entries) {
            var word = entry[0];
            var exact = word === token;
            if (!exact && !(prefix && word.startsWith(token))) continue;
            for (var field = 0; field < WEIGHTS.length; field++) {
              var gaps = entry[field + 1];
              if (!gaps) continue;
              var id = 0;
              for (var i = 0; i < gaps.length; i++) {
                id = i === 0 ? gaps[0] : id + gaps[i];
                var score = WEIGHTS[field] + (exact ? 1 : 0);
                if (!(scores.get(id) >= score)) scores.set(id, score);
              }
            }
          }
        }
        return { scores: scores, narrowed: prefix && wanted.length === 1 && spans(m, token) };
      });
  }

  // Whether a prefix spans more shards than the budget allowed (so only one was read).
  function spans(m, token) {
    var at = shardsFor(m, token, false)[0];
    return at + 1 < m.shards.length && m.shards[at + 1][0].startsWith(token);
  }

  // Brief ids matching every word, best first, ties newest first (ids are in date order).
  function search(query) {
    var words = Array.from(new Set(tokens(query)));
    if (!words.length) return Promise.resolve(null);
    var typing = !/[\s\p{P}]$/u.test(query);
    return manifest().then(function (m) {
      return Promise.all(words.map(function (w, i) {
        return scoresFor(m, w, typing && i === words.length - 1);
      })).then(function (per) {
        per.sort(function (a, b) { return a.scores.size - b.scores.size; });
        var total = new Map(per[0].scores);
        for (var k = 1; k < per.length; k++) {
          for (var [id, score] of total) {
            var s = per[k].scores.get(id);
            if (s === undefined) total.delete(id); else total.set(id, score + s);
          }
        }
        var ids = Array.from(total.keys());
        ids.sort(function (a, b) { return total.get(b) - total.get(a) || a - b; });
        return { m: m, ids: ids, narrowed: per.some(function (p) { return p.narrowed; }) };
      });
    });
  }

  // ---- the page ------------------------------------------------------------------------
  var current = null;
  var shown = 0;
  var run = 0;

  function say(text) { status.textContent = text; }

  function doc(m, id) {
    var n = Math.floor(id / m.docs_per_file);
    return getJson(m.base + 'd' + n + '.json').then(function (docs) { return docs[id % m.docs_per_file]; });
  }

  function item(d) {
    // [slug, title, "YYYY-MM-DD", "20 November 2025", [regions], summary]
    var li = document.createElement('li');
    li.className = 'brief-item';
    var h = document.createElement('h2');
    h.className = 'brief-item-title';
    var a = document.createElement('a');
    a.href = root + 'briefs/' + encodeURIComponent(d[0]) + '/';
    a.textContent = d[1];
    h.appendChild(a);
    li.appendChild(h);
    var date = document.createElement('p');
    date.className = 'brief-item-date';
    var time = document.createElement('time');
    time.dateTime = d[2];
    time.textContent = d[3];
    date.appendChild(time);
    li.appendChild(date);
    if (d[5]) {
      var summary = document.createElement('p');
      summary.className = 'brief-item-summary';
      summary.textContent = d[5];
      li.appendChild(summary);
    }
    if (d[4] && d[4].length) {
      var regions = document.createElement('p');
      regions.className = 'search-result-regions';
      regions.textContent = (d[4].length === 1 ? 'Region: ' : 'Regions: ') + d[4].join(', ');
      li.appendChild(regions);
    }
    return li;
  }

  // The next page of results, fetched, then added to `into` unless a newer query started.
  function nextPage(r, from, mine, into) {
    var ids = r.ids.slice(from, from + r.m.results_per_page);
    return Promise.all(ids.map(function (id) { return doc(r.m, id); })).then(function (docs) {
      if (mine !== run) return false;
      for (var d of docs) if (d) into.appendChild(item(d));
      shown = from + ids.length;
      more.hidden = shown >= r.ids.length;
      return true;
    });
  }

  function update(query, mine) {
    return search(query).then(function (r) {
      if (mine !== run) return;
      if (!r || !r.ids.length) {
        list.textContent = '';
        current = r;
        shown = 0;
        more.hidden = true;
        if (!r) say(query.trim() ? 'Type a longer word.' : '');
        else say('No brief matches “' + query.trim() + '”.' + (r.narrowed ? ' Type more letters to look for longer words.' : ''));
        return;
      }
      // The old results stay until the new ones are ready; then the list and the status
      // change together, so a screen reader hears the count of what is on screen.
      var fresh = document.createDocumentFragment();
      return nextPage(r, 0, mine, fresh).then(function (ok) {
        if (!ok) return;
        list.textContent = '';
        list.appendChild(fresh);
        current = r;
        say((r.ids.length === 1 ? '1 brief matches ' : r.ids.length + ' briefs match ') + '“' + query.trim() + '”.' +
          (r.narrowed ? ' Type more letters to include longer words.' : ''));
      });
    }).catch(function () {
      if (mine === run) say('Search could not load its index. Browse the briefs by region or tag below.');
    });
  }

  var timer = 0;
  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var query = input.value;
      var mine = ++run;
      var url = new URL(location.href);
      if (query.trim()) url.searchParams.set('q', query); else url.searchParams.delete('q');
      history.replaceState(null, '', url.href);
      update(query, mine);
    }, delay);
  }

  input.addEventListener('input', function () { schedule(120); });
  form.addEventListener('submit', function (e) { e.preventDefault(); schedule(0); });
  more.addEventListener('click', function () {
    if (!current) return;
    var first = list.children.length;
    nextPage(current, shown, run, list).then(function () {
      var link = list.children[first] && list.children[first].querySelector('a');
      if (link) link.focus();
    });
  });

  var initial = new URL(location.href).searchParams.get('q');
  if (initial) {
    input.value = initial;
    schedule(0);
  }
})();
