// Reception: scan a check-in QR code with the camera where the browser has BarcodeDetector; typing the
// code always works. A found code is put in the form and submitted (htmx swaps the reception panel).
(function () {
  "use strict";
  var stream = null;

  function stop() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); stream = null; }
  }

  function setUp(root) {
    var button = root.querySelector("[data-scan]");
    if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
    var video = root.querySelector("[data-scan-video]");
    var status = root.querySelector("[data-scan-status]");
    var form = button.closest("form");
    button.hidden = false;
    button.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        status.hidden = false;
        return video.play();
      }).then(function look() {
        if (!stream) { return; }
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            form.querySelector("input[name=code]").value = codes[0].rawValue;
            stop();
            form.requestSubmit();
          } else {
            window.setTimeout(look, 250);
          }
        }, function () { window.setTimeout(look, 500); });
      }).catch(function () {
        stop();
        status.hidden = false;
        status.textContent = button.dataset.denied || status.textContent;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  // The panel is replaced after each check-in: keep scanning ready and the code box focused.
  document.addEventListener("htmx:afterSwap", function (event) {
    stop();
    setUp(event.detail.target.ownerDocument);
    var input = document.querySelector("#checkin input[name=code]");
    if (input) { input.focus(); }
  });
})();
