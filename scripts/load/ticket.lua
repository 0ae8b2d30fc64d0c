-- wrk: POST helpdesk tickets, spread over the tenants whose keys are in MISSIONS_KEYS
-- (space-separated), so each tenant's monthly ledger grows the way a busy month would.
local keys = {}
for k in string.gmatch(os.getenv("MISSIONS_KEYS"), "%S+") do keys[#keys + 1] = k end
local i = 0
local body = [[{"type": 1, "filed_by": "master", "subject": "load test"}]]

request = function()
  i = i + 1
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. keys[(i % #keys) + 1]}
  return wrk.format("POST", "/v1/tickets", headers, body)
end

local errors = 0
response = function(status, headers, body)
  if status ~= 201 then
    errors = errors + 1
    if errors <= 3 then io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n") end
  end
end
