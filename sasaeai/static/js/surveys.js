// Skip logic on the answer page: a question with data-show-if is shown only when the question
// it names has one of the listed answers. Without this script every question is shown and the
// server ignores the answers to hidden ones.
(function () {
  var form = document.getElementById("survey-form");
  if (!form) return;
  function chosen(code) {
    var picked = [];
    form.querySelectorAll('[name="' + code + '"], [name="multi__' + code + '"]').forEach(function (input) {
      if (input.checked) picked.push(input.value);
    });
    return picked;
  }
  function update() {
    form.querySelectorAll("[data-show-if]").forEach(function (fieldset) {
      var rule = JSON.parse(fieldset.getAttribute("data-show-if"));
      var shown = chosen(rule.question).some(function (v) { return rule.answers.indexOf(v) >= 0; });
      fieldset.hidden = !shown;
    });
  }
  form.addEventListener("change", update);
  update();
})();
