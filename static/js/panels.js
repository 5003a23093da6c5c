// Charts on dashboard panels (and any page): every element with
// data-echarts="<id>" is drawn with ECharts from the option object in the
// <script type="application/json" id="<id>"> that Django's json_script wrote.
// Safe to include more than once; loads the vendored ECharts only when a
// chart is on the page; redraws charts that htmx swaps in.
(function () {
  "use strict";
  if (window.lfCharts) {
    window.lfCharts.scan(document);
    return;
  }
  var script = document.currentScript;
  var echartsSrc =
    (script && script.dataset.echartsSrc) ||
    (script && script.src ? script.src.replace(/js\/panels\.js(\?.*)?$/, "vendor/echarts/echarts.min.js") : "/static/vendor/echarts/echarts.min.js");
  var waiting = null;

  function withEcharts(callback) {
    if (window.echarts) {
      callback();
      return;
    }
    if (waiting === null) {
      waiting = [];
      var tag = document.createElement("script");
      tag.src = echartsSrc;
      tag.onload = function () {
        var queued = waiting;
        waiting = [];
        queued.forEach(function (fn) { fn(); });
      };
      document.head.appendChild(tag);
    }
    waiting.push(callback);
  }

  function draw(element) {
    if (element.dataset.echartsReady) {
      return;
    }
    var source = document.getElementById(element.dataset.echarts);
    if (!source) {
      return;
    }
    var option;
    try {
      option = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    element.dataset.echartsReady = "1";
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    if (window.ResizeObserver) {
      new ResizeObserver(function () { chart.resize(); }).observe(element);
    } else {
      window.addEventListener("resize", function () { chart.resize(); });
    }
  }

  function scan(root) {
    var elements = (root || document).querySelectorAll("[data-echarts]");
    if (!elements.length) {
      return;
    }
    withEcharts(function () {
      elements.forEach(draw);
    });
  }

  window.lfCharts = { scan: scan };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) { scan(event.target); });
})();
