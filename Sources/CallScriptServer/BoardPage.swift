/// The live board's page, style and script.
///
/// Plain HTML, CSS and a small script of our own, no CDN (a center's network is closed). The
/// script reads `/board/feed` and draws every incident.
enum BoardPage {
  static let html = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>callscript board</title>
    <link rel="stylesheet" href="board.css">
    </head>
    <body>
    <header>
    <h1>Active incidents</h1>
    <p id="status" class="status" role="status">connecting…</p>
    </header>
    <main id="incidents" aria-live="polite"></main>
    <script src="board.js"></script>
    </body>
    </html>

    """

  static let css = """
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.35 system-ui, sans-serif; background: #101418; color: #f2f2f2; }
    header { display: flex; align-items: baseline; gap: 1.5rem; padding: .5rem 1rem;
      background: #1b2128; border-bottom: 2px solid #333; }
    h1 { font-size: 1.4rem; margin: 0; }
    .status { margin: 0; font-weight: 600; }
    .status.down { color: #ff8a80; }
    main { display: grid; grid-template-columns: repeat(auto-fill, minmax(600px, 1fr)); gap: .75rem;
      padding: .75rem; }
    .incident { background: #1b2128; border: 2px solid #3a444f; border-radius: 6px; padding: .6rem .8rem; }
    .incident.ended { opacity: .6; }
    .incident h2 { font-size: 1.1rem; margin: 0 0 .3rem; display: flex; justify-content: space-between; gap: 1rem; }
    .det { padding: .05rem .4rem; border-radius: 4px; background: #37474f; font-weight: 700; }
    .attacker { font-size: 1.9rem; font-weight: 800; line-height: 1.2; margin: .2rem 0 .4rem;
      padding: .3rem .5rem; border-left: 10px solid #43a047; background: #14261a; }
    .attacker .age { font-size: 1.2rem; font-weight: 700; margin-left: .6rem; }
    .attacker.stale { border-left-color: #e53935; background: #3a1412; }
    .attacker.stale .age { color: #ff8a80; }
    .attacker.none { font-size: 1.3rem; border-left-color: #757575; background: #222; }
    .facts, .calls, .relays, .verify, .hidden { margin: .3rem 0; padding: 0; list-style: none; }
    .facts li { display: inline-block; margin-right: 1rem; }
    .calls li, .relays li, .verify li, .hidden li { padding: .15rem 0; border-top: 1px solid #2c343c; }
    .tag { display: inline-block; font-size: .8rem; font-weight: 700; padding: 0 .35rem;
      border-radius: 3px; margin-right: .35rem; }
    .tag.dropped { background: #e53935; color: #fff; }
    .tag.hiding { background: #fdd835; color: #000; }
    .tag.ended { background: #757575; color: #fff; }
    .tag.unaired { background: #fb8c00; color: #000; }
    .tag.aired { background: #43a047; color: #fff; }
    .tag.verify { background: #8e24aa; color: #fff; }
    button.aired { font: inherit; font-weight: 700; padding: .1rem .6rem; margin-left: .5rem;
      background: #1e88e5; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
    button.aired:focus { outline: 3px solid #fff; }
    .muted { color: #b0bec5; }
    .empty { padding: 2rem; font-size: 1.4rem; color: #b0bec5; }

    """

  static let script = """
    "use strict";
    (function () {
      var token = new URLSearchParams(location.search).get("token");
      var box = document.getElementById("incidents");
      var status = document.getElementById("status");
      var state = null, receivedAt = 0, socket = null, requests = 0;

      function el(tag, cls, text) {
        var node = document.createElement(tag);
        if (cls) node.className = cls;
        if (text !== undefined && text !== null) node.textContent = text;
        return node;
      }
      function tag(cls, text) { return el("span", "tag " + cls, text); }
      function age(seconds) {
        seconds = Math.max(0, Math.floor(seconds));
        return seconds < 60 ? seconds + " s" : Math.floor(seconds / 60) + " min " + (seconds % 60) + " s";
      }
      function elapsed() { return (Date.now() - receivedAt) / 1000; }

      function draw() {
        if (!state) return;
        box.textContent = "";
        var incidents = state.incidents || [];
        if (incidents.length === 0) box.appendChild(el("p", "empty", "No incidents."));
        var staleAfter = state.stale_after_s || 120;
        incidents.forEach(function (incident) {
          var card = el("section", "incident" + (incident.open ? "" : " ended"));
          card.dataset.incident = incident.id;
          var head = el("h2");
          head.appendChild(el("span", "place", (incident.place || "place unknown") + " · " + incident.id));
          if (incident.determinant) {
            head.appendChild(el("span", "det", incident.determinant.code + " " + incident.determinant.level));
          }
          card.appendChild(head);
          var attacker = incident.attacker;
          if (attacker) {
            var seconds = attacker.age_s + elapsed();
            var stale = seconds >= staleAfter;
            var line = el("div", "attacker" + (stale ? " stale" : ""));
            line.dataset.stale = stale ? "yes" : "no";
            line.appendChild(el("span", "where", "Attacker: " + attacker.text));
            line.appendChild(el("span", "age", (stale ? "STALE " : "") + age(seconds) + " ago"));
            card.appendChild(line);
          } else {
            card.appendChild(el("div", "attacker none", "Attacker position not known"));
          }
          if (incident.facts.length) {
            var facts = el("ul", "facts");
            incident.facts.forEach(function (f) {
              facts.appendChild(el("li", null, f.field.replace(/_/g, " ") + ": " + f.text));
            });
            card.appendChild(facts);
          }
          if (incident.hidden.length) {
            var hidden = el("ul", "hidden");
            incident.hidden.forEach(function (h) {
              var li = el("li"); li.appendChild(tag("hiding", "HIDDEN")); li.appendChild(document.createTextNode(h));
              hidden.appendChild(li);
            });
            card.appendChild(hidden);
          }
          var calls = el("ul", "calls");
          incident.calls.forEach(function (c) {
            var li = el("li"); li.dataset.call = c.call;
            if (c.line_dropped) li.appendChild(tag("dropped", "LINE DROPPED"));
            if (c.hiding) li.appendChild(tag("hiding", "HIDING"));
            if (c.ended) li.appendChild(tag("ended", "ENDED"));
            li.appendChild(document.createTextNode("call " + c.call + " · position " + c.position +
              (c.caller_location ? " · caller at " + c.caller_location : "") +
              (c.determinant ? " · " + c.determinant : "")));
            c.verifications.forEach(function (v) {
              var item = el("div", "muted"); item.appendChild(tag("verify", "VERIFY")); item.appendChild(document.createTextNode(v));
              li.appendChild(item);
            });
            calls.appendChild(li);
          });
          card.appendChild(calls);
          if (incident.verifications.length) {
            var verify = el("ul", "verify");
            incident.verifications.forEach(function (v) {
              var li = el("li"); li.appendChild(tag("verify", "CALLERS DISAGREE")); li.appendChild(document.createTextNode(v));
              verify.appendChild(li);
            });
            card.appendChild(verify);
          }
          var relays = el("ul", "relays");
          incident.relays.forEach(function (r) {
            var li = el("li", "relay"); li.dataset.relay = r.id; li.dataset.call = r.call;
            li.dataset.aired = r.aired ? "yes" : "no";
            if (r.aired) {
              li.appendChild(tag("aired", "AIRED"));
            } else {
              li.appendChild(tag("unaired", "NOT AIRED" + (r.age_s !== undefined ? " " + age(r.age_s + elapsed()) : "")));
            }
            li.appendChild(document.createTextNode(r.text));
            if (!r.aired) {
              var button = el("button", "aired", "Mark aired");
              button.type = "button";
              button.addEventListener("click", function () { markAired(r.call, r.id, button); });
              li.appendChild(button);
            }
            relays.appendChild(li);
          });
          card.appendChild(relays);
          box.appendChild(card);
        });
      }

      function markAired(call, relay, button) {
        if (!socket || socket.readyState !== 1) return;
        button.disabled = true;
        requests += 1;
        socket.send(JSON.stringify({ aired: { requestId: "board-" + requests, call: call, relay: relay, by: "board" } }));
      }

      function connect() {
        var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/board/feed" +
          (token ? "?token=" + encodeURIComponent(token) : "");
        socket = new WebSocket(url);
        socket.onopen = function () { status.textContent = "live"; status.className = "status"; };
        socket.onmessage = function (message) {
          var data;
          try { data = JSON.parse(message.data); } catch (e) { return; }
          if (data.board) { state = data.board; receivedAt = Date.now(); draw(); }
          if (data.airedResponse && data.airedResponse.statusCode !== 200) {
            status.textContent = "aired: " + data.airedResponse.statusText;
          }
        };
        socket.onclose = function () {
          status.textContent = "DISCONNECTED: retrying"; status.className = "status down";
          setTimeout(connect, 1000);
        };
      }
      connect();
      setInterval(draw, 1000);
    })();

    """
}
