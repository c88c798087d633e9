// The network page's one enhancement: pointing at or focusing a person lights up them, the
// people they appear with and the lines between, and dims the rest. A link to the page with
// "#n-<id>" (as each person page has) lights that person up on arrival. No requests.
(function () {
  "use strict";
  var svg = document.querySelector("svg.nw");
  if (!svg) return;
  var nodes = {}, edges = [].slice.call(svg.querySelectorAll(".nw-edge"));
  [].forEach.call(svg.querySelectorAll(".nw-node"), function (a) { nodes[a.getAttribute("data-id")] = a; });
  var around = {};
  edges.forEach(function (e) {
    var a = e.getAttribute("data-a"), b = e.getAttribute("data-b");
    (around[a] = around[a] || []).push([b, e]);
    (around[b] = around[b] || []).push([a, e]);
  });
  var lit = [];

  function clear() {
    lit.forEach(function (x) { x.classList.remove("is-on", "is-centre"); });
    lit = [];
    svg.classList.remove("is-lit");
  }

  function light(id) {
    clear();
    if (!nodes[id]) return;
    svg.classList.add("is-lit");
    nodes[id].classList.add("is-on", "is-centre");
    lit.push(nodes[id]);
    (around[id] || []).forEach(function (pair) {
      var other = nodes[pair[0]];
      other.classList.add("is-on");
      pair[1].classList.add("is-on");
      lit.push(other, pair[1]);
    });
    // Lit lines are drawn last, on top of the dimmed ones.
    (around[id] || []).forEach(function (pair) { pair[1].parentNode.appendChild(pair[1]); });
  }

  Object.keys(nodes).forEach(function (id) {
    var a = nodes[id];
    a.addEventListener("pointerenter", function () { light(id); });
    a.addEventListener("focus", function () { light(id); });
    a.addEventListener("pointerleave", clear);
    a.addEventListener("blur", clear);
  });

  function fromHash() {
    var m = /^#n-(.+)$/.exec(location.hash);
    if (m) light(decodeURIComponent(m[1]));
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
