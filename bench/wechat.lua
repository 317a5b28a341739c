-- wrk script for bench/wechat_bench.py: replays pre-signed WeChat messages, each at most once.
--   wrk -t2 -c8 -d10s -s bench/wechat.lua http://127.0.0.1:PORT -- requests.tsv 2
-- requests.tsv: one "path<TAB>body" per line (bodies have no newlines). Thread k of n sends
-- lines k, k+n, k+2n, ... so no two threads repeat a MsgId (a repeat is answered from the
-- retry cache and would flatter the figures). If the file runs out, "WRAPPED" is printed.

local threads, count = {}, 0

function setup(thread)
  count = count + 1
  thread:set("thread_no", count)
  table.insert(threads, thread)
end

function init(args)
  reqs = {}
  for line in io.lines(args[1]) do
    local path, body = line:match("^([^\t]*)\t(.*)$")
    reqs[#reqs + 1] = wrk.format("POST", path, { ["Content-Type"] = "text/xml" }, body)
  end
  step = tonumber(args[2])
  i = thread_no - step
  wrapped = 0
end

function request()
  i = i + step
  if i > #reqs then
    wrapped = 1
    i = (i - 1) % #reqs + 1
  end
  return reqs[i]
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    if thread:get("wrapped") == 1 then
      io.write("WRAPPED\n")
      return
    end
  end
end
