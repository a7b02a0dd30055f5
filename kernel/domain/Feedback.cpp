#include "kernel/domain/Feedback.h"

#include "kernel/events/Payload.h"
#include "kernel/http/HttpError.h"
#include "kernel/http/Validator.h"

namespace ruche::domain {

void Feedback::give(long long applicationId, const std::string& direction, long long authorId,
                    const std::string& rating, const std::string& comment) {
  if (direction != "from_volunteer" && direction != "from_association") {
    throw http::badRequest("Unknown feedback direction.");
  }
  http::Validator v;
  auto stars = v.integer("rating", rating, 1, 5);
  std::string text = v.optionalText("comment", comment, 1000);
  db_.transaction([&](soci::session& sql) {
    std::string status;
    sql << "SELECT status FROM applications WHERE id = :i", soci::use(applicationId), soci::into(status);
    if (!sql.got_data()) {
      throw http::notFound("There is no such application.");
    }
    if (status != "completed") {
      throw http::HttpError(409, "Conflict", "Feedback is given once the mission is completed.");
    }
    long long count = 0;
    sql << "SELECT COUNT(*) FROM feedback WHERE application_id = :i AND direction = :d", soci::use(applicationId),
        soci::use(direction), soci::into(count);
    if (count > 0) {
      throw http::HttpError(409, "Conflict", "This feedback was already given.");
    }
    v.check();
    int value = static_cast<int>(*stars);
    long long now = storage::nowSeconds();
    try {
      sql << "INSERT INTO feedback (application_id, author_account_id, direction, rating, comment, created_at) "
             "VALUES (:i, :a, :d, :r, :c, :t)",
          soci::use(applicationId), soci::use(authorId), soci::use(direction), soci::use(value), soci::use(text),
          soci::use(now);
    } catch (const soci::soci_error&) {
      // UNIQUE (application_id, direction): a concurrent twin got there first.
      throw http::HttpError(409, "Conflict", "This feedback was already given.");
    }
    if (events_ != nullptr) {
      long long missionId = 0;
      long long associationId = 0;
      long long volunteerId = 0;
      soci::indicator volunteerInd = soci::i_ok;
      sql << "SELECT a.mission_id, m.association_id, a.account_id FROM applications a "
             "JOIN missions m ON m.id = a.mission_id WHERE a.id = :i",
          soci::use(applicationId), soci::into(missionId), soci::into(associationId),
          soci::into(volunteerId, volunteerInd);
      events_->publish(sql, "feedback.given", associationId,
                       events::Payload()
                           .set("application_id", applicationId)
                           .set("mission_id", missionId)
                           .set("account_id", volunteerInd == soci::i_null ? 0LL : volunteerId)
                           .set("direction", direction)
                           .set("rating", static_cast<long long>(value))
                           .json());
    }
  });
}

std::vector<FeedbackEntry> Feedback::ofApplication(long long applicationId) {
  storage::Database::Session session(db_);
  std::vector<FeedbackEntry> result;
  FeedbackEntry row;
  soci::statement st =
      (session->prepare << "SELECT f.direction, COALESCE(f.author_account_id, 0), COALESCE(a.display_name, ''), "
                           "f.rating, f.comment, f.created_at FROM feedback f "
                           "LEFT JOIN accounts a ON a.id = f.author_account_id "
                           "WHERE f.application_id = :i ORDER BY f.id",
       soci::use(applicationId), soci::into(row.direction), soci::into(row.authorAccountId), soci::into(row.authorName),
       soci::into(row.rating), soci::into(row.comment), soci::into(row.createdAt));
  st.execute();
  while (st.fetch()) {
    result.push_back(row);
  }
  return result;
}

}  // namespace ruche::domain
