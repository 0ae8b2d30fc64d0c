-- wrk: POST the SPEC's esomus quote (12 users, 95 GB, trainings) again and again.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("MISSIONS_KEY")
wrk.body = [[{"date": "2026-11-20", "year": 1, "users": 12, "data_gb": 95, "prepaid_years": 1,
 "client": {"country": "BE", "vat_number": "BE0123456789", "isqm_manager_customer": false, "distance_km": 25},
 "options": {"user_training_sessions": 1, "master_training_sessions": 1, "parametrisation_hours": 7}}]]

local errors = 0
response = function(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
    if errors <= 3 then io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n") end
  end
end
