-- Invitations a coordinator sent from "people to invite": one per person and
-- mission, so a page shows who was asked and nobody is mailed twice.
CREATE TABLE matching_invitations (
  id {{id}},
  mission_id BIGINT NOT NULL,
  account_id BIGINT NOT NULL,
  invited_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX matching_invitations_once ON matching_invitations (mission_id, account_id);
