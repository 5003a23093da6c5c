// The campaign dashboard's timeline chart (Apache ECharts, vendored).
// Data comes from a json_script block; nothing is built into inline JS.
(function () {
  "use strict";
  const source = document.getElementById("timeline-data");
  const box = document.getElementById("timeline-chart");
  if (!source || !box || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  if (!data.stages.length) return;
  const L = data.labels;
  const DAY = 86400000;
  const enc = window.echarts.format.encodeHTML;
  function ts(iso) {
    const p = iso.split("-").map(Number);
    return Date.UTC(p[0], p[1] - 1, p[2]);
  }
  const STAGE = { done: "#86c99a", active: "#a4161a", pending: "#cbd5e1" };
  const MILESTONE = { done: "#15803d", overdue: "#dc2626", due_soon: "#f59e0b", upcoming: "#475569" };
  const index = {};
  data.stages.forEach(function (s, i) { index[s.name] = i; });

  const stageItems = data.stages.map(function (s, i) {
    return {
      value: [i, ts(s.start), ts(s.end) + DAY],
      info: s,
      itemStyle: { color: s.overdue ? "#ef4444" : STAGE[s.status] || STAGE.pending },
    };
  });
  const milestoneItems = data.milestones.map(function (m) {
    return {
      value: [ts(m.date) + DAY / 2, index[m.stage]],
      info: m,
      itemStyle: { color: MILESTONE[m.state] || MILESTONE.upcoming, borderColor: "#fff", borderWidth: 1 },
    };
  });
  const first = Math.min.apply(null, data.stages.map(function (s) { return ts(s.start); }));
  const last = Math.max.apply(null, data.stages.map(function (s) { return ts(s.end); }));
  const today = ts(data.today) + DAY / 2;

  function renderStage(params, api) {
    const row = api.value(0);
    const start = api.coord([api.value(1), row]);
    const end = api.coord([api.value(2), row]);
    const height = api.size([0, 1])[1] * 0.55;
    const shape = window.echarts.graphic.clipRectByRect(
      { x: start[0], y: start[1] - height / 2, width: Math.max(end[0] - start[0], 2), height: height },
      { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height }
    );
    return shape && { type: "rect", transition: ["shape"], shape: shape, style: api.style() };
  }

  const chart = window.echarts.init(box, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    grid: { left: 10, right: 30, top: 34, bottom: 10, containLabel: true },
    tooltip: {
      confine: true,
      formatter: function (p) {
        const info = p.data.info;
        if (p.seriesIndex === 0) {
          return "<b>" + enc(info.name) + "</b><br>" + info.start + " — " + info.end + "<br>" +
            enc(info.statusLabel) + (info.overdue ? " · <span style='color:#dc2626'>" + enc(L.overdue) + "</span>" : "");
        }
        return "<b>" + enc(info.name) + "</b><br>" + enc(L.due) + "：" + info.date + "<br>" + enc(info.stateLabel);
      },
    },
    xAxis: {
      type: "time",
      position: "top",
      min: first - 3 * DAY,
      max: last + 4 * DAY,
      splitLine: { show: true, lineStyle: { color: "#eef0f3" } },
      axisLabel: { formatter: "{MM}-{dd}", color: "#6b7280" },
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: data.stages.map(function (s) { return s.name; }),
      axisTick: { show: false },
      axisLabel: {
        color: "#1f2937",
        fontSize: 13,
        formatter: function (value, i) {
          return data.stages[i] && data.stages[i].overdue ? value + " {o|" + L.overdue + "}" : value;
        },
        rich: { o: { color: "#fff", backgroundColor: "#dc2626", borderRadius: 3, padding: [2, 4], fontSize: 11 } },
      },
    },
    series: [
      {
        type: "custom",
        renderItem: renderStage,
        encode: { x: [1, 2], y: 0 },
        data: stageItems,
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { color: "#111827", type: "dashed", width: 2 },
          label: { formatter: L.today + " " + data.today, position: "start", color: "#fff", backgroundColor: "#111827", padding: [2, 4], borderRadius: 3 },
          data: today >= first - 3 * DAY && today <= last + 4 * DAY ? [{ xAxis: today }] : [],
        },
      },
      {
        type: "scatter",
        symbol: "diamond",
        symbolSize: 13,
        z: 5,
        data: milestoneItems,
      },
    ],
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
