-- wrk script for bench/dpop-load.sh: every request carries the next unused (token, proof) pair of
-- PAIRS_FILE, as `Authorization: DPoP <token>` and `DPoP: <proof>`. Each wrk thread takes every
-- THREADS-th line so no pair is sent twice; when a thread runs out it wraps around, and the replays
-- are refused by the gateway (counted as non-2xx), which shows that the run needed more pairs.
local pairs_file = os.getenv("PAIRS_FILE")
local requests = {}
local index = 0
local thread_id = 0

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  local threads = tonumber(os.getenv("WRK_THREADS") or "1")
  local n = 0
  for line in io.lines(pairs_file) do
    if n % threads == (thread_id or 0) then
      local token, proof = line:match("^(%S+) (%S+)$")
      requests[#requests + 1] = wrk.format("GET", "/json", { ["Authorization"] = "DPoP " .. token, ["DPoP"] = proof })
    end
    n = n + 1
  end
end

function request()
  index = index % #requests + 1
  return requests[index]
end
