import type { ServerResponse } from 'node:http';
import type { TestServer } from '../http/server.js';

/**
 * Live pages that only a browser shows whole, in the styles of real ones (invented text):
 * a Tickaroo-style ticker whose posts arrive by fetch() after load, a 24liveblog-style widget in
 * a same-origin iframe that loads its own posts, a big-site blog showing its newest posts with
 * a "Show older posts" button, and a page whose script never stops adding posts.
 */

function html(res: ServerResponse, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const TICKER_URL = 'https://www.muldentaler-bote.example/region/hochwasser-liveticker';
/** Newest first, as Tickaroo's API lists them. */
export const TICKER_EVENTS = [
  { id: 'ev-6', at: '2025-03-12T15:40:00+01:00', by: 'Jonas Pettersen', title: 'Entwarnung für Nerchau', text: 'Die Stadt hebt die Evakuierungsempfehlung für die Häuser an der Uferstraße wieder auf.' },
  { id: 'ev-5', at: '2025-03-12T14:55:00+01:00', by: 'Mira Okafor', title: '', text: 'Der Fährbetrieb zwischen Dorna und Böhlen ruht bis auf Weiteres, teilt der Landkreis mit.' },
  { id: 'ev-4', at: '2025-03-12T14:05:00+01:00', by: 'Jonas Pettersen', title: 'Pegel in Grimma sinkt leicht', text: 'Der Pegel an der Brücke in Grimma ist in der letzten Stunde um vier Zentimeter gefallen.' },
  { id: 'ev-3', at: '2025-03-12T13:20:00+01:00', by: 'Jonas Pettersen', title: '', text: 'Die Bundesstraße zwischen Wurzen und Trebsen bleibt bis mindestens morgen früh gesperrt.' },
  { id: 'ev-2', at: '2025-03-12T12:45:00+01:00', by: 'Mira Okafor', title: 'Freiwillige füllen Sandsäcke', text: 'Am Bauhof in Nerchau haben sich mehr als zweihundert Freiwillige zum Sandsackfüllen gemeldet.' },
  { id: 'ev-1', at: '2025-03-12T11:30:00+01:00', by: 'Mira Okafor', title: 'Willkommen im Liveticker', text: 'Wir berichten hier den ganzen Tag über die Hochwasserlage an der Mulde und ihren Nebenflüssen.' },
];

const tickerShell = (api: string): string => `<!doctype html><html lang="de"><head><meta charset="utf-8">
<title>Liveticker: Hochwasser an der Mulde | Muldentaler Bote</title>
<link rel="canonical" href="${TICKER_URL}"></head>
<body><header><nav><a href="/">Start</a> <a href="/region">Region</a></nav></header>
<main><h1>Liveticker: Hochwasser an der Mulde</h1>
<p class="intro">Pegelstände, Sperrungen und Hilfe: die Lage im Überblick.</p>
<div class="tik4" id="tik4-live" data-tik4-liveblog="t-8812"><div class="tik4-loading">Liveticker wird geladen …</div></div>
</main><footer>© Muldentaler Bote</footer>
<script>
(function () {
  var root = document.getElementById('tik4-live');
  function esc(s) { return s.replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function clock(iso) { return iso.slice(11, 16); }
  setTimeout(function () {
    fetch('${api}').then(function (r) { return r.json(); }).then(function (data) {
      root.innerHTML = '<div class="tik4-live">' + data.events.map(function (e) {
        return '<div class="tik4-event" data-tik4-event-id="' + e.id + '"><div class="tik4-event__meta"><div class="tik4-meta">'
          + '<time class="tik4-meta__ts" datetime="' + e.at + '">' + clock(e.at) + '</time><span class="tik4-by">' + esc(e.by) + '</span></div></div>'
          + '<div class="tik4-event__body"><div class="tik4-content-block tik4-content-block--text">'
          + (e.title ? '<h3 class="tik4-headline">' + esc(e.title) + '</h3>' : '') + '<p>' + esc(e.text) + '</p></div></div></div>';
      }).join('') + '</div>';
    });
  }, 250);
})();
</script></body></html>`;

const FESTIVAL_URL = 'https://www.coastline-courier.example/live/harbour-festival';
export const FESTIVAL_EVENTS = [
  { id: 90315, at: 1741795200, by: 'Priya Natarajan', text: 'Fireworks over the inner harbour will start at ten, half an hour later than planned because of the tide.' },
  { id: 90314, at: 1741791600, by: 'Tomás Ferreira', text: 'The rowing regatta final went to the Old Quay crew by less than a boat length after a protest was dismissed.' },
  { id: 90313, at: 1741788300, by: 'Priya Natarajan', text: 'The tall ships parade has been pushed back by half an hour because of the tide, organisers say.' },
  { id: 90312, at: 1741785600, by: 'Priya Natarajan', text: 'Queues at the food market stretch back to the lighthouse; stewards are opening a second entrance.' },
  { id: 90311, at: 1741782000, by: 'Tomás Ferreira', text: 'The lifeboat crew demonstration drew the biggest crowd of the morning on the east pier.' },
];

/** The widget's iframe in the box 24liveblog's embed code gives publishers (div#LB24_LIVE_CONTENT). */
const festivalPage = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Live: Harbour festival weekend | Coastline Courier</title>
<link rel="canonical" href="${FESTIVAL_URL}"></head>
<body><main><h1>Live: Harbour festival weekend</h1>
<p class="standfirst">Follow the harbour festival as it happens, with our reporters on the quays.</p>
<div id="LB24_LIVE_CONTENT" data-eid="3312"><iframe class="lb24-iframe" src="/embed/24lb/3312?lang=en" width="100%" height="1200" frameborder="0" title="Live blog"></iframe></div>
</main></body></html>`;

/** The same widget in a sandboxed frame: an origin of its own, which the page's scripts cannot reach into. */
const festivalSandboxedPage = festivalPage.replace('<iframe class="lb24-iframe"', '<iframe sandbox="allow-scripts" class="lb24-iframe"');

const festivalWidget = `<!doctype html><html><head><meta charset="utf-8"><title>24liveblog</title>
<link rel="stylesheet" href="/embed/24lb/static/theme.css"></head>
<body><div id="lb24-root" class="lb24-theme-default"></div>
<script>
fetch('./3312/events.json').then(function (r) { return r.json(); }).then(function (events) {
  var list = events.map(function (e) {
    var d = new Date(e.at * 1000);
    var hm = ('0' + d.getUTCHours()).slice(-2) + ':' + ('0' + d.getUTCMinutes()).slice(-2);
    return '<div class="lb24-base-list-item" id="lb24-event-' + e.id + '"><div class="lb24-base-list-item-top">'
      + '<span class="lb24-base-list-item-time" data-time="' + e.at + '">' + hm + '</span>'
      + '<span class="lb24-base-list-item-author">' + e.by + '</span></div>'
      + '<div class="lb24-base-list-item-content"><p>' + e.text + '</p><img src="photos/' + e.id + '.jpg" alt=""></div></div>';
  }).join('');
  document.getElementById('lb24-root').innerHTML = '<div class="lb24-base-list"><div class="lb24-base-list-ul">' + list + '</div></div>';
});
</script></body></html>`;

const ELECTION_URL = 'https://www.daily-ledger.example/politics/live/election-night';
/** Newest first; the page shows the first three, each click three more. */
export const ELECTION_POSTS = [
  { id: 108, at: '2025-05-06T23:40:00Z', headline: 'Turnout highest since 1992', text: 'Officials in the capital say turnout passed 71 percent, the highest in more than thirty years.' },
  { id: 107, at: '2025-05-06T23:10:00Z', headline: '', text: 'The first count in the northern districts has started, two hours earlier than at the last election.' },
  { id: 106, at: '2025-05-06T22:45:00Z', headline: 'Queues outside polling stations', text: 'Voters were still queuing in three coastal towns when the polls closed; all of them will be allowed to vote.' },
  { id: 105, at: '2025-05-06T22:15:00Z', headline: '', text: 'The electoral commission says its website slowed under heavy traffic but results will be published as counted.' },
  { id: 104, at: '2025-05-06T21:30:00Z', headline: 'Exit poll due at ten', text: 'The joint broadcasters’ exit poll will be released at the close of polls, our correspondents report.' },
  { id: 103, at: '2025-05-06T20:50:00Z', headline: '', text: 'Both main party leaders have cast their votes, one of them arriving by bicycle with a small crowd behind.' },
  { id: 102, at: '2025-05-06T19:05:00Z', headline: 'Polls open for three more hours', text: 'Polling stations remain open until ten tonight; anyone in the queue by then will still be able to vote.' },
  { id: 101, at: '2025-05-06T18:00:00Z', headline: 'Welcome to our election night coverage', text: 'We will bring you results, reaction and analysis through the night as the counts come in from every district.' },
];

function electionArticle(p: (typeof ELECTION_POSTS)[number]): string {
  return `<article class="liveblog-post" id="post-${p.id}"><header class="liveblog-post__meta"><time datetime="${p.at}">${p.at.slice(11, 16)}</time>`
    + `<span class="byline">By Hannah Lindqvist</span></header>${p.headline ? `<h2>${p.headline}</h2>` : ''}<p>${p.text}</p></article>`;
}

const electionPage = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Election night live | The Daily Ledger</title>
<link rel="canonical" href="${ELECTION_URL}"></head>
<body><main><h1>Election night live: results as they come in</h1>
<div class="liveblog-feed" id="feed">${ELECTION_POSTS.slice(0, 3).map(electionArticle).join('\n')}</div>
<button class="liveblog-load-more" type="button">Show older posts</button>
</main>
<script>
document.querySelector('.liveblog-load-more').addEventListener('click', function (ev) {
  var button = ev.currentTarget;
  var last = document.querySelector('#feed article:last-of-type').id.replace('post-', '');
  button.disabled = true;
  fetch('/election-night/older?before=' + last).then(function (r) {
    var more = r.headers.get('x-more') === '1';
    return r.text().then(function (t) {
      document.getElementById('feed').insertAdjacentHTML('beforeend', t);
      if (more) button.disabled = false; else button.remove();
    });
  });
});
</script></body></html>`;

const restlessPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Marathon live | Riverside Post</title>
<link rel="canonical" href="https://www.riverside-post.example/sport/marathon-live"></head>
<body><main><h1>City marathon live</h1><div id="stream"></div></main>
<script>
var n = 0;
setInterval(function () {
  n++;
  var t = new Date(Date.UTC(2025, 3, 27, 8, 0) + n * 60000).toISOString();
  document.getElementById('stream').insertAdjacentHTML('afterbegin', '<article id="m' + n + '"><time datetime="' + t + '"></time>'
    + '<p>Split number ' + n + ': the leading group passes another marker on the river path, still running together.</p></article>');
}, 150);
</script></body></html>`;

/** Requests of /parallel's posts being answered now, and the most at once. */
export const inFlight = { now: 0, most: 0 };

/** Posts fetched one request each, all at once: a browser would open six connections to the host. */
const parallelPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Storm live | Valley Herald</title>
<link rel="canonical" href="https://www.valley-herald.example/weather/storm-live"></head>
<body><main><h1>Storm live</h1><div id="updates"></div></main>
<script>
Promise.all([1, 2, 3, 4, 5, 6].map(function (i) { return fetch('/api/update/' + i).then(function (r) { return r.text(); }); })).then(function (parts) {
  document.getElementById('updates').innerHTML = parts.join('');
});
</script></body></html>`;

/** A page with an ad script and a script that tries to leave for a consent page. */
function adsPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flood live | Valley Herald</title>
<link rel="canonical" href="https://www.valley-herald.example/weather/flood-live"></head>
<body><main><h1>Flood live</h1><div id="feed">${ELECTION_POSTS.slice(0, 3).map(electionArticle).join('\n')}</div></main>
<script src="/ads/gpt.js"></script>
<script>setTimeout(function () { location.href = '/consent?return=flood'; }, 100);</script>
</body></html>`;
}

const adScript = `document.getElementById('feed').insertAdjacentHTML('afterend', '<div class="ad-slot">Advertisement: holidays by the sea</div>');`;

/** A page whose script, once loaded, never gives the browser back. */
const frozenPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Frozen</title></head>
<body><main><article><time datetime="2025-01-01T10:00:00Z"></time><p>Only one post here before the script takes over for good.</p></article></main>
<script>setTimeout(function () { for (;;) {} }, 300);</script></body></html>`;

/** A page whose script keeps taking memory (20 MB of script heap every 100 ms) until something stops it. */
const hungryPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hungry</title></head>
<body><main>${ELECTION_POSTS.slice(0, 3).map(electionArticle).join('\n')}</main>
<script>var keep = []; setInterval(function () { keep.push(new Array(2500000).fill(0.5)); }, 100);</script></body></html>`;

/** A web-component widget (Arena-like) that keeps its posts in an open shadow root. */
const shadowPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cup final live | Northern Echo Sport</title>
<link rel="canonical" href="https://www.northern-echo-sport.example/football/cup-final-live"></head>
<body><main><h1>Cup final live</h1><arena-liveblog data-event="cup-final"></arena-liveblog></main>
<script>
customElements.define('arena-liveblog', class extends HTMLElement {
  connectedCallback() {
    var root = this.attachShadow({ mode: 'open' });
    root.innerHTML = '<style>.arena-post{margin:8px}</style><div class="arena-feed">' + [
      ['2025-05-24T16:52:00Z', 'Full time: the underdogs hold on for a famous win after a nervy final ten minutes.'],
      ['2025-05-24T16:31:00Z', 'A goal from the edge of the box puts the home side ahead for the first time.'],
      ['2025-05-24T15:47:00Z', 'Half time, still level, and neither goalkeeper has had a save to make yet.'],
    ].map(function (p) { return '<div class="arena-post"><time datetime="' + p[0] + '">' + p[0].slice(11, 16) + '</time><p>' + p[1] + '</p></div>'; }).join('') + '</div>';
  }
});
</script></body></html>`;

/** A page that asks its host for eight slow things at once: most wait for a turn when the capture ends. */
const floodPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flood of requests</title></head>
<body><main><article><time datetime="2025-01-01T10:00:00Z"></time><p>One post, and a script that asks for far more than it needs.</p></article></main>
<script>for (var i = 0; i < 8; i++) fetch('/slow-api/' + i);</script></body></html>`;

export const URLS = { shadow: 'https://www.northern-echo-sport.example/football/cup-final-live', ticker: TICKER_URL, festival: FESTIVAL_URL, election: ELECTION_URL, restless: 'https://www.riverside-post.example/sport/marathon-live' };

/** Serves the pages: /ticker, /festival (and its widget), /election, /restless. */
export function servePages(server: TestServer): void {
  server.route('/ticker', (req, res) => html(res, tickerShell('/tik4/api/v2/liveblog/t-8812/events')));
  server.route('/tik4/api/v2/liveblog/t-8812/events', (req, res) => json(res, { events: TICKER_EVENTS }));
  // The same ticker with an API that takes its time: longer than the page's quiet spell.
  server.route('/ticker-slow', (req, res) => html(res, tickerShell('/tik4/api/v2/liveblog/t-8812/events?slow=1')));
  server.route('/tik4/api/v2/liveblog/t-8812/events?slow=1', (req, res) => { setTimeout(() => json(res, { events: TICKER_EVENTS }), 1500); });
  server.route('/festival', (req, res) => html(res, festivalPage));
  server.route('/embed/24lb/3312', (req, res) => html(res, festivalWidget));
  server.route('/festival-sandboxed', (req, res) => html(res, festivalSandboxedPage));
  // Asked for by the sandboxed widget too, whose origin is opaque: CORS lets it read the answer.
  server.route('/embed/24lb/3312/events.json', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(JSON.stringify(FESTIVAL_EVENTS));
  });
  server.route('/embed/24lb/static/theme.css', (req, res) => res.writeHead(200, { 'content-type': 'text/css' }).end('.lb24-base-list-item{margin:1em 0}'));
  server.route('/election', (req, res) => html(res, electionPage));
  server.route('/election-night/older', (req, res) => {
    const before = Number(new URL(req.url!, 'http://x').searchParams.get('before'));
    const older = ELECTION_POSTS.filter((p) => p.id < before);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-more': older.length > 3 ? '1' : '0' }).end(older.slice(0, 3).map(electionArticle).join('\n'));
  });
  server.route('/restless', (req, res) => html(res, restlessPage));
  server.route('/parallel', (req, res) => html(res, parallelPage));
  for (let i = 1; i <= 6; i++) {
    server.route(`/api/update/${i}`, (req, res) => {
      inFlight.now++;
      inFlight.most = Math.max(inFlight.most, inFlight.now);
      // Slow enough that the requests a browser makes at once overlap.
      setTimeout(() => {
        inFlight.now--;
        html(res, `<article id="u${i}"><time datetime="2025-02-0${i}T12:00:00Z"></time><p>Update ${i}: wind gusts measured on the ridge and the valley floor.</p></article>`);
      }, 150);
    });
  }
  server.route('/ads', (req, res) => html(res, adsPage()));
  server.route('/ads/gpt.js', (req, res) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(adScript));
  server.route('/consent', (req, res) => html(res, '<!doctype html><html><body><p>Accept our cookies to read on.</p></body></html>'));
  server.route('/frozen', (req, res) => html(res, frozenPage));
  server.route('/hungry', (req, res) => html(res, hungryPage));
  server.route('/shadow', (req, res) => html(res, shadowPage));
  server.route('/flood', (req, res) => html(res, floodPage));
  for (let i = 0; i < 8; i++) server.route(`/slow-api/${i}`, (req, res) => { setTimeout(() => json(res, {}), 3000); });
}
