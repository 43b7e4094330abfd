-- wrk script: POST the CRD order-sign fixture (three draft orders, prefetched Patient and Coverage).
local file = io.open(os.getenv("ORDER_SIGN_JSON"), "r")
local body = file:read("*a")
file:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = body
wrk.path = "/cds-services/medpolicy-order-sign"
done = function(summary, latency, requests)
  io.write(string.format("non-2xx or socket errors: %d non-2xx, %d connect, %d read, %d write, %d timeout\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("requests/s %.0f\n", summary.requests / (summary.duration / 1e6)))
end
