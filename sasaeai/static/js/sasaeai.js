// Behaviour the templates ask for with data- attributes, since the Content Security Policy
// allows no inline script or on*= handler (docs/architecture.md).
(function () {
  // <select data-submit-on-change>: choosing an option submits its form (the language switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-submit-on-change]") && target.form) {
      target.form.submit();
    }
  });
  // data-clears-before-request="ID": before htmx sends this element's request, empty the field
  // ID (the slider of the networks overview asks for its month; a typed date would win).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail && event.detail.elt;
    var id = source && source.getAttribute && source.getAttribute("data-clears-before-request");
    var field = id && document.getElementById(id);
    if (field) field.value = "";
  });
})();
