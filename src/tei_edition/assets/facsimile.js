// Facsimile pages: the document's images in OpenSeadragon beside the text, kept in step with it.
//  - scrolling the text shows the image of the page being read (the last page break above the
//    reading line);
//  - a click on the image (or "Go to this page in the text") brings the text to its page break;
//    the viewer's own previous/next buttons do the same;
//  - an image that cannot be loaded (server unreachable, host not allowed, file missing) is said
//    in words; the text stays complete.
// The images come from the JSON data block #facsimile-data (xslt/html/facsimile.xsl): a local
// image's info.json is inside it, because a page opened from disk may not fetch one.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var block = document.getElementById("facsimile-data");
    var aside = document.getElementById("facsimile");
    if (!block || !aside) return;
    var data = JSON.parse(block.textContent);
    var pages = data.pages;
    var status = aside.querySelector(".facsimile-status");
    var position = aside.querySelector(".facsimile-position");
    var toText = aside.querySelector(".facsimile-to-text");
    var element = aside.querySelector(".facsimile-viewer");
    var markers = Array.prototype.slice.call(document.querySelectorAll(".document-text .facs-pb"));
    var failed = {};
    var current = 0;

    function say(text) { status.textContent = text; status.hidden = !text; }
    if (typeof OpenSeadragon === "undefined") {
      say("The image viewer could not be loaded, so the images are not shown. The text is complete without them.");
      return;
    }

    var root = new URL(data.root || "./", location.href);
    var sources = pages.map(function (page) {
      var source = page.source;
      if (source && typeof source === "object" && source.id !== undefined) {  // a local image's info.json
        source = Object.assign({}, source, {id: new URL(source.id, root).href});
      }
      return source || {type: "image", url: new URL("iiif/missing.jpg", root).href};
    });

    var viewer = OpenSeadragon({
      element: element,
      prefixUrl: data.images,
      tileSources: sources,
      sequenceMode: sources.length > 1,
      drawer: "canvas",
      crossOriginPolicy: false,
      showRotationControl: true,
      showNavigator: false,
      preserveViewport: false,
      visibilityRatio: 0.5,
      gestureSettingsMouse: {clickToZoom: false, dblClickToZoom: true},
      gestureSettingsTouch: {clickToZoom: false, dblClickToZoom: true, pinchToZoom: true}
    });

    function describe(index) {
      var page = pages[index];
      if (page.kind === "local") {
        return "The image " + page.label + " is missing from this copy of the edition. The text is complete without it.";
      }
      return "The image " + page.label + " cannot be loaded from " + page.host + ": the server may be unreachable, "
        + "or the edition does not allow images from there. The text is complete without it.";
    }
    function show(index) {
      current = index;
      position.textContent = "Image " + (index + 1) + " of " + pages.length + ": " + pages[index].label;
      say(failed[index] ? describe(index) : "");
    }
    function fail(index) { failed[index] = true; if (index === current) say(describe(index)); }

    var following = false;  // the viewer changes page because the text moved: the text stays
    viewer.addHandler("page", function (event) {
      show(event.page);
      if (!following) goToText(event.page);
    });
    viewer.addHandler("open", function () { delete failed[current]; show(current); });
    viewer.addHandler("open-failed", function () { fail(current); });
    viewer.addHandler("tile-load-failed", function () { fail(current); });
    viewer.addHandler("canvas-click", function (event) { if (event.quick) goToText(current); });

    function goToText(index) {
      var marker = markers.filter(function (m) { return Number(m.dataset.facsIndex) === index + 1; })[0];
      if (!marker) return;
      marker.setAttribute("tabindex", "-1");
      marker.scrollIntoView({block: "start"});
      marker.focus({preventScroll: true});
    }
    function goToImage(index) {
      if (index === current || index < 0 || index >= pages.length) return;
      following = true;
      if (sources.length > 1) viewer.goToPage(index); else show(index);
      following = false;
    }

    // The reading line: a third down the part of the window the text is seen in (below the
    // viewer where it sits above the text, on a narrow screen).
    function readingLine() {
      var box = aside.getBoundingClientRect();
      var top = box.top <= 1 && box.width > window.innerWidth * 0.8 ? Math.max(box.bottom, 0) : 0;
      return top + (window.innerHeight - top) / 3;
    }
    function pageBeingRead() {
      var line = readingLine();
      var found = markers[0];
      for (var i = 0; i < markers.length; i++) {
        if (markers[i].getBoundingClientRect().top <= line) found = markers[i]; else break;
      }
      return found ? Number(found.dataset.facsIndex) - 1 : current;
    }
    var queued = false;
    window.addEventListener("scroll", function () {
      if (queued) return;
      queued = true;
      window.requestAnimationFrame(function () { queued = false; goToImage(pageBeingRead()); });
    }, {passive: true});

    document.querySelectorAll(".document-text .facs-link").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        goToImage(Number(link.dataset.facsIndex) - 1);
        element.focus({preventScroll: true});
      });
    });
    toText.hidden = markers.length === 0;
    toText.addEventListener("click", function () { goToText(current); });
    show(0);
    goToImage(pageBeingRead());
  });
})();
