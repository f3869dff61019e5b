-- Dashboards made of cards (issue 5): each user's own dashboards per park. cards is a JSON array of card objects
-- ({"id","type","title","node","meter","system","metric","period","n","chart"}; type kpi | trend | ranking | breakdown | sankey),
-- validated by ZeroParkStore.SaveDashboardAsync; position orders a user's dashboards of one park; template names the shipped
-- template a dashboard was made from (null for a blank one). Deleting a user deletes the user's dashboards.
CREATE TABLE dashboards (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  name TEXT NOT NULL,
  template TEXT,
  position INTEGER NOT NULL,
  cards TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX dashboards_owner ON dashboards (user_id, park_id, position);
