// Dossier's small progressive enhancements: the timeline filter. Without JavaScript the full
// timeline is shown.
(function () {
  "use strict";
  var form = document.querySelector(".timeline-filter");
  if (!form) return;
  form.hidden = false;
  var events = Array.prototype.slice.call(document.querySelectorAll(".event"));
  var status = form.querySelector(".filter-status");
  function apply() {
    var person = form.person.value, side = form.side.value, tag = form.tag.value, shown = 0;
    events.forEach(function (el) {
      var ok = (!person || (" " + el.dataset.people + " ").indexOf(" " + person + " ") >= 0) &&
        (!side || (" " + el.dataset.sides + " ").indexOf(" " + side + " ") >= 0) &&
        (!tag || (" " + el.dataset.tags + " ").indexOf(" " + tag + " ") >= 0);
      el.hidden = !ok;
      if (ok) shown++;
    });
    status.textContent = (person || side || tag) ? shown + " of " + events.length + " events shown" : "";
  }
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
})();
