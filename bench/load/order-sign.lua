-- wrk script: POST the CRD order-sign fixture (three draft orders, prefetched Patient and Coverage).
-- Each call carries its own CDS Hooks JWT, read from $HOOK_JWTS (one per line, made beforehand by
-- `medpolicy assertion --count N`): the server refuses a jti it has seen, as an EHR's JWTs are
-- single-use. When the file runs out, later calls reuse JWTs and are refused (counted as non-2xx).
local file = io.open(os.getenv("ORDER_SIGN_JSON"), "r")
local body = file:read("*a")
file:close()
local jwts = {}
for line in io.lines(os.getenv("HOOK_JWTS")) do
  jwts[#jwts + 1] = line
end
local counter = 0

request = function()
  counter = counter % #jwts + 1
  return wrk.format("POST", "/cds-services/medpolicy-order-sign",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. jwts[counter] }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx or socket errors: %d non-2xx, %d connect, %d read, %d write, %d timeout\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("requests/s %.0f\n", summary.requests / (summary.duration / 1e6)))
end
