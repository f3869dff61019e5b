-- Issue 19 (t19g): a person's optional e-mail address (alerts of the KPIs they are accountable for are sent to it), and the
-- recipient of an outbox delivery that goes to one accountable person through an e-mail channel instead of the channel's target.
ALTER TABLE gov_people ADD COLUMN email TEXT;
ALTER TABLE alert_outbox ADD COLUMN recipient TEXT;
