-- A send publishes its jobs after its commit a page at a time (the API's CommittedJobsPublisher), so the
-- API holds one page of message ids, not the audience's. A page is the campaign's messages still queued
-- with the send's stamp, after the last id published, in id order. Messages a worker has claimed
-- meanwhile, or the retry driver has queued again with a fresh stamp (and published itself), are left
-- out. Should the API die mid-publish, the rest keep the send's stamp and the retry driver queues them
-- again once Worker:RequeueAfter has passed (take_due_messages, 'job_lost').

-- The queue index gains id: a page is one range scan that stops after p_limit entries, whatever the
-- planner believes about a campaign sent after the last ANALYZE. take_due_messages reads its
-- (campaign_id, queued_at) prefix as before.
DROP INDEX idx_outbound_messages_queued;
CREATE INDEX idx_outbound_messages_queued ON outbound_messages (campaign_id, queued_at, id)
    WHERE status = 'pending' AND queued_at IS NOT NULL;

CREATE FUNCTION queued_message_page(p_campaign_id bigint, p_queued_at timestamptz, p_after_id bigint, p_limit int)
RETURNS TABLE (id bigint) LANGUAGE sql STABLE AS $$
    SELECT m.id FROM outbound_messages m
    WHERE m.campaign_id = p_campaign_id AND m.status = 'pending' AND m.queued_at = p_queued_at AND m.id > p_after_id
    ORDER BY m.id
    LIMIT p_limit;
$$;
