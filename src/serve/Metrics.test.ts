import {describe, expect, it} from "vitest";
import {MetricsRegistry} from "./Metrics.js";

describe("MetricsRegistry (Prometheus text format 0.0.4)", () => {
    it("renders counters, gauges and cumulative histograms with escaped labels", () => {
        const r = new MetricsRegistry();
        const c = r.counter("x_total", "Things.\nMore help.", ["route", "status"]);
        c.inc({route: "a\"b\\c\nd", status: "200"});
        c.inc({route: "a\"b\\c\nd", status: "200"}, 2);
        r.gauge("depth", "Queue depth.", [], () => 7);
        const h = r.histogram("lat_seconds", "Latency.", ["route"], [0.1, 1, 0.5]);
        for (const v of [0.05, 0.2, 0.7, 3]) h.observe(v, {route: "j"});
        expect(r.render()).toBe([
            "# HELP x_total Things.\\nMore help.",
            "# TYPE x_total counter",
            "x_total{route=\"a\\\"b\\\\c\\nd\",status=\"200\"} 3",
            "# HELP depth Queue depth.",
            "# TYPE depth gauge",
            "depth 7",
            "# HELP lat_seconds Latency.",
            "# TYPE lat_seconds histogram",
            "lat_seconds_bucket{route=\"j\",le=\"0.1\"} 1",
            "lat_seconds_bucket{route=\"j\",le=\"0.5\"} 2",
            "lat_seconds_bucket{route=\"j\",le=\"1\"} 3",
            "lat_seconds_bucket{route=\"j\",le=\"+Inf\"} 4",
            "lat_seconds_sum{route=\"j\"} 3.95",
            "lat_seconds_count{route=\"j\"} 4",
            ""
        ].join("\n"));
        expect(c.get({route: "a\"b\\c\nd", status: "200"})).toBe(3);
        expect(h.count({route: "j"})).toBe(4);
    });

    it("refuses a metric name twice", () => {
        const r = new MetricsRegistry();
        r.counter("a", "A.");
        expect(() => r.gauge("a", "A again.")).toThrow(/twice/);
    });
});
