-- The first transaction id not yet handed out when the stretch was recorded. A transaction that can still commit an
-- event into the stretch took its index before the reader passed it, so its id is lower. Once no transaction below
-- this id is running, one more look finds every event that will ever land in the stretch, and the stretch is let
-- go instead of being watched for the whole horizon. Stretches recorded before this column only age out.
ALTER TABLE passed_gaps ADD COLUMN open_below BIGINT;
