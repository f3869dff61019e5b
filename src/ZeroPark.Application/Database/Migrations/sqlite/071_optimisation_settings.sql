-- Energy optimisation settings of a park (issue 18, over-cooled rooms): the assumptions of the saving rules a park may change, as
-- key/value pairs (numbers written invariantly). Keys: room_target_c (the cold-aisle inlet set-point a room could run at, °C, within
-- ASHRAE TC9.9's recommended 18–27 °C; default 24), room_margin_k (how far below the target the 90th percentile must stay, K; default 2),
-- room_saving_per_k (share of the room's cooling energy saved per kelvin raised; default 0.03). A missing key means the default.
CREATE TABLE opt_settings (
  park_id BIGINT NOT NULL REFERENCES parks(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (park_id, key)
);
