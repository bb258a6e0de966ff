// The web edition's little script. Everything works without it; it only adds:
//  - Escape closes a name's card (the card itself is CSS: shown on hover and keyboard focus);
//  - the citation shows this page's web address when the site is served over http(s);
//  - the search page starts Pagefind's search UI (and explains why search needs a server).
(function () {
  "use strict";

  // The way back to the site root, from the stylesheet link every page has.
  function siteRoot() {
    var css = document.querySelector('link[rel="stylesheet"][href$="assets/edition.css"]');
    return css ? new URL(css.getAttribute("href").replace(/assets\/edition\.css$/, ""), location.href) : new URL("./", location.href);
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var ref = document.activeElement && document.activeElement.closest(".ref");
    document.querySelectorAll(".ref:hover, .ref:focus-within").forEach(function (r) { r.classList.add("card-dismissed"); });
    if (ref) ref.classList.add("card-dismissed");
  });
  function undismiss(event) {
    var ref = event.target.closest && event.target.closest(".ref");
    if (ref) ref.classList.remove("card-dismissed");
  }
  document.addEventListener("focusin", undismiss);
  document.addEventListener("mouseover", undismiss);

  document.addEventListener("DOMContentLoaded", function () {
    var served = /^https?:$/.test(location.protocol);
    if (served) {
      var root = siteRoot();
      document.querySelectorAll('.cite-url[data-fixed="no"]').forEach(function (el) {
        el.textContent = new URL(el.getAttribute("data-path"), root).href;
      });
    }

    var search = document.getElementById("search");
    if (!search) return;
    if (!served) {
      document.getElementById("search-offline").hidden = false;
      return;
    }
    if (typeof PagefindUI === "undefined") return;
    // A large edition's index comes in shards (pagefind/shards.json lists them): the first one
    // is the bundle the UI loads, the others are merged into its results.
    var bundle = new URL(search.getAttribute("data-bundle"), location.href);
    fetch(new URL("shards.json", bundle))
      .then(function (response) { return response.ok ? response.json() : { shards: [] }; })
      .catch(function () { return { shards: [] }; })
      .then(function (manifest) {
        var merged = ((manifest && manifest.shards) || []).filter(function (s) { return s.folder; }).map(function (s) {
          return { bundlePath: new URL(s.folder, bundle).pathname };
        });
        startSearch(search, bundle, merged);
      });
  });

  function startSearch(search, bundle, merged) {
    new PagefindUI({
      element: "#search",
      baseUrl: siteRoot().pathname,
      // an import path: absolute, so it works from any sub-path
      bundlePath: bundle.pathname,
      mergeIndex: merged,
      showSubResults: true,
      showImages: false
    });
    // Pagefind's input gets the visible label the page provides (accessibility: a real label)
    var input = search.querySelector("input");
    if (input) input.id = "search-input";
    var q = new URLSearchParams(location.search).get("q");
    if (q && input) {
      input.value = q;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }
})();
