// The interactive map's script, rendered by geosafety.render.interactive with Jinja (this.payload etc.).
(function () {
  var map = {{ this._parent.get_name() }};
  var D = {{ this.payload | tojson }};
  var COLOURS = {deciles: {{ this.deciles | tojson }}, classes: {{ this.classes | tojson }},
                 none: "{{ this.none }}", suppressed: "{{ this.suppressed }}"};
  function esc(v) {
    return String(v).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function fmt(v, d) {
    if (v === null || v === undefined) { return "\u2013"; }
    return Number(v).toLocaleString("en-GB", {maximumFractionDigits: d});
  }
  var state = {layer: 0, measure: D.measures[0][0]};
  var HOTSPOT = {};
  D.hotspotClasses.forEach(function (c) { HOTSPOT[c[0]] = c[1]; });
  var layerSelect = document.getElementById("gs-layer");
  var measureSelect = document.getElementById("gs-measure");
  D.measures.forEach(function (m) {
    var option = document.createElement("option");
    option.value = m[0];
    option.textContent = m[1];
    measureSelect.appendChild(option);
  });
  D.layers.forEach(function (layer, i) {
    var option = document.createElement("option");
    option.value = i;
    option.textContent = layer.group + ": " + layer.name;
    layerSelect.appendChild(option);
  });
  // One area's values in a layer, by name (geosafety.render.interactive.MAP_FIELDS).
  function valuesAt(layer, i) {
    var v = layer.values;
    return {count: v.count[i], rate: v.rate[i], rateLow: v.rate_low[i], rateHigh: v.rate_high[i],
            compared: v.compared[i], smoothed: v.smoothed[i], small: v.small[i],
            hotspot: v.hotspot[i], rank: v.rank[i], decile: v.decile[i],
            suppressed: v.suppressed[i], expected: v.expected ? v.expected[i] : null};
  }
  function classOf(layer, measure, row) {
    if (row.suppressed) { return {colour: COLOURS.suppressed, label: "suppressed"}; }
    if (measure === "hotspot") {
      return {colour: row.hotspot === null ? COLOURS.none : HOTSPOT[row.hotspot]};
    }
    if (measure === "rank") {
      var d = row.decile;
      return d === null ? {colour: COLOURS.none} : {colour: COLOURS.deciles[d - 1]};
    }
    var value = measure === "rate" ? row.rate : row.count;
    if (value === null) { return {colour: COLOURS.none}; }
    var breaks = layer.breaks[measure];
    for (var k = 0; k < breaks.length; k++) {
      if (value <= breaks[k] + 1e-9) {
        return {colour: COLOURS.classes[Math.round(k * (COLOURS.classes.length - 1) /
                                                   Math.max(1, breaks.length - 1))]};
      }
    }
    return {colour: COLOURS.classes[COLOURS.classes.length - 1]};
  }
  function tooltip(i) {
    var layer = D.layers[state.layer], row = valuesAt(layer, i), props = D.areas.features[i].properties;
    var pop = layer.population ? D.population[layer.population][i] : null;
    var rows = [[D.areaLabel, props.name], ["Code", props.code]];
    if (props.ward) { rows.push(["Ward", props.ward]); }
    rows.push(["Layer", layer.group + ": " + layer.name]);
    if (row.suppressed) {
      rows.push(["Count", "suppressed"], ["Rate", "suppressed"], ["Rank", "\u2013"]);
    } else if (!layer.population) {
      rows.push(["Count", fmt(row.count, layer.digits || 0)]);
    } else {
      rows.push(["Count", fmt(row.count, layer.digits || 0)],
                ["Rate", fmt(row.rate, 1) + " " + layer.unit + " (" + layer.population + " " +
                         fmt(pop, 0) + ")"]);
      if (layer.confidence && row.rateLow !== null) {
        rows.push([layer.confidence + " CI",
                   fmt(row.rateLow, 1) + " to " + fmt(row.rateHigh, 1)]);
      }
      if (row.compared) { rows.push(["Compared with " + D.studyArea, row.compared]); }
      if (row.smoothed !== null) {
        rows.push(["Smoothed rate (EB, " + layer.smoothedLabel + ")",
                   fmt(row.smoothed, 1) + (layer.rankedBy !== "rate" ? " (ranked by this)" : "")]);
      }
      if (row.small) {
        rows.push(["Small denominator", "yes: few residents, check the count"]);
      }
      rows.push(
                ["Rank (1 = highest)", row.rank === null ? "\u2013" : row.rank + " of " + layer.n],
                ["Local decile", fmt(row.decile, 0)]);
    }
    if (row.expected !== null) { rows.push(["SafeLives expectation", fmt(row.expected, 1) + " a year"]); }
    if (row.hotspot !== null) { rows.push(["Hot spot (Gi*, FDR)", row.hotspot]); }
    return "<table class='gs-tip'>" + rows.map(function (r) {
      return "<tr><th>" + esc(r[0]) + "</th><td>" + esc(r[1]) + "</td></tr>";
    }).join("") + "</table>";
  }
  var shapes = [];
  var areas = L.geoJSON(D.areas, {
    style: function () { return {fillOpacity: 0.85, color: "#555", weight: D.areaWeight}; },
    onEachFeature: function (f, shape) {
      var i = shapes.length;
      shapes.push(shape);
      shape.bindTooltip(function () { return tooltip(i); }, {sticky: true});
      shape.on("mouseover", function () { shape.setStyle({weight: 2.5, color: "#000"}); });
      shape.on("mouseout", function () { shape.setStyle({weight: D.areaWeight, color: "#555"}); });
    }
  }).addTo(map);
  L.geoJSON(D.wards, {interactive: false, style: function () { return D.wardStyle; }}).addTo(map);
  D.labels.forEach(function (w) {
    L.marker([w[1], w[2]], {interactive: false, keyboard: false,
      icon: L.divIcon({className: w[3], html: esc(w[0]), iconSize: null})}).addTo(map);
  });
  var points = null;
  if (D.points) {
    points = L.layerGroup();
    D.points.items.forEach(function (p) {
      L.circleMarker([p[2], p[3]], {radius: 5, color: "#fff", weight: 1.5, fillOpacity: 1,
                                    fillColor: D.points.colour})
        .bindTooltip("<b>" + esc(p[0]) + "</b><br>" + esc(p[1]))
        .addTo(points);
    });
    document.getElementById("gs-points-control").style.display = "block";
    document.getElementById("gs-points-label").textContent =
      D.points.label + " (" + D.points.items.length + ")";
    document.getElementById("gs-points").addEventListener("change", function (e) {
      showPoints(e.target.checked);
      legend();
    });
  }
  // Premises are drawn with the layers they belong with (night-time economy) and can be
  // switched on or off for any layer with the checkbox.
  function showPoints(on) {
    if (!points) { return; }
    if (on) { points.addTo(map); } else { map.removeLayer(points); }
    document.getElementById("gs-points").checked = on;
  }
  function pointsFollowLayer() {
    var layer = D.layers[state.layer];
    showPoints(!!D.points && D.points.groups.indexOf(layer.group) >= 0);
  }
  function legend() {
    var layer = D.layers[state.layer], measure = state.measure, items = [];
    if (measure === "hotspot") {
      D.hotspotClasses.forEach(function (c) { items.push([c[1], c[0]]); });
    } else if (measure === "rank") {
      for (var d = 1; d <= 10; d++) {
        var span = layer.deciles[d];
        items.push([COLOURS.deciles[d - 1], d + (d === 1 ? " (highest)" : d === 10 ? " (lowest)" : "") +
                    ": " + (span ? (span[0] === span[1] ? "rank " + span[0] : "ranks " + span[0] + "\u2013" + span[1]) : "no areas")]);
      }
    } else {
      var breaks = layer.breaks[measure], lower = 0;
      breaks.forEach(function (b, k) {
        var colour = COLOURS.classes[Math.round(k * (COLOURS.classes.length - 1) / Math.max(1, breaks.length - 1))];
        items.push([colour, fmt(lower, 1) + " to " + fmt(b, 1)]);
        lower = b;
      });
    }
    var any = function (test) {
      return layer.values.suppressed.some(function (_, i) { return test(valuesAt(layer, i)); });
    };
    if (any(function (r) { return r.suppressed; })) {
      items.push([COLOURS.suppressed, "Suppressed to protect confidentiality (small count, or a cell that would reveal one)", "gs-hatch"]);
    }
    if (measure === "hotspot" && any(function (r) { return r.hotspot === null; })) {
      items.push([COLOURS.none, "Not analysed (too few events, or not this source)"]);
    } else if (layer.population && any(function (r) { return !r.suppressed && r.rate === null; })) {
      items.push([COLOURS.none, "No population: no rate"]);
    }
    if (points && map.hasLayer(points)) {
      items.push([D.points.colour, D.points.label, "gs-dot"]);
    }
    var heading = {rank: "Local decile of rate rank (1 = highest tenth)" +
                         (layer.rankedBy !== "rate" ? ", smoothed rates" : ""),
                   rate: "Rate " + layer.unit + " (natural breaks)",
                   count: "Count (natural breaks)",
                   hotspot: "Getis-Ord Gi* hot and cold spots (false discovery rate)"}[measure];
    document.getElementById("gs-legend-items").innerHTML = "<b>" + esc(heading) + "</b>" +
      items.map(function (it) {
        return "<div><i class='" + (it[2] || "") + "' style='background:" + it[0] + "'></i>" + esc(it[1]) + "</div>";
      }).join("");
    document.getElementById("gs-source").textContent = layer.source;
    var syntheticPoints = points && map.hasLayer(points) && D.points.synthetic;
    document.getElementById("gs-banner").style.display =
      layer.synthetic || syntheticPoints ? "block" : "none";
    document.getElementById("gs-layer-title").textContent = layer.group + ": " + layer.name;
  }
  function restyle() {
    var layer = D.layers[state.layer];
    shapes.forEach(function (shape, i) {
      var row = valuesAt(layer, i), cls = classOf(layer, state.measure, row);
      shape.setStyle({fillColor: cls.colour, dashArray: row.suppressed ? "3 3" : null});
    });
    legend();
  }
  layerSelect.addEventListener("change", function () {
    state.layer = +layerSelect.value;
    pointsFollowLayer();
    restyle();
  });
  measureSelect.addEventListener("change", function () { state.measure = measureSelect.value; restyle(); });
  var search = document.getElementById("gs-search"), list = document.getElementById("gs-names");
  var targets = {};
  D.areas.features.forEach(function (f, i) {
    (targets[f.properties.name.toLowerCase()] = targets[f.properties.name.toLowerCase()] || []).push(i);
    if (f.properties.ward) {
      var key = f.properties.ward.toLowerCase() + " (ward)";
      (targets[key] = targets[key] || []).push(i);
    }
  });
  Object.keys(targets).sort().forEach(function (name) {
    var option = document.createElement("option");
    option.value = name;
    list.appendChild(option);
  });
  function find(text) {
    var hits = targets[text.trim().toLowerCase()];
    if (!hits) { return false; }
    var bounds = L.latLngBounds([]);
    hits.forEach(function (i) { bounds.extend(shapes[i].getBounds()); });
    map.fitBounds(bounds, {maxZoom: 15});
    shapes[hits[0]].openTooltip(shapes[hits[0]].getBounds().getCenter());
    return true;
  }
  search.addEventListener("change", function () { find(search.value); });
  map.fitBounds(areas.getBounds());
  pointsFollowLayer();
  restyle();
  window.geosafety = {map: map, areas: areas, shapes: shapes, data: D, state: state, points: points,
                      restyle: restyle, find: find, tooltip: tooltip, valuesAt: valuesAt};
})();
