// The network page's enhancements. Pointing at or focusing a person lights up them, the people
// they appear with in the current view and the lines between, and dims the rest; a link to the
// page with "#n-<id>" (as each person page has) lights that person up on arrival. The "show all
// ties" box switches the view between ties seen at least twice and all ties, for the drawing and
// the table alike (network.css hides the weak ties while the page has "nw-repeated"). No requests.
(function () {
  "use strict";
  var svg = document.querySelector("svg.nw");
  if (!svg) return;
  var root = document.querySelector(".network-page");
  var box = document.getElementById("nw-all");
  var nodes = {}, edges = [].slice.call(svg.querySelectorAll(".nw-edge"));
  [].forEach.call(svg.querySelectorAll(".nw-node"), function (a) { nodes[a.getAttribute("data-id")] = a; });
  var around = {};
  edges.forEach(function (e) {
    var a = e.getAttribute("data-a"), b = e.getAttribute("data-b");
    (around[a] = around[a] || []).push([b, e]);
    (around[b] = around[b] || []).push([a, e]);
  });
  var lit = [], centre = null;

  // Whether a line is in the current view.
  function shown(e) {
    return !box || box.checked || !e.classList.contains("nw-weak");
  }

  function clear() {
    lit.forEach(function (x) { x.classList.remove("is-on", "is-centre"); });
    lit = [];
    centre = null;
    svg.classList.remove("is-lit");
  }

  function light(id) {
    clear();
    if (!nodes[id]) return;
    centre = id;
    svg.classList.add("is-lit");
    nodes[id].classList.add("is-on", "is-centre");
    lit.push(nodes[id]);
    var mine = (around[id] || []).filter(function (pair) { return shown(pair[1]); });
    mine.forEach(function (pair) {
      var other = nodes[pair[0]];
      other.classList.add("is-on");
      pair[1].classList.add("is-on");
      lit.push(other, pair[1]);
    });
    // Lit lines are drawn last, on top of the dimmed ones.
    mine.forEach(function (pair) { pair[1].parentNode.appendChild(pair[1]); });
  }

  Object.keys(nodes).forEach(function (id) {
    var a = nodes[id];
    a.addEventListener("pointerenter", function () { light(id); });
    a.addEventListener("focus", function () { light(id); });
    a.addEventListener("pointerleave", clear);
    a.addEventListener("blur", clear);
  });

  // The view follows the box (also as the browser restores it on going back).
  function view() {
    root.classList.toggle("nw-repeated", !box.checked);
    if (centre) light(centre);
  }
  if (box) {
    box.addEventListener("change", view);
    window.addEventListener("pageshow", view);
    view();
  }

  function fromHash() {
    var m = /^#n-(.+)$/.exec(location.hash);
    if (m) light(decodeURIComponent(m[1]));
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
