/* Class page helpers: an upload starts as soon as files are chosen (the button stays for keyboards and for
   browsers without JavaScript), forms with data-confirm ask first, and "select all" for certificate receipts. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.querySelectorAll("form[data-upload] input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () {
      if (!input.files.length) { return; }
      var form = input.form;
      form.classList.add("sending");
      form.querySelector("button").disabled = true;
      form.submit();
    });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  document.querySelectorAll("[data-check-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      all.closest("table").querySelectorAll("tbody input[type=checkbox]").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
})();
