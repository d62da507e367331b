-- Cold URLs for wrk: each request asks for a URL picked at random among many, so the response
-- cache seldom holds it and the service itself answers. Arguments (after `--`):
--   kind   detail | list | updates | stats | search | page-detail | page-list (the web pages)
--          | peer-row | peer-table (bench/peer.py)
--   first  the first generated company's number (slugs are bench-%07d)
--   count  how many companies there are to pick from (detail), or offsets (list, updates)
--   key    optional API key: sent as Authorization: Bearer (keyed answers are never cached)
--   db     the peer's database name (peer-row, peer-table: Datasette's row and table pages)
local threads = 0
local kind, first, count, key, db

function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end

function init(args)
  kind, first, count, key, db = args[1], tonumber(args[2]), tonumber(args[3]), args[4], args[5]
  math.randomseed(os.time() * 1000 + (number or 0))
end

local stats = {"endorsements-over-time", "adoption", "breakdown", "compliance", "coverage"}
-- Terms from bench/generate.py's measure vocabulary, common to rare, and one in no narrative.
local terms = {"hash", "classifiers", "grooming", "survivor", "watermarking", "moderation",
               "appeals", "sextortion", "transparency", "nothingmatches"}

function request()
  local path
  if kind == "detail" then
    path = string.format("/api/v1/companies/bench-%07d", first + math.random(0, count - 1))
  elseif kind == "page-detail" then
    path = string.format("/companies/bench-%07d", first + math.random(0, count - 1))
  elseif kind == "page-list" then
    path = string.format("/companies?status=endorsed&limit=50&offset=%d", math.random(0, count - 1))
  elseif kind == "list" then
    path = string.format("/api/v1/companies?status=endorsed&limit=50&offset=%d", math.random(0, count - 1))
  elseif kind == "peer-row" then
    path = string.format("/%s/company/%d.json", db, first + math.random(0, count - 1))
  elseif kind == "peer-table" then  -- 50 rows after a random id: Datasette's keyset page
    path = string.format("/%s/company.json?_size=50&_next=%d", db, first + math.random(0, count - 1))
  elseif kind == "updates" then
    path = string.format("/api/v1/updates?limit=20&offset=%d", math.random(0, count - 1))
  elseif kind == "stats" then
    path = "/api/v1/stats/" .. stats[math.random(#stats)]
  else
    path = "/api/v1/search?limit=10&q=" .. terms[math.random(#terms)]
  end
  local headers = {}
  if key ~= nil and key ~= "" then
    headers["Authorization"] = "Bearer " .. key
  end
  return wrk.format("GET", path, headers)
end
