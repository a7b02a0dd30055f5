// Withdrawing a signature from the link every mail carries, and stopping
// the updates from the link update mails carry. Each link opens a page
// with a button (a POST), so that mail scanners following links change
// nothing; asking twice changes nothing more.
#include <random>

#include "Data.h"
#include "DataHandlers.h"

namespace petitions {
namespace {

using ruche::sdk::Context;
using ruche::sdk::Request;
using ruche::sdk::Response;
using ruche::sdk::Value;

/// Takes one confirmed signature off the count: one shard that has one,
/// starting from a random one (the sum stays exact, no shard goes below 0).
void uncount(Context& context, long long petitionId) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  int start = pickShard(generator());
  for (int i = 0; i < kCounterShards; ++i) {
    if (context.db().execute("UPDATE petitions_counters SET n = n - 1 WHERE petition_id = ? AND shard = ? AND n > 0",
                             {petitionId, (start + i) % kCounterShards}) == 1) {
      return;
    }
  }
}

/// The page of a personal link: `mode` withdraw or stop, `state` ask,
/// done, already or unknown.
void linkPage(Context& context, const Request& request, Response& response, const std::string& mode,
              const std::string& state, const std::optional<LinkedSignature>& signature, int status = 200) {
  Value data = Value::object({{"csrf", request.csrfToken()},
                              {"mode_" + mode, true},
                              {"state_" + state, true},
                              {"action", pluginPath(context, "/" + mode + "/" + request.param("token"))}});
  if (signature) {
    data.set("petition_title", signature->petitionTitle);
    data.set("petition_path", pluginPath(context, "/" + std::to_string(signature->petitionId)));
  }
  context.page(response, "withdraw", data, mode == "stop" ? "petitions.stop_title" : "petitions.withdraw_title",
               status);
}

}  // namespace

bool withdrawSignature(Context& context, long long signatureId) {
  // RETURNING reads confirmed_at as this UPDATE leaves it: a confirmation
  // committed meanwhile is seen and uncounted; one coming later finds the
  // row withdrawn and changes nothing.
  auto rows = context.db().query(
      "UPDATE petitions_signatures SET withdrawn_at = ?, name = '', email = '', email_key = ?, postcode = '', "
      "country = '', comment = '', consent = 0 WHERE id = ? AND withdrawn_at IS NULL "
      "RETURNING petition_id, confirmed_at",
      {context.now(), "withdrawn:" + std::to_string(signatureId), signatureId});
  if (rows.empty()) {
    return false;
  }
  long long petitionId = rows.front()["petition_id"].asInt();
  if (!rows.front()["confirmed_at"].isNull()) {
    uncount(context, petitionId);
  }
  context.publish("petitions.withdrawn", Value::object({{"petition_id", petitionId}}));
  return true;
}

void withdrawPage(Context& context, const Request& request, Response& response) {
  auto signature = signatureByLink(context, request.param("token"));
  if (!signature) {
    linkPage(context, request, response, "withdraw", "unknown", signature, 404);
  } else if (signature->withdrawn) {
    linkPage(context, request, response, "withdraw", request.query("done") == "1" ? "done" : "already", signature);
  } else {
    linkPage(context, request, response, "withdraw", "ask", signature);
  }
}

void withdraw(Context& context, const Request& request, Response& response) {
  auto signature = signatureByLink(context, request.param("token"));
  if (!signature) {
    linkPage(context, request, response, "withdraw", "unknown", signature, 404);
    return;
  }
  if (!withdrawSignature(context, signature->id)) {
    linkPage(context, request, response, "withdraw", "already", signature);
    return;
  }
  response.redirect(pluginPath(context, "/withdraw/" + request.param("token") + "?done=1"));
}

void stopPage(Context& context, const Request& request, Response& response) {
  auto signature = signatureByLink(context, request.param("token"));
  if (!signature) {
    linkPage(context, request, response, "stop", "unknown", signature, 404);
  } else if (!signature->consent) {
    linkPage(context, request, response, "stop", request.query("done") == "1" ? "done" : "already", signature);
  } else {
    linkPage(context, request, response, "stop", "ask", signature);
  }
}

void stop(Context& context, const Request& request, Response& response) {
  auto signature = signatureByLink(context, request.param("token"));
  if (!signature) {
    linkPage(context, request, response, "stop", "unknown", signature, 404);
    return;
  }
  if (context.db().execute("UPDATE petitions_signatures SET consent = 0 WHERE id = ? AND consent = 1",
                           {signature->id}) != 1) {
    linkPage(context, request, response, "stop", "already", signature);
    return;
  }
  response.redirect(pluginPath(context, "/stop/" + request.param("token") + "?done=1"));
}

}  // namespace petitions
