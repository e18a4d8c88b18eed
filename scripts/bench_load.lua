-- wrk script for `make bench`: each wrk thread holds one connection and plays one peer.
-- Loaded with: wrk -t8 -c8 -s load.lua <base> -- <requests file>
-- The requests file (written by bench.py) has one line per client:
--   METHOD<TAB>PATH<TAB>COOKIE<TAB>BODY
-- A POST answered by anything but a redirect (302) means the form was refused: counted.

local lines = {}
local next_index = 0
local threads = {}

function setup(thread)
   next_index = next_index + 1
   thread:set("index", next_index)
   table.insert(threads, thread)
end

function init(args)
   local n = 0
   for line in io.lines(args[1]) do
      n = n + 1
      if n == index then
         local method, path, cookie, body = line:match("^(%u+)\t([^\t]*)\t([^\t]*)\t?(.*)$")
         local headers = { ["Cookie"] = cookie }
         if method == "POST" then
            headers["Content-Type"] = "application/x-www-form-urlencoded"
         else
            body = nil
         end
         expected = method == "POST" and 302 or 200
         req = wrk.format(method, path, headers, body)
      end
   end
   unexpected = 0
end

function request()
   return req
end

function response(status, headers, body)
   if status ~= expected then
      unexpected = unexpected + 1
      last_bad = status
   end
end

function done(summary, latency, requests)
   local bad, last = 0, 0
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("unexpected") or 0)
      last = thread:get("last_bad") or last
   end
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, '
         .. '"max_ms": %.1f, "mean_ms": %.1f, "errors": %d, "unexpected_status": %d, '
         .. '"last_unexpected": %d}\n',
      summary.requests,
      latency:percentile(50) / 1000,
      latency:percentile(95) / 1000,
      latency:percentile(99) / 1000,
      latency.max / 1000,
      latency.mean / 1000,
      summary.errors.connect + summary.errors.read + summary.errors.write
         + summary.errors.status + summary.errors.timeout,
      bad,
      last
   ))
end
