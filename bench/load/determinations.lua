-- wrk script: POST /v1/determinations with a mix of contract requests. The requests are built once,
-- in init (1,000 of them, with the access token of $TOKEN: four kinds, distinct request and member ids), and then cycled, so the
-- load generator spends its CPU sending, not formatting, on a machine it shares with the server.
local templates = {
  '{"kind":"PRE_SERVICE","lineOfBusiness":"MEDICARE_ADVANTAGE","dateOfService":"2026-12-01","requester":{"role":"TREATING_PROVIDER"},"member":{"id":"M%d"},"requestId":"LOAD-%d","items":[{"therapy":"TUMOR_INFILTRATING_LYMPHOCYTES"}]}',
  '{"kind":"CLAIM","lineOfBusiness":"MEDICARE_ADVANTAGE","dateOfService":"2026-12-01","requestId":"LOAD-%d","member":{"id":"M%d"},"items":[{"code":{"system":"CPT","value":"99213"}}]}',
  '{"kind":"PRE_SERVICE","lineOfBusiness":"MEDICARE_ADVANTAGE","dateOfService":"2026-12-01","requester":{"role":"TREATING_PROVIDER"},"member":{"id":"M%d"},"requestId":"LOAD-%d","items":[{"code":{"system":"CPT","value":"36511"},"description":"leukapheresis for CIK cell therapy, hepatocellular carcinoma"}]}',
  '{"kind":"PRE_SERVICE","lineOfBusiness":"MEDICARE_ADVANTAGE","dateOfService":"2026-12-01","requester":{"role":"TREATING_PROVIDER"},"member":{"id":"M%d"},"requestId":"LOAD-%d","items":[{"product":"Kymriah"},{"code":{"system":"HCPCS","value":"S2107"}}]}'
}
local requests = {}
local counter = 0

init = function(args)
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }
  for i = 1, 1000 do
    local body = string.format(templates[(i % #templates) + 1], i, i)
    requests[i] = wrk.format("POST", "/v1/determinations", headers, body)
  end
end

request = function()
  counter = counter % #requests + 1
  return requests[counter]
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx or socket errors: %d non-2xx, %d connect, %d read, %d write, %d timeout\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("requests/s %.0f\n", summary.requests / (summary.duration / 1e6)))
end
