-- The planner's count of campaigns in each messages partition, fixed at 100 instead of what ANALYZE measured (issue 17).
-- A partition analyzed while it held many small campaigns records campaign_id as nearly unique (a fraction of its rows),
-- so a large campaign sent after that ANALYZE is estimated at one or two rows. The worker's claim, confirmation and
-- outcome batch find each message by (id, campaign_id); believing the campaign that small, the planner may read the
-- message through an index on campaign_id alone, a range of the campaign's rows for every job of the batch (seen in the
-- shared test database: WorkerQueryPlanTests, the (campaign_id, customer_id) key read with the campaign only). At 100
-- campaigns a partition, a campaign is estimated at 1% of the partition's rows, and (id, campaign_id) stays the cheaper
-- lookup as soon as a partition holds a few hundred rows. ANALYZE keeps the override; queries that read one campaign's
-- messages are served by the same indexes at any estimate above a handful of rows.
DO $$
DECLARE
    partition regclass;
BEGIN
    FOR partition IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'outbound_messages'::regclass LOOP
        EXECUTE format('ALTER TABLE %s ALTER COLUMN campaign_id SET (n_distinct = 100)', partition);
    END LOOP;
END
$$;

ANALYZE outbound_messages;
