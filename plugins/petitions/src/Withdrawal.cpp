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

/// What a personal link does: its path segment (and page mode), whether it
/// is done already for a signature, and the change (false: done already).
struct LinkAction {
  const char* mode;
  bool (*done)(const LinkedSignature&);
  bool (*apply)(Context&, long long signatureId);
};

bool stopUpdates(Context& context, long long signatureId) {
  return context.db().execute("UPDATE petitions_signatures SET consent = 0 WHERE id = ? AND consent = 1",
                              {signatureId}) == 1;
}

const LinkAction kWithdraw{"withdraw", [](const LinkedSignature& s) { return s.withdrawn; }, withdrawSignature};
const LinkAction kStop{"stop", [](const LinkedSignature& s) { return !s.consent; }, stopUpdates};

/// GET: the button, or how the link stands (done just now, already, unknown).
void showLink(const LinkAction& action, Context& context, const Request& request, Response& response) {
  auto signature = signatureByLink(context, request.param("token"));
  if (!signature) {
    linkPage(context, request, response, action.mode, "unknown", signature, 404);
  } else if (action.done(*signature)) {
    linkPage(context, request, response, action.mode, request.query("done") == "1" ? "done" : "already", signature);
  } else {
    linkPage(context, request, response, action.mode, "ask", signature);
  }
}

/// POST: does it once (303 to the page saying so); again, says it is done.
void applyLink(const LinkAction& action, Context& context, const Request& request, Response& response) {
  auto signature = signatureByLink(context, request.param("token"));
  if (!signature) {
    linkPage(context, request, response, action.mode, "unknown", signature, 404);
    return;
  }
  if (!action.apply(context, signature->id)) {
    linkPage(context, request, response, action.mode, "already", signature);
    return;
  }
  response.redirect(pluginPath(context, std::string("/") + action.mode + "/" + request.param("token") + "?done=1"));
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
  showLink(kWithdraw, context, request, response);
}

void withdraw(Context& context, const Request& request, Response& response) {
  applyLink(kWithdraw, context, request, response);
}

void stopPage(Context& context, const Request& request, Response& response) {
  showLink(kStop, context, request, response);
}

void stop(Context& context, const Request& request, Response& response) {
  applyLink(kStop, context, request, response);
}

}  // namespace petitions
