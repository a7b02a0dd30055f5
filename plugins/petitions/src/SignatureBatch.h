#pragma once

#include <ruche/sdk/Sdk.h>
#include <string>
#include <vector>

#include "Data.h"

/// Group commit of new signatures. In a national burst thousands of people
/// sign each second; written one by one, each signature costs a transaction
/// and a dozen statements. Here the requests of one association that arrive
/// together are written by one of them (the leader) in a handful of
/// multi-row statements and one commit; every request answers once the
/// commit is durable, so an acknowledged signature is never lost.
namespace petitions {

/// A new signature waiting to be written with others: its request checked
/// it and drew its links' secrets; the leader writes it and, knowing its
/// id, queues its mail (links naming the row, see rowLink).
struct PendingSignature {
  enum class Result {
    Waiting,   ///< not written yet
    Stored,    ///< stored and its mail queued: durable
    TooMany,   ///< over the per-IP limit: nothing stored
    Conflict,  ///< the address had signed already: the one-by-one path decides
    Failed,    ///< the batch failed and was rolled back: nothing stored
  };

  long long petitionId = 0;
  std::string ip;
  SignatureInput input;       ///< checked, with its normalised address
  std::string petitionTitle;  ///< for its mail
  std::string confirmSecret;  ///< in plain, for its mail only
  std::string withdrawSecret;
  std::string confirmHash;  ///< what is stored of each
  std::string withdrawHash;
  long long expiresAt = 0;
  Result result = Result::Waiting;
};

/// Writes `batch` (one association's) in the context's transaction: the
/// per-IP counts, the signatures that are new and their mails, each as one
/// multi-row statement. Sets every item's result;
/// on a failure rolls its own writes back and marks the items Failed.
void writeSignatures(ruche::sdk::Context& context, const std::vector<PendingSignature*>& batch);

/// Writes `item` with the concurrent signatures of the same association and
/// returns once its result is known (and, when Stored, committed). On
/// SQLite, where a request holds the database's write lock, it is written
/// alone in the request's transaction.
void submitSignature(ruche::sdk::Context& context, PendingSignature& item);

}  // namespace petitions
