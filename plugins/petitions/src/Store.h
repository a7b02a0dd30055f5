#pragma once

#include <optional>
#include <ruche/sdk/Sdk.h>
#include <string>

namespace petitions {

/// One petition as stored, fields named as on its forms.
struct Petition {
  long long id = 0;
  std::string title;
  std::string body;
  std::string addressee;
  long long goal = 0;
  std::string deadline;  ///< YYYY-MM-DD or "" for none
  std::string status;    ///< draft | open | closed | delivered
  bool askPostcode = false;
  bool askCountry = false;
  bool askComment = false;
  std::string consentText;  ///< "" when no "keep me informed" box is shown
};

/// A path of this plugin in the request's association, e.g. "/a/x/petitions/3".
std::string pluginPath(ruche::sdk::Context& context, const std::string& path);

/// A positive id from a URL segment; 0 when it is not one.
long long parseId(const std::string& text);

/// The petition `id` of the context's association, if there is one.
std::optional<Petition> findPetition(ruche::sdk::Context& context, long long id);

/// The petition whose id is the URL segment `idText`, in the context's
/// association; a draft too only when `allowDraft`. Throws 404 otherwise.
Petition petitionOr404(ruche::sdk::Context& context, const std::string& idText, bool allowDraft);

/// petitionOr404 for signing (drafts refused), from a copy kept up to a
/// second: in a burst every signature would read the same row. A change
/// made through this process is committed, then the copies are emptied
/// (forgetCachedPetitions): signing sees it at once. One made by another
/// process shows within the second.
Petition signablePetition(ruche::sdk::Context& context, const std::string& idText);

/// Empties the copies signablePetition keeps, and the pending counts;
/// call after changing a petition.
void forgetCachedPetitions();

/// Empties the pending counts pendingCount keeps.
void forgetPendingCounts();

/// Confirmed signatures: the sum of the petition's counter shards.
long long confirmedCount(ruche::sdk::Context& context, long long petitionId);

/// Signatures waiting for their confirmation whose link has not expired:
/// exact below 1,000; above, read again at most once a second (the last
/// reading meanwhile), so that a burst's page views stay cheap.
long long pendingCount(ruche::sdk::Context& context, long long petitionId);

/// The petition as template data (title, body paragraphs, counts…).
ruche::sdk::Value petitionView(ruche::sdk::Context& context, const Petition& petition);

}  // namespace petitions
