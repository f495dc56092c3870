// replication-lab HTML report: inlined by lab.harness.report.html.HtmlReport. The charts are plain SVG and need
// none of this; it adds legend toggles and records, on each chart, whether its data marks have a drawn (non-empty)
// bounding box after layout, so a headless browser's --dump-dom shows that the charts drew.
(function () {
  'use strict';
  var charts = document.querySelectorAll('svg.chart');
  var drawn = 0;
  Array.prototype.forEach.call(charts, function (svg) {
    var marks = svg.querySelectorAll('.series, .point, .bar');
    var visible = 0;
    Array.prototype.forEach.call(marks, function (m) {
      var box;
      try { box = m.getBBox(); } catch (e) { box = null; }
      var pts = m.getAttribute('points');
      if (box && (box.width > 0 || box.height > 0) && (m.tagName !== 'polyline' || (pts && pts.trim().length > 0))) {
        visible++;
      }
    });
    svg.setAttribute('data-marks', String(marks.length));
    svg.setAttribute('data-visible-marks', String(visible));
    svg.setAttribute('data-drawn', visible > 0 ? 'yes' : 'no');
    if (visible > 0) { drawn++; }

    Array.prototype.forEach.call(svg.querySelectorAll('.legend-item'), function (item) {
      item.addEventListener('click', function () {
        var key = item.getAttribute('data-series');
        var off = !item.classList.contains('off');
        item.classList.toggle('off', off);
        Array.prototype.forEach.call(svg.querySelectorAll('.series-group'), function (g) {
          if (g.getAttribute('data-series') === key) { g.classList.toggle('off', off); }
        });
      });
    });
  });
  document.body.setAttribute('data-charts', String(charts.length));
  document.body.setAttribute('data-charts-drawn', String(drawn));
})();
